// Defence in depth: every request that changes a printer passes here, and one whose decoded target
// lies outside the run's folder (storage + destination + mirrored source path) is never sent.

import { InternalError } from '../errors.js';
import type { PrinterApi, RemoteEntry } from '../printer/api.js';
import { quoteRemoteName, remoteNameProblem } from '../printer/remote-name.js';
import { foldName } from '../source/paths.js';

export interface RunScope {
  /** The storage synced ("usb", "local"). */
  storage: string;
  /** Storage-relative URL path of the sync root, as the walk found it ('' for the storage root). */
  rootUrl: string;
  caseInsensitive: boolean;
}

/** Whether a request's segment names the root's segment at index `i` (given as rootUrl names it, folded). */
type RootSegmentTest = (segment: string, i: number) => boolean;

/** Why a change to `storage`/`url` would leave the scope, or undefined when it stays inside. Pure. */
export function scopeProblem(storage: string, url: string, scope: RunScope): string | undefined {
  return outsideProblem(storage, url, scope, rootSegmentTest(scope));
}

function rootSegmentTest(scope: RunScope, aliases?: ReadonlyArray<ReadonlySet<string>>): RootSegmentTest {
  const root = splitUrl(scope.rootUrl).map((segment) => foldName(segment, scope));
  return (segment, i) => {
    const folded = foldName(segment, scope);
    return folded === root[i] || aliases?.[i]?.has(folded) === true;
  };
}

function splitUrl(url: string): string[] {
  return url.split('/').filter((s) => s !== '');
}

function outsideProblem(storage: string, url: string, scope: RunScope, isRoot: RootSegmentTest, rootItself = false): string | undefined {
  if (storage !== scope.storage) return `it is on storage "${storage}", not "${scope.storage}"`;
  const segments = url.split('/');
  for (const segment of segments) {
    const problem = remoteNameProblem(segment);
    if (problem) return `its path holds ${problem}`;
  }
  const rootLength = splitUrl(scope.rootUrl).length;
  // Creating a folder may make the sync root itself, or a folder on the way to it.
  const within = rootItself ? segments.length <= rootLength : segments.length > rootLength;
  const prefix = Math.min(segments.length, rootLength);
  if (!within || segments.slice(0, prefix).some((segment, i) => !isRoot(segment, i))) {
    return `it is not inside ${scope.rootUrl === '' ? 'the storage root' : `/${scope.storage}/${scope.rootUrl}`}`;
  }
  return undefined;
}

/**
 * The same PrinterApi, except that an upload, folder creation or deletion outside the scope throws an
 * InternalError unsent. A sync root the run creates is then named by the short names the printer lists
 * for its folders, which the guard learns from the listings that pass it.
 */
export function guardScope(api: PrinterApi, scope: RunScope): PrinterApi {
  const root = splitUrl(scope.rootUrl);
  const aliases = root.map(() => new Set<string>());
  const isRoot = rootSegmentTest(scope, aliases);
  const refuse = (verb: string, storage: string, url: string, problem: string): never => {
    throw new InternalError(
      `refused to ${verb} ${quoteRemoteName(`/${storage}/${url}`)} on printer ${api.name}: ${problem}; the request was not sent`,
      {
        hint: 'this is a bug in link-sync or a printer listing that lies; nothing more is changed on this printer; please report it with the command you ran',
      },
    );
  };
  const check = (verb: string, storage: string, url: string): void => {
    const problem = outsideProblem(storage, url, scope, isRoot);
    if (problem !== undefined) refuse(verb, storage, url, problem);
  };
  /** A listing of a folder on the way to the sync root tells the short name of the root's next folder. */
  const learn = (storage: string, dirUrl: string, entries: RemoteEntry[]): void => {
    const segments = splitUrl(dirUrl);
    const next = segments.length;
    if (storage !== scope.storage || next >= root.length || segments.some((segment, i) => !isRoot(segment, i))) return;
    const wanted = foldName(root[next] as string, scope);
    for (const entry of entries) {
      if (entry.type === 'folder' && foldName(entry.name, scope) === wanted) aliases[next]?.add(foldName(entry.urlName, scope));
    }
  };
  return {
    name: api.name,
    identify: () => api.identify(),
    status: () => api.status(),
    storages: () => api.storages(),
    transfer: () => api.transfer(),
    list: async (storage, dirUrl) => {
      const entries = await api.list(storage, dirUrl);
      if (entries) learn(storage, dirUrl, entries);
      return entries;
    },
    stat: (storage, fileUrl) => api.stat(storage, fileUrl),
    // Reading changes nothing on the printer: backups download without a scope check.
    download: (storage, fileUrl, options) => api.download(storage, fileUrl, options),
    upload: async (storage, fileUrl, body, options) => {
      check('upload to', storage, fileUrl);
      return api.upload(storage, fileUrl, body, options);
    },
    createFolder: async (storage, folderUrl) => {
      // Inside the scope, or the sync root itself or a folder on the way to it.
      const problem = outsideProblem(storage, folderUrl, scope, isRoot);
      if (problem !== undefined && outsideProblem(storage, folderUrl, scope, isRoot, true) !== undefined) {
        refuse('create folder', storage, folderUrl, problem);
      }
      return api.createFolder(storage, folderUrl);
    },
    remove: async (storage, url) => {
      check('delete', storage, url);
      return api.remove(storage, url);
    },
    close: () => api.close(),
  };
}
