// Path helpers for the planner's hot loops. The scan and the walk hand it clean paths ("a/b/c.gcode":
// no empty segment), for which slicing and concatenating give exactly what splitting and re-joining
// would, at a fraction of the cost; anything else goes the general way.

import { recordKey } from '../record/keys.js';
import { ancestorsOf, foldName } from '../source/paths.js';
import type { NameRules, RemoteFile, RemoteTree } from '../types.js';

const SLASH = 0x2f;

/** Not empty, no leading, trailing or doubled slash. */
function isClean(path: string): boolean {
  return path !== '' && path.charCodeAt(0) !== SLASH && path.charCodeAt(path.length - 1) !== SLASH && !path.includes('//');
}

/** Same as ancestorsOf: every ancestor folder, nearest last ('a/b/c.gcode' → ['a', 'a/b']). */
export function ancestorPaths(path: string): string[] {
  if (!isClean(path)) return ancestorsOf(path);
  const out: string[] = [];
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) out.push(path.slice(0, i));
  return out;
}

/** `(path) => recordKey(root, path, rules)` for one sync root. */
export function recordKeyer(root: string, rules: Pick<NameRules, 'caseInsensitive'>): (path: string) => string {
  if (root !== '' && !isClean(root)) return (path) => recordKey(root, path, rules);
  const prefix = root === '' ? '' : `${root}/`;
  return (path) => (isClean(path) ? foldName(prefix + path, rules) : recordKey(root, path, rules));
}

interface CachedKeys {
  files: readonly RemoteFile[];
  fileCount: number;
  root: string;
  caseInsensitive: boolean;
  byKey: ReadonlyMap<string, RemoteFile>;
}

const remoteKeys = new WeakMap<RemoteTree, CachedKeys>();

/**
 * The printer's files by record key (a later file of the same key wins). The pre-pass and the planner
 * both need it for one listing, so it is built once per tree and case rule (until forgetRecordKeys),
 * and again should the tree's file list be replaced or change length.
 */
export function filesByRecordKey(remote: RemoteTree, rules: Pick<NameRules, 'caseInsensitive'>): ReadonlyMap<string, RemoteFile> {
  const cached = remoteKeys.get(remote);
  if (
    cached &&
    cached.files === remote.files &&
    cached.fileCount === remote.files.length &&
    cached.root === remote.root &&
    cached.caseInsensitive === rules.caseInsensitive
  ) {
    return cached.byKey;
  }
  const keyOf = recordKeyer(remote.root, rules);
  const byKey = new Map<string, RemoteFile>();
  for (const file of remote.files) byKey.set(keyOf(file.path), file);
  remoteKeys.set(remote, {
    files: remote.files,
    fileCount: remote.files.length,
    root: remote.root,
    caseInsensitive: rules.caseInsensitive,
    byKey,
  });
  return byKey;
}

/** Lets go of what filesByRecordKey keeps for a tree, once its printer is planned: a farm keeps trees until the end. */
export function forgetRecordKeys(remote: RemoteTree): void {
  remoteKeys.delete(remote);
}
