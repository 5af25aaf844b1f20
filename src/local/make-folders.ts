// Creates a folder and its missing parents, one at a time, and says which it made. Not
// `mkdir({ recursive: true })`: on a read-only file system or through a link to a folder that does
// not exist that reports ENOENT or ENOTDIR (it looks for the folder it failed to make), and under
// /proc it can loop forever. One step at a time gives the real cause and the path at fault.

import { promises as fsp } from 'node:fs';
import path from 'node:path';

/** A folder that could not be made: the file system's code and the path at fault. */
export class FolderError extends Error {
  readonly code: string;
  readonly at: string;
  /** `at` is a symbolic link to a folder that does not exist (the code is then ENOENT). */
  readonly danglingLink: boolean;

  constructor(code: string, at: string, options: { danglingLink?: boolean; cause?: unknown } = {}) {
    super(`${code}: ${at}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FolderError';
    this.code = code;
    this.at = at;
    this.danglingLink = options.danglingLink ?? false;
  }
}

/**
 * Makes `dir` and its missing parents (with `mode`, else the default). Resolves the folders it made,
 * shallowest first; one made meanwhile by another run is not among them. Throws a FolderError.
 */
export async function makeFolders(dir: string, mode?: number): Promise<string[]> {
  const missing: string[] = [];
  let at = path.resolve(dir);
  for (;;) {
    const info = await fsp.stat(at).catch((error: unknown) => error as NodeJS.ErrnoException);
    if (!(info instanceof Error)) {
      if (!info.isDirectory()) throw new FolderError('ENOTDIR', at);
      break;
    }
    const parent = path.dirname(at);
    // ENOTDIR: a file stands somewhere above; going up finds it.
    if ((info.code !== 'ENOENT' && info.code !== 'ENOTDIR') || parent === at) throw fromFs(info, at);
    missing.push(at);
    at = parent;
  }
  const made: string[] = [];
  for (const folder of missing.reverse()) {
    try {
      await fsp.mkdir(folder, mode === undefined ? {} : { mode });
      made.push(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw fromFs(error, folder);
      const kind = await whatStands(folder);
      if (kind === 'folder') continue; // made meanwhile by another run
      throw kind === 'dangling-link'
        ? new FolderError('ENOENT', folder, { danglingLink: true, cause: error })
        : new FolderError('ENOTDIR', folder, { cause: error });
    }
  }
  return made;
}

function fromFs(error: unknown, at: string): FolderError {
  return new FolderError((error as NodeJS.ErrnoException).code ?? String(error), at, { cause: error });
}

async function whatStands(file: string): Promise<'folder' | 'dangling-link' | 'other'> {
  const info = await fsp.stat(file).catch(() => undefined);
  if (info?.isDirectory()) return 'folder';
  const link = await fsp.lstat(file).catch(() => undefined);
  return info === undefined && link?.isSymbolicLink() ? 'dangling-link' : 'other';
}
