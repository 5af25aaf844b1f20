// Pure checks of the two path options: -d (where on the printer) and -r (what the source paths are relative to).

import { isAbsolute, relative, resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';
import { BUDDY_RULES, PI_RULES } from '../printer/rules.js';
import { describeForbiddenChar } from '../source/paths.js';

/** Storages a PrusaLink printer can be written to: Buddy has "usb", a Pi has "local". */
export type WritableStorage = 'usb' | 'local';

export interface Destination {
  /** Named in -d (`/usb/farm`); undefined means "the printer's writable storage". */
  storage?: WritableStorage;
  /** Folder inside the storage, '/'-separated, no leading or trailing slash; '' is the storage root. */
  path: string;
}

const HELP = 'see link-sync --help';

/** Characters no printer stores in a folder name (Buddy's FAT and the Pi both refuse them); the rest are judged per printer. */
const REFUSED_EVERYWHERE: ReadonlySet<string> = new Set([...BUDDY_RULES.forbiddenChars].filter((c) => PI_RULES.forbiddenChars.includes(c)));

/** The folder names of a destination: backslashes are separators, '' and '.' name nothing. */
function destinationSegments(raw: string): string[] {
  return raw
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.');
}

/**
 * What makes a non-empty destination (-d, or a printer's `destination`) unusable, or undefined;
 * `flag` ('-d ' or '') goes before the examples in the hint.
 */
export function destinationProblem(raw: string, flag: string): { problem: string; hint: string } | undefined {
  const segments = destinationSegments(raw);
  if (segments.includes('..')) {
    return { problem: '".." is not allowed', hint: `give a folder inside the printer storage, e.g. ${flag}/usb/farm` };
  }
  if (segments[0]?.toLowerCase() === 'sdcard') {
    return { problem: 'the sdcard storage is read-only over PrusaLink', hint: 'use /local (PrusaLink on a Pi) or /usb' };
  }
  for (const segment of segments) {
    const bad = describeForbiddenChar(segment, REFUSED_EVERYWHERE);
    if (bad !== undefined) {
      return {
        problem: `${JSON.stringify(segment)} contains ${bad}, which no printer allows in a folder name`,
        hint: 'choose another folder name',
      };
    }
  }
  return undefined;
}

/**
 * Reads -d. The first segment is the storage when it is a storage name (usb, local, sdcard, any
 * case), so `/usb/`, `usb`, `usb/farm` and `/usb/farm/` all name storage usb; any other first
 * segment starts a folder path (`farm`, `/farm`). To sync into a folder really called "usb", write
 * `usb/usb`. Backslashes are read as separators: Windows users type them, and the USB stick's FAT
 * file system cannot store them in a name anyway. `..` is refused anywhere: it could leave the storage.
 */
export function parseDestination(raw: string | undefined): Destination {
  if (raw === undefined) return { path: '' };
  // Not the storage root: an unset shell variable (-d "$DEST") would widen the mirror, and its deletions, to the whole storage.
  refuseEmpty(raw, '-d/--destination', `give -d / for the storage root, or leave -d out for the config's destination; ${HELP}`);
  const wrong = destinationProblem(raw, '-d ');
  if (wrong) throw new UsageError(`-d ${JSON.stringify(raw)}: ${wrong.problem}`, { hint: `${wrong.hint}; ${HELP}` });
  const segments = destinationSegments(raw);
  const first = segments[0]?.toLowerCase();
  if (first === 'usb' || first === 'local') return { storage: first, path: segments.slice(1).join('/') };
  return { path: segments.join('/') };
}

/**
 * Refuses a flag given as '' or blanks, by name: an unset variable in a cron line (`-r "$ROOT"`)
 * would otherwise be read as the working folder, or as no value at all.
 */
export function refuseEmpty(value: string | undefined, flag: string, hint: string): void {
  if (value !== undefined && value.trim() === '') throw new UsageError(`${flag} is empty`, { hint });
}

/** Replaces a leading `~` with the home folder, as the original tool did for quoted paths. */
export function expandHome(path: string, home: string | undefined): string {
  if (home === undefined || home === '') return path;
  if (path === '~') return home;
  if (path.startsWith('~/')) return home + path.slice(1);
  return path;
}

/**
 * Resolves -s and -r against `cwd`. -r defaults to the source and must be the source itself or one
 * of its parents: the source files' printer paths are their paths relative to it. An empty or blank
 * -r (`-r "$ROOT"` with the variable unset) is refused: read as the working folder it would move
 * every file to another place on the printers. `help` ends the hints (the command's own --help).
 */
export function resolveSourcePaths(
  source: string,
  relativeTo: string | undefined,
  cwd: string,
  home?: string,
  help = HELP,
): { source: string; relativeTo: string } {
  const src = resolve(cwd, expandHome(source, home));
  if (relativeTo === undefined) return { source: src, relativeTo: src };
  refuseEmpty(
    relativeTo,
    '-r/--relative-to',
    `give the source folder or one of its parents, or leave -r out to use the source folder; ${help}`,
  );
  const rel = resolve(cwd, expandHome(relativeTo, home));
  const between = relative(rel, src);
  const inside = between === '' || (!isAbsolute(between) && between !== '..' && !between.startsWith(`..${sep}`));
  if (!inside) {
    throw new UsageError(`-r ${JSON.stringify(relativeTo)} is not the source folder or one of its parents`, {
      hint: `-r must contain -s (${src}); ${help}`,
    });
  }
  return { source: src, relativeTo: rel };
}
