// What to delete from the printer: extraneous files it lists, then the folders they leave empty.

import type { Action, NameRules, PlanHold, RemoteFile, RemoteTree, SourceTree } from '../types.js';
import { compareCodeUnits, foldName, splitPath } from '../source/paths.js';
import { ancestorPaths } from './path-keys.js';
import { extensionOf, isHiddenName } from '../source/filter.js';
import type { PrintedTest } from './printed.js';

export interface Removals {
  deletes: Action[];
  rmdirs: Action[];
  holds: PlanHold[];
}

/**
 * Deletes only files the printer listed and that no source file names, sorted by path. Partial
 * downloads, the printed file, read-only files and files of other kinds (a Pi lists notes.txt, which
 * the source never holds) are held instead. A folder goes when it is not a source folder and nothing
 * is left in it, deepest first; the printer is never asked to delete recursively.
 */
export function planRemovals(
  unmatched: readonly RemoteFile[],
  remote: RemoteTree,
  source: SourceTree,
  rules: NameRules,
  isPrinted: PrintedTest,
  /** The destination of another sync that placed this file, when that file must be held for it. */
  placedElsewhere?: (file: RemoteFile) => string | undefined,
): Removals {
  const fold = (path: string): string => foldName(path, rules);
  const deletes: Action[] = [];
  const holds: PlanHold[] = [];
  const deleted = new Set<RemoteFile>();
  const emptyLocal = new Map((source.emptyFolders ?? []).map((folder) => [fold(folder), folder] as const));

  for (const file of [...unmatched].sort((a, b) => compareCodeUnits(a.path, b.path))) {
    const reason = holdReason(file, rules, isPrinted);
    if (reason) {
      holds.push({ path: file.path, reason, wouldHave: 'delete' });
      continue;
    }
    const localFolder = emptyLocal.size > 0 ? emptyAncestor(file.path, emptyLocal, fold) : undefined;
    if (localFolder !== undefined) {
      holds.push({ path: file.path, reason: 'empty-local-folder', wouldHave: 'delete', localFolder });
      continue;
    }
    const placedBy = placedElsewhere?.(file);
    if (placedBy !== undefined) {
      holds.push({ path: file.path, reason: 'other-destination', wouldHave: 'delete', placedBy });
      continue;
    }
    deleted.add(file);
    deletes.push({ kind: 'delete', path: file.path, targetUrl: file.urlPath, reason: 'not in source folder' });
  }

  const occupied = new Set<string>();
  // A folder's files share their ancestors: mark them once per folder, not once per file.
  const marked = new Set<string>();
  for (const file of remote.files) {
    if (deleted.has(file)) continue;
    const cut = file.path.lastIndexOf('/');
    if (cut !== file.path.length - 1) {
      const parent = file.path.slice(0, Math.max(cut, 0));
      if (marked.has(parent)) continue;
      marked.add(parent);
    }
    for (const folder of ancestorPaths(file.path)) occupied.add(fold(folder));
  }
  // A folder that is there locally, empty, stays on the printer too.
  const sourceFolders = new Set([...source.folders.map(fold), ...emptyLocal.keys()]);
  const rmdirs: Action[] = remote.folders
    .filter((folder) => {
      const key = fold(folder.path);
      return key !== '' && !isHiddenPath(folder.path) && !sourceFolders.has(key) && !occupied.has(key);
    })
    .sort((a, b) => depth(b.path) - depth(a.path) || compareCodeUnits(a.path, b.path))
    .map((folder) => ({
      kind: 'rmdir' as const,
      path: folder.path,
      targetUrl: folder.urlPath,
      reason: 'empty and not in source folder',
    }));

  return { deletes, rmdirs, holds };
}

function holdReason(file: RemoteFile, rules: NameRules, isPrinted: PrintedTest): PlanHold['reason'] | undefined {
  if (file.partial) return 'partial-download';
  if (isPrinted(file)) return 'being-printed';
  if (file.readOnly) return 'read-only';
  // Scope is what link-sync manages: it never sends a hidden name, so it never deletes one.
  if (isHiddenPath(file.path)) return 'hidden';
  const last = splitPath(file.path).at(-1) ?? '';
  if (!rules.printExtensions.includes(extensionOf(last))) return 'not-a-print-file';
  return undefined;
}

/** The empty local folder a printer file lies under, if any (as the source names it). */
function emptyAncestor(path: string, emptyLocal: ReadonlyMap<string, string>, fold: (path: string) => string): string | undefined {
  for (const folder of ancestorPaths(path)) {
    const found = emptyLocal.get(fold(folder));
    if (found !== undefined) return found;
  }
  return undefined;
}

function depth(path: string): number {
  return splitPath(path).length;
}

/** A path with any hidden segment: the scan skips such names, and so does deleting. */
function isHiddenPath(path: string): boolean {
  return splitPath(path).some(isHiddenName);
}
