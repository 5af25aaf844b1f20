// Defence in depth: every request that changes a printer passes here, and one whose decoded target
// lies outside the run's folder (storage + destination + mirrored source path) is never sent.

import { InternalError } from '../errors.js';
import type { PrinterApi } from '../printer/api.js';
import { quoteRemoteName, remoteNameProblem } from '../printer/remote-name.js';
import { foldName } from '../source/paths.js';

export interface RunScope {
  /** The storage synced ("usb", "local"). */
  storage: string;
  /** Storage-relative URL path of the sync root, as the walk found it ('' for the storage root). */
  rootUrl: string;
  caseInsensitive: boolean;
}

/** Why a change to `storage`/`url` would leave the scope, or undefined when it stays inside. Pure. */
export function scopeProblem(storage: string, url: string, scope: RunScope): string | undefined {
  if (storage !== scope.storage) return `it is on storage "${storage}", not "${scope.storage}"`;
  const segments = url.split('/');
  for (const segment of segments) {
    const problem = remoteNameProblem(segment);
    if (problem) return `its path holds ${problem}`;
  }
  const root = scope.rootUrl.split('/').filter((s) => s !== '');
  const fold = (s: string): string => foldName(s, scope);
  if (segments.length <= root.length || root.some((segment, i) => fold(segment) !== fold(segments[i] as string))) {
    return `it is not inside ${scope.rootUrl === '' ? 'the storage root' : `/${scope.storage}/${scope.rootUrl}`}`;
  }
  return undefined;
}

/** The same PrinterApi, except that an upload or deletion outside the scope throws an InternalError unsent. */
export function guardScope(api: PrinterApi, scope: RunScope): PrinterApi {
  const check = (verb: string, storage: string, url: string): void => {
    const problem = scopeProblem(storage, url, scope);
    if (problem === undefined) return;
    throw new InternalError(
      `refused to ${verb} ${quoteRemoteName(`/${storage}/${url}`)} on printer ${api.name}: ${problem}; the request was not sent`,
      {
        hint: 'this is a bug in link-sync or a printer listing that lies; nothing more is changed on this printer; please report it with the command you ran',
      },
    );
  };
  return {
    name: api.name,
    identify: () => api.identify(),
    status: () => api.status(),
    storages: () => api.storages(),
    transfer: () => api.transfer(),
    list: (storage, dirUrl) => api.list(storage, dirUrl),
    stat: (storage, fileUrl) => api.stat(storage, fileUrl),
    // Reading changes nothing on the printer: backups download without a scope check.
    download: (storage, fileUrl, options) => api.download(storage, fileUrl, options),
    upload: async (storage, fileUrl, body, options) => {
      check('upload to', storage, fileUrl);
      return api.upload(storage, fileUrl, body, options);
    },
    remove: async (storage, url) => {
      check('delete', storage, url);
      return api.remove(storage, url);
    },
    close: () => api.close(),
  };
}
