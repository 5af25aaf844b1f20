// Where to PUT a new file: under the deepest folder the printer already has, by that folder's short path.

import type { NameRules, RemoteFolder, RemoteTree } from '../types.js';
import { foldName, joinPath, splitPath } from '../source/paths.js';

/**
 * Existing folders are addressed by their urlPath (8.3 names on Buddy), which keeps the PUT path and
 * the URL short; only the parts that do not exist yet use long names. Without an existing parent the
 * file goes under the sync root's rootUrl.
 */
export function uploadTarget(
  relPath: string,
  remote: RemoteTree,
  foldersByKey: ReadonlyMap<string, RemoteFolder>,
  rules: NameRules,
): string {
  const segments = splitPath(relPath);
  for (let depth = segments.length - 1; depth > 0; depth--) {
    const parent = foldersByKey.get(foldName(segments.slice(0, depth).join('/'), rules));
    if (parent) return joinPath(parent.urlPath, ...segments.slice(depth));
  }
  return joinPath(remote.rootUrl, relPath);
}
