// The state folder (sync records and the lock): created when missing, and when it cannot be written,
// an error that says why in words and how to choose another.

import { StateError } from '../errors.js';
import { folderCause, inTheWay } from '../local/folder-words.js';
import { makeFolders } from '../local/make-folders.js';

/** Creates the state folder and its missing parents, private to this user. */
export async function makeStateFolder(dir: string): Promise<void> {
  try {
    await makeFolders(dir, 0o700);
  } catch (error) {
    throw stateUnwritable(dir, error);
  }
}

/**
 * STATE_UNWRITABLE for the state folder `dir`: the cause in words, and the settings that choose
 * another folder. `cause` is a file system error, or the FolderError of makeFolders.
 */
export function stateUnwritable(dir: string, cause: unknown): StateError {
  const code = (cause as { code?: unknown } | undefined)?.code;
  const elsewhere = 'set --state-dir DIR, state_dir in the config, or XDG_STATE_HOME to a writable folder';
  return new StateError('STATE_UNWRITABLE', `state folder ${dir} cannot be written (${folderCause(cause)})`, {
    hint: code === 'EROFS' || inTheWay(cause) ? elsewhere : `make it writable, or ${elsewhere}`,
    ...(cause instanceof Error ? { cause } : {}),
  });
}
