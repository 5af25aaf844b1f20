// LOCAL_WRITE for a folder of the master that a pulled file needs and that cannot be made.

import type { LinkSyncError } from '../errors.js';
import { localError } from '../local/fetch.js';
import { folderCause, folderFix } from '../local/folder-words.js';

export function pullFolderError(folder: string, cause: unknown): LinkSyncError {
  return localError(`cannot create folder ${folder} (${folderCause(cause)})`, folderFix(cause, 'pull into another folder with -s'), cause);
}
