// Chooses the printers a run touches from -p (include) and -x (exclude), as the original tool did,
// where a name is a printer's or a group's (the config's `groups`).

import { UsageError } from '../errors.js';
import type { PrinterConfig, UnresolvedPrinter } from './types.js';
import { closest } from './suggest.js';
import { configErrorFor, dedupeProblems, type ConfigProblem } from './problems.js';

/** What -p/-x match: a printer's name and groups. */
export type Named = Pick<PrinterConfig, 'name' | 'groups'>;

export interface Selection {
  /** In config order. */
  printers: PrinterConfig[];
  warnings: string[];
}

/**
 * `-p` keeps only the named printers and the members of named groups; otherwise `-x` drops them.
 * Names match case-insensitively. With both, `-x` is ignored with a warning, as in the original
 * link-sync. An unknown name is a UsageError listing every unknown name and the configured
 * printers and groups. `unresolved` (the config's printers whose secret variable is missing) are
 * named and grouped like the others; selecting one is the ConfigError of its missing variables.
 */
export function selectPrinters(
  resolved: readonly PrinterConfig[],
  include: readonly string[],
  exclude: readonly string[],
  unresolved: readonly UnresolvedPrinter[] = [],
): Selection {
  const warnings: string[] = [];
  const all: readonly Named[] = [...resolved, ...unresolved];
  if (include.length > 0 && exclude.length > 0) warnings.push('-x/--exclude is ignored because -p/--printer is given');
  const chosen = chooser(all, include, exclude, 'strict');
  const lacking = unresolved.filter(chosen);
  const first = lacking[0];
  if (first !== undefined) throw configErrorFor(first.file, dedupeProblems(lacking.flatMap((p) => p.problems)));
  const printers = resolved.filter(chosen);
  if (printers.length === 0 && include.length === 0 && exclude.length > 0) {
    throw new UsageError('-x/--exclude leaves no printer to sync', { hint: `configured printers: ${all.map((p) => p.name).join(', ')}` });
  }
  return { printers, warnings };
}

/**
 * The missing-variable problems of the printers -p/-x select, for a config that fails on other
 * problems as well: the one error then names every variable the run also needs. A name that matches
 * no printer or group is passed over here; it is reported once the config loads.
 */
export function selectedMissing(
  resolved: readonly Named[],
  lacking: ReadonlyArray<Named & { problems: readonly ConfigProblem[] }>,
  include: readonly string[],
  exclude: readonly string[],
): ConfigProblem[] {
  const chosen = chooser([...resolved, ...lacking], include, exclude, 'lenient');
  return lacking.filter(chosen).flatMap((p) => p.problems);
}

/** Whether a printer is in the run: `-p` names it (or its group), else `-x` does not; every printer without either. */
function chooser(all: readonly Named[], include: readonly string[], exclude: readonly string[], names: NameCheck): (p: Named) => boolean {
  if (include.length > 0) {
    const wanted = resolveNames(all, include, '-p', names);
    return (p) => wanted.has(p);
  }
  if (exclude.length > 0) {
    const unwanted = resolveNames(all, exclude, '-x', names);
    return (p) => !unwanted.has(p);
  }
  return () => true;
}

/** Every group name in config order, each once (first spelling kept). */
export function groupNames(all: readonly Named[]): string[] {
  const seen = new Map<string, string>();
  for (const printer of all)
    for (const group of printer.groups ?? []) if (!seen.has(group.toLowerCase())) seen.set(group.toLowerCase(), group);
  return [...seen.values()];
}

/** 'strict': a name that is no printer or group is a UsageError; 'lenient': it stands for nothing. */
type NameCheck = 'strict' | 'lenient';

/** The printers the names stand for, after checking each name is a printer or a group. */
function resolveNames(all: readonly Named[], given: readonly string[], flag: string, names: NameCheck): Set<Named> {
  const chosen = new Set<Named>();
  const unknown: string[] = [];
  for (const name of given) {
    const key = name.toLowerCase();
    const printer = all.find((p) => p.name.toLowerCase() === key);
    const members = printer ? [printer] : all.filter((p) => (p.groups ?? []).some((g) => g.toLowerCase() === key));
    if (members.length === 0 && !unknown.includes(name)) unknown.push(name);
    for (const member of members) chosen.add(member);
  }
  if (unknown.length > 0 && names === 'strict') throw unknownNames(all, unknown, flag);
  return chosen;
}

function unknownNames(all: readonly Named[], unknown: readonly string[], flag: string): UsageError {
  const printers = all.map((p) => p.name);
  const groups = groupNames(all);
  const guesses = [...new Set(unknown.map((n) => closest(n, [...printers, ...groups])).filter((g) => g !== undefined))];
  const list = unknown.map((n) => JSON.stringify(n)).join(', ');
  const what = groups.length > 0 ? 'printer or group' : 'printer';
  const plural = unknown.length === 1 ? what : what === 'printer' ? 'printers' : 'printers or groups';
  const guess = guesses.length > 0 ? `did you mean ${guesses.map((g) => JSON.stringify(g)).join(', ')}? ` : '';
  const groupList = groups.length > 0 ? `; groups: ${groups.join(', ')}` : '';
  return new UsageError(`${flag}: unknown ${plural} ${list}`, { hint: `${guess}configured printers: ${printers.join(', ')}${groupList}` });
}
