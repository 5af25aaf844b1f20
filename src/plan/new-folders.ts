// Uploads whose path is too long only because folders the printer lacks would go by their long
// names: those folders are created first, one level at a time, and each is then addressed by its
// short (8.3) name. Pure: which uploads qualify, and what their reasons say.

import type { Action, NameRules, NewFolders } from '../types.js';
import { checkRemotePath, fitsRequestLimits, foldName, joinPath } from '../source/paths.js';
import type { UploadPlace } from './target.js';

/** The longest short name FatFS gives a folder: 8 + '.' + 3, with a numeric tail. */
export const WORST_SHORT_NAME = 'ABCDEF~1.XYZ';

/** A name FatFS keeps as its own short name (upper-cased): no tail, no longer than the name. */
const PLAIN_SHORT_NAME = /^[A-Za-z0-9_-]{1,8}(\.[A-Za-z0-9_-]{1,3})?$/;

/**
 * Bytes a new folder's short name may take, as a name of that length. FatFS makes the short name's
 * extension (at most 3 characters) from what follows the last dot, so a name without one gets at
 * most 8 ("BRACKE~1"). Non-ASCII names are given the longest; the printer's real short names are
 * checked again before the file is sent.
 */
function shortNameStandIn(longName: string): string {
  if (PLAIN_SHORT_NAME.test(longName)) return longName.toUpperCase();
  if (!/^[\x00-\x7f]*$/.test(longName)) return WORST_SHORT_NAME;
  const dot = longName.lastIndexOf('.');
  const extension = dot > 0 ? Math.min(3, longName.length - dot - 1) : 0;
  return extension > 0 ? `ABCDEF~1.${'X'.repeat(extension)}` : 'ABCDEF~1';
}

/**
 * The folders to create before uploading to `place`, or undefined when creating them would not let
 * the upload fit: the file's path with every new folder by the longest short name it may get, and
 * each creation's own path (the folders above by short name, this one by its long name), must fit the
 * printer's limits. Only for printers with a PUT path limit (Buddy); the printer checks the real
 * short names again before anything is sent.
 */
export function foldersToCreate(place: UploadPlace, storage: string, rules: NameRules): NewFolders | undefined {
  if (!place.known || place.missing.length === 0 || rules.maxPutPathBytes === undefined) return undefined;
  const shortNames = place.missing.map(shortNameStandIn);
  for (let level = 0; level < place.missing.length; level++) {
    const request = joinPath(place.parentUrl, ...shortNames.slice(0, level), place.missing[level] as string);
    if (!fitsRequestLimits(request, storage, rules)) return undefined;
  }
  if (checkRemotePath(joinPath(place.parentUrl, ...shortNames, place.name), storage, rules).length > 0) return undefined;
  return { parentUrl: place.parentUrl, parentPath: place.parentPath, names: place.missing };
}

/** The long storage paths of the folders an upload creates, outermost first. */
export function newFolderPaths(folders: NewFolders): string[] {
  const paths: string[] = [];
  let path = folders.parentPath;
  for (const name of folders.names) {
    path = joinPath(path, name);
    paths.push(path);
  }
  return paths;
}

const WHY = 'its path is too long with long folder names';

/**
 * Each upload's reason names the folders it creates first. Uploads run in the order given, and a
 * folder several of them need is created by the first (the others find it made): it is named once.
 */
export function explainNewFolders(actions: Action[], storage: string, rules: NameRules): Action[] {
  if (!actions.some((action) => action.kind === 'upload' && action.newFolders)) return actions;
  const named = new Set<string>();
  return actions.map((action) => {
    if (action.kind !== 'upload' || !action.newFolders) return action;
    const paths = newFolderPaths(action.newFolders);
    const fresh = paths.filter((path) => !named.has(foldName(path, rules)));
    for (const path of fresh) named.add(foldName(path, rules));
    const deepest = `/${storage}/${paths[paths.length - 1]}`;
    const what =
      fresh.length === 0
        ? `into new folder ${deepest}, by its short name`
        : fresh.length === 1
          ? `creates folder ${deepest} first`
          : `creates ${fresh.length} folders down to ${deepest} first`;
    return { ...action, reason: `${action.reason} (${what}: ${WHY})` };
  });
}
