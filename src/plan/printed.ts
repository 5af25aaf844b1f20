// Which remote file is being printed: the printer names it by long or short path, in any case.

import type { NameRules, PrintedFile, RemoteFile, RemoteTree } from '../types.js';
import { foldName, joinPath, splitPath } from '../source/paths.js';

export type PrintedTest = (file: RemoteFile) => boolean;

/**
 * A test that says whether a remote file may be the one being printed. No job: nothing is. A job
 * without a path: every file may be, so every file is. Otherwise a printed path matches when, segment
 * by segment, each part is the file's long or short name for that level (firmware may mix the two),
 * or, as a whole, its long or short path. A leading "<storage>/" is also tried, in case the printer
 * reported the path with its storage: holding one file too many is safe, one too few is not.
 */
export function printedFileTest(printing: PrintedFile | undefined, remote: RemoteTree, rules: NameRules): PrintedTest {
  if (!printing) return () => false;
  if (printing.paths.length === 0) return () => true;
  const fold = (text: string): string => foldName(text, rules);
  const candidates: string[][] = [];
  const storagePrefix = fold(remote.storage);
  for (const raw of printing.paths) {
    const segments = splitPath(fold(raw));
    if (segments.length === 0) continue;
    candidates.push(segments);
    if (segments.length > 1 && segments[0] === storagePrefix) candidates.push(segments.slice(1));
  }
  return (file) => {
    const long = splitPath(fold(joinPath(remote.root, file.path)));
    const short = splitPath(fold(file.urlPath));
    return candidates.some((candidate) => sameFile(candidate, long, short));
  };
}

function sameFile(candidate: string[], long: string[], short: string[]): boolean {
  if (equalSegments(candidate, long) || equalSegments(candidate, short)) return true;
  if (candidate.length !== long.length || long.length !== short.length) return false;
  return candidate.every((segment, i) => segment === long[i] || segment === short[i]);
}

function equalSegments(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((segment, i) => segment === b[i]);
}
