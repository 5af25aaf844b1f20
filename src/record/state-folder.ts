// The state folder (sync records and the lock): created when missing, and when it cannot be written,
// an error that says why in words and how to choose another.

import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { StateError } from '../errors.js';

/**
 * Creates the state folder and its missing parents, one folder at a time. Not
 * `mkdir({ recursive: true })`: on a read-only file system that reports ENOENT (it looks for the
 * folder it failed to make and reports that it is not there); one step at a time gives the real cause.
 */
export async function makeStateFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  let at = path.resolve(dir);
  for (;;) {
    const info = await fsp.stat(at).catch((error: unknown) => error as NodeJS.ErrnoException);
    if (!(info instanceof Error)) {
      if (!info.isDirectory()) throw stateUnwritable(dir, { code: 'ENOTDIR', at });
      break;
    }
    const parent = path.dirname(at);
    // ENOTDIR: a file stands somewhere above; going up finds it.
    if ((info.code !== 'ENOENT' && info.code !== 'ENOTDIR') || parent === at) throw stateUnwritable(dir, info);
    missing.push(at);
    at = parent;
  }
  for (const folder of missing.reverse()) {
    try {
      await fsp.mkdir(folder, { mode: 0o700 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw stateUnwritable(dir, error);
      const kind = await whatStands(folder);
      if (kind === 'folder') continue; // made meanwhile by another run
      throw stateUnwritable(dir, {
        code: kind === 'dangling-link' ? 'ENOENT' : 'ENOTDIR',
        at: folder,
        danglingLink: kind === 'dangling-link',
      });
    }
  }
}

async function whatStands(file: string): Promise<'folder' | 'dangling-link' | 'other'> {
  const info = await fsp.stat(file).catch(() => undefined);
  if (info?.isDirectory()) return 'folder';
  const link = await fsp.lstat(file).catch(() => undefined);
  return info === undefined && link?.isSymbolicLink() ? 'dangling-link' : 'other';
}

/**
 * STATE_UNWRITABLE for the state folder `dir`: the cause in words, and the settings that choose
 * another folder. `cause` is a file system error, or what makeStateFolder found (with the path at fault).
 */
export function stateUnwritable(dir: string, cause: unknown): StateError {
  const found = cause as { code?: string; at?: string; danglingLink?: boolean } | undefined;
  const code = found?.code;
  const why =
    found?.danglingLink && found.at !== undefined
      ? `${found.at} is a link to a folder that does not exist`
      : code === 'ENOTDIR' && found?.at !== undefined
        ? `${found.at} is not a folder`
        : code === undefined
          ? String(cause)
          : (CAUSES[code] ?? code);
  const elsewhere = 'set --state-dir DIR, state_dir in the config, or XDG_STATE_HOME to a writable folder';
  return new StateError('STATE_UNWRITABLE', `state folder ${dir} cannot be written (${why})`, {
    hint: code === 'EROFS' || found?.at !== undefined ? elsewhere : `make it writable, or ${elsewhere}`,
    ...(cause instanceof Error ? { cause } : {}),
  });
}

const CAUSES: Record<string, string> = {
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of its path is a file, not a folder',
  ENOENT: 'a part of its path does not exist',
  ELOOP: 'its path has a loop of symbolic links',
  ENAMETOOLONG: 'its path is too long',
};
