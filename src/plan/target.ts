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
  const place = uploadPlace(relPath, remote, foldersByKey, rules);
  return joinPath(place.parentUrl, ...place.missing, place.name);
}

/** Where a new file goes: the deepest folder the printer has, the folders it lacks below that, the name. */
export interface UploadPlace {
  /** Storage-relative URL path of the deepest folder the printer has ('' for the storage root). */
  parentUrl: string;
  /** That folder's long path in the storage. */
  parentPath: string;
  /** Long names of the folders the printer lacks below it (the sync root's own included), outermost first. */
  missing: string[];
  /** The file's long name. */
  name: string;
  /** False when the sync root is missing and the walk did not say which of its folders exist. */
  known: boolean;
}

/** The parts uploadTarget joins, told apart: joinPath(parentUrl, ...missing, name) is that target. */
export function uploadPlace(
  relPath: string,
  remote: RemoteTree,
  foldersByKey: ReadonlyMap<string, RemoteFolder>,
  rules: NameRules,
): UploadPlace {
  const segments = splitPath(relPath);
  const name = segments[segments.length - 1] ?? '';
  for (let depth = segments.length - 1; depth > 0; depth--) {
    const parent = foldersByKey.get(foldName(segments.slice(0, depth).join('/'), rules));
    if (parent) {
      const parentPath = joinPath(remote.root, parent.path);
      return { parentUrl: parent.urlPath, parentPath, missing: segments.slice(depth, -1), name, known: true };
    }
  }
  const folders = segments.slice(0, -1);
  const missingRoot = remote.rootExists ? 0 : remote.missingRootFolders;
  if (missingRoot === undefined) return { parentUrl: remote.rootUrl, parentPath: remote.root, missing: folders, name, known: false };
  const rootSegments = splitPath(remote.root);
  const kept = rootSegments.length - missingRoot;
  return {
    parentUrl: splitPath(remote.rootUrl).slice(0, kept).join('/'),
    parentPath: rootSegments.slice(0, kept).join('/'),
    missing: [...rootSegments.slice(kept), ...folders],
    name,
    known: true,
  };
}
