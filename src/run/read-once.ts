// A read-only view of a printer for `link-sync status`: identify, status and storages asked once, changes refused.

import type { PrinterApi } from '../printer/api.js';
import { InternalError } from '../errors.js';

/** A PrinterApi whose identify, status and storages answer once and then repeat that answer. */
export function readOnce(api: PrinterApi): PrinterApi {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    let answer = memo.get(key) as Promise<T> | undefined;
    if (!answer) {
      answer = read();
      memo.set(key, answer);
    }
    return answer;
  };
  return {
    name: api.name,
    identify: () => once('identify', () => api.identify()),
    status: () => once('status', () => api.status()),
    storages: () => once('storages', () => api.storages()),
    list: (storage, dir) => api.list(storage, dir),
    stat: (storage, file) => api.stat(storage, file),
    transfer: () => api.transfer(),
    download: (storage, file, options) => api.download(storage, file, options),
    upload: () => Promise.reject(new InternalError('status tried to upload')),
    createFolder: () => Promise.reject(new InternalError('status tried to create a folder')),
    remove: () => Promise.reject(new InternalError('status tried to delete')),
    close: () => api.close(),
  };
}
