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
  const remoteFiles = groupBy(remote.files, (file) => fold(file.path));
  const foldersByKey = new Map<string, RemoteFolder>();
  for (const folder of remote.folders) {
    const key = fold(folder.path);
    if (!foldersByKey.has(key)) foldersByKey.set(key, folder);
  }
  const localFiles = groupBy(source.files, (file) => fold(file.relPath));
  const localFolders = new Set(source.folders.map(fold));

  const pairs: FilePair[] = [];
  const problems: PlanProblem[] = [];
  const claimed = new Set<RemoteFile>();

  for (const file of source.files) {
    const key = fold(file.relPath);
    const candidates = remoteFiles.get(key) ?? [];
    // A remote file named by any local file is never extraneous, even when that local file has a problem.
    for (const candidate of candidates) claimed.add(candidate);
    const conflict = findConflict(file, key, localFiles, localFolders, remoteFiles, foldersByKey, fold);
    if (conflict) {
      problems.push({ path: file.relPath, ...conflict });
      continue;
    }
    const exact = candidates.find((candidate) => candidate.path === file.relPath) ?? candidates[0];
    pairs.push(exact ? { source: file, remote: exact } : { source: file });
  }

  return {
    pairs,
    problems,
    unmatched: remote.files.filter((file) => !claimed.has(file)),
    foldersByKey,
  };
}

function findConflict(
  file: SourceFile,
  key: string,
  localFiles: ReadonlyMap<string, SourceFile[]>,
  localFolders: ReadonlySet<string>,
  remoteFiles: ReadonlyMap<string, RemoteFile[]>,
  remoteFolders: ReadonlyMap<string, RemoteFolder>,
  fold: (path: string) => string,
): Omit<PlanProblem, 'path'> | undefined {
  // The group always holds the file itself; only a larger one can hold a twin.
  const group = localFiles.get(key);
  const twins = group !== undefined && group.length > 1 ? group.filter((other) => other !== file) : [];
  if (twins.length > 0) {
    const names = twins.map((other) => `"${other.relPath}"`).join(', ');
    return {
      code: 'CASE_COLLISION',
      message: `"${file.relPath}" and ${names} are one name on this printer, which ignores case; none of them is synced: rename all but one`,
    };
  }
  if (localFolders.has(key)) {
    return {
      code: 'CASE_COLLISION',
      message: `"${file.relPath}" has the same name as a local folder on this printer, which ignores case`,
    };
  }
  const ancestors = ancestorPaths(file.relPath);
  const ancestorKeys = ancestors.map(fold);
  for (let i = 0; i < ancestors.length; i++) {
    const clash = localFiles.get(ancestorKeys[i]!);
    if (clash && clash[0]) {
      return {
        code: 'CASE_COLLISION',
        message: `folder "${ancestors[i]}" has the same name as the local file "${clash[0].relPath}" on this printer, which ignores case`,
      };
    }
  }
  const folder = remoteFolders.get(key);
  if (folder) {
    return {
      code: 'FOLDER_IS_FILE',
      message: `the printer has a folder "${folder.path}" where this file goes; the file is synced once that folder is gone`,
    };
  }
  for (const ancestorKey of ancestorKeys) {
    const blocking = remoteFiles.get(ancestorKey)?.[0];
    if (blocking) {
      return {
        code: 'FOLDER_IS_FILE',
        message: `the printer has a file "${blocking.path}" where this file's folder goes; the file is synced once that file is gone`,
      };
    }
  }
  return undefined;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
