// Pairs source files with the printer's files by path, and finds the names the printer would confuse.

import type { NameRules, PlanProblem, RemoteFile, RemoteFolder, RemoteTree, SourceFile, SourceTree } from '../types.js';
import { foldName } from '../source/paths.js';
import { ancestorPaths } from './path-keys.js';

export interface FilePair {
  source: SourceFile;
  /** The printer's copy, when it has one. */
  remote?: RemoteFile;
}

export interface MatchResult {
  /** Source files free of name conflicts, in source order, each with the printer's copy if any. */
  pairs: FilePair[];
  /** CASE_COLLISION and FOLDER_IS_FILE, one per affected source file. */
  problems: PlanProblem[];
  /** Remote files that no source file names, even one with a problem: the candidates for deletion. */
  unmatched: RemoteFile[];
  /** The printer's folders by folded path, for building upload targets. */
  foldersByKey: ReadonlyMap<string, RemoteFolder>;
}

/**
 * Source paths and remote paths are both relative to the sync root. On a printer that ignores case
 * they are compared folded; two local folders differing only in case ("Parts/a", "parts/b") are not a
 * problem, since the printer simply stores both files in one folder and pairs them on the next run.
 */
export function matchFiles(source: SourceTree, remote: RemoteTree, rules: NameRules): MatchResult {
  const fold = (path: string): string => foldName(path, rules);
  // Most names are unique: the first file of each name is kept apart, and a list only for a name held twice.
  const remoteKeys: string[] = new Array(remote.files.length);
  const firstByKey = new Map<string, RemoteFile>();
  const sharedNames = new Map<string, RemoteFile[]>();
  remote.files.forEach((file, i) => {
    const key = fold(file.path);
    remoteKeys[i] = key;
    const first = firstByKey.get(key);
    if (first === undefined) {
      firstByKey.set(key, file);
      return;
    }
    const group = sharedNames.get(key);
    if (group) group.push(file);
    else sharedNames.set(key, [first, file]);
  });
  const remoteFiles: RemoteGroups = { firstByKey, sharedNames };
  const foldersByKey = new Map<string, RemoteFolder>();
  for (const folder of remote.folders) {
    const key = fold(folder.path);
    if (!foldersByKey.has(key)) foldersByKey.set(key, folder);
  }
  const local = sourceIndex(source, rules);

  const pairs: FilePair[] = [];
  const problems: PlanProblem[] = [];

  for (let i = 0; i < source.files.length; i++) {
    const file = source.files[i]!;
    const key = local.keys[i]!;
    const conflict = local.conflicts[i] ?? remoteConflict(key, local.ancestorKeys[i]!, remoteFiles, foldersByKey);
    if (conflict) {
      problems.push({ path: file.relPath, ...conflict });
      continue;
    }
    const twins = sharedNames.get(key);
    const exact = twins ? (twins.find((candidate) => candidate.path === file.relPath) ?? twins[0]) : firstByKey.get(key);
    pairs.push(exact ? { source: file, remote: exact } : { source: file });
  }

  // A remote file named by any local file is never extraneous, even when that local file has a problem.
  const unmatched: RemoteFile[] = [];
  remote.files.forEach((file, i) => {
    if (!local.keySet.has(remoteKeys[i]!)) unmatched.push(file);
  });
  return { pairs, problems, unmatched, foldersByKey };
}

/** The printer's files by folded path: the first of each name, and every file of a name held more than once. */
interface RemoteGroups {
  firstByKey: ReadonlyMap<string, RemoteFile>;
  sharedNames: ReadonlyMap<string, RemoteFile[]>;
}

type Conflict = Omit<PlanProblem, 'path'>;

/** What matching needs from the source alone: the same for every printer with the same case rule. */
interface SourceIndex {
  /** Folded relPath of each file, in source order. */
  keys: string[];
  /** The same keys as a set. */
  keySet: ReadonlySet<string>;
  /** Folded ancestor folders of each file, nearest last. */
  ancestorKeys: string[][];
  /** Each file's clash with other local names (undefined: none). */
  conflicts: Array<Conflict | undefined>;
}

/**
 * One index per source tree and case rule, built by the first printer and reused by the others: a
 * farm plans the same source many times. A source tree is a value once scanned; the index is built
 * again should its file or folder list be replaced or change length.
 */
interface CachedIndex {
  files: readonly SourceFile[];
  folders: readonly string[];
  fileCount: number;
  folderCount: number;
  caseInsensitive: boolean;
  index: SourceIndex;
}

const sourceIndexes = new WeakMap<SourceTree, CachedIndex[]>();

function sourceIndex(source: SourceTree, rules: NameRules): SourceIndex {
  const cached = sourceIndexes.get(source) ?? [];
  const current = (c: CachedIndex): boolean =>
    c.caseInsensitive === rules.caseInsensitive &&
    c.files === source.files &&
    c.folders === source.folders &&
    c.fileCount === source.files.length &&
    c.folderCount === source.folders.length;
  const hit = cached.find(current);
  if (hit) return hit.index;
  const index = buildSourceIndex(source, rules);
  const fresh = cached.filter(
    (c) => c.caseInsensitive !== rules.caseInsensitive && c.files === source.files && c.folders === source.folders,
  );
  fresh.push({
    files: source.files,
    folders: source.folders,
    fileCount: source.files.length,
    folderCount: source.folders.length,
    caseInsensitive: rules.caseInsensitive,
    index,
  });
  sourceIndexes.set(source, fresh);
  return index;
}

function buildSourceIndex(source: SourceTree, rules: NameRules): SourceIndex {
  const fold = (path: string): string => foldName(path, rules);
  const keys = source.files.map((file) => fold(file.relPath));
  const localFiles = new Map<string, SourceFile[]>();
  source.files.forEach((file, i) => {
    const group = localFiles.get(keys[i]!);
    if (group) group.push(file);
    else localFiles.set(keys[i]!, [file]);
  });
  const localFolders = new Map(source.folders.map((folder) => [fold(folder), folder] as const));
  const ancestorKeys: string[][] = [];
  const conflicts: Array<Conflict | undefined> = [];
  source.files.forEach((file, i) => {
    const ancestors = ancestorPaths(file.relPath);
    const folded = ancestors.map(fold);
    ancestorKeys.push(folded);
    conflicts.push(localConflict(file, keys[i]!, ancestors, folded, localFiles, localFolders));
  });
  return { keys, keySet: new Set(keys), ancestorKeys, conflicts };
}

/** Clashes among local names: checked before anything on the printer. */
function localConflict(
  file: SourceFile,
  key: string,
  ancestors: readonly string[],
  ancestorKeys: readonly string[],
  localFiles: ReadonlyMap<string, SourceFile[]>,
  localFolders: ReadonlyMap<string, string>,
): Conflict | undefined {
  const twins = (localFiles.get(key) ?? []).filter((other) => other !== file);
  if (twins.length > 0) {
    const names = twins.map((other) => `"${other.relPath}"`).join(', ');
    return {
      code: 'CASE_COLLISION',
      message: `"${file.relPath}" and ${names} are one name on this printer, which ignores case; none of them is synced: rename all but one`,
    };
  }
  const folder = localFolders.get(key);
  if (folder !== undefined) {
    return {
      code: 'CASE_COLLISION',
      message: `"${file.relPath}" and the local folder "${folder}" are one name on this printer, which ignores case; neither is synced: rename one`,
    };
  }
  for (let i = 0; i < ancestors.length; i++) {
    const clash = localFiles.get(ancestorKeys[i]!);
    if (clash?.[0]) {
      return {
        code: 'CASE_COLLISION',
        message: `folder "${ancestors[i]}" has the same name as the local file "${clash[0].relPath}" on this printer, which ignores case`,
      };
    }
  }
  return undefined;
}

/** Clashes with what the printer holds: a folder where the file goes, a file where a folder goes. */
function remoteConflict(
  key: string,
  ancestorKeys: readonly string[],
  remoteFiles: RemoteGroups,
  remoteFolders: ReadonlyMap<string, RemoteFolder>,
): Conflict | undefined {
  const folder = remoteFolders.get(key);
  if (folder) {
    return {
      code: 'FOLDER_IS_FILE',
      message: `the printer has a folder "${folder.path}" where this file goes; the file is synced once that folder is gone`,
      blockedBy: folder.path,
    };
  }
  for (const ancestorKey of ancestorKeys) {
    const blocking = remoteFiles.firstByKey.get(ancestorKey);
    if (blocking) {
      return {
        code: 'FOLDER_IS_FILE',
        message: `the printer has a file "${blocking.path}" where this file's folder goes; the file is synced once that file is gone`,
        blockedBy: blocking.path,
      };
    }
  }
  return undefined;
}
