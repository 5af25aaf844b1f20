// A folder that could not be made or written, in words: the cause (naming the path at fault where it
// is a file or a broken link) and the fix.

import path from 'node:path';
import { FolderError } from './make-folders.js';

/** "read-only file system", "X is not a folder", "X is a link to a folder that does not exist"… */
export function folderCause(cause: unknown): string {
  if (cause instanceof FolderError) {
    if (cause.danglingLink) return `${cause.at} is a link to a folder that does not exist`;
    if (cause.code === 'ENOTDIR') return `${cause.at} is not a folder`;
  }
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? (CAUSES[code] ?? code) : String(cause);
}

/** Whether the cause names a file or a link in the way (rather than the folder's rights or disk). */
export function inTheWay(cause: unknown): boolean {
  return cause instanceof FolderError && (cause.danglingLink || cause.code === 'ENOTDIR');
}

/** What to do about `cause`, ending with `elsewhere` ("choose another --backup-dir"). */
export function folderFix(cause: unknown, elsewhere: string): string {
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (cause instanceof FolderError && cause.danglingLink) return `make the link point to a folder that exists, or ${elsewhere}`;
  if (inTheWay(cause)) return `move that file out of the way, or ${elsewhere}`;
  if ((code === 'EACCES' || code === 'EPERM') && cause instanceof FolderError)
    return `make ${path.dirname(cause.at)} writable, or ${elsewhere}`;
  if (code === 'ENOSPC' || code === 'EDQUOT') return `free some space, or ${elsewhere}`;
  return elsewhere;
}

/** What to do about a file that cannot be written into `folder`, a folder that exists (or did). */
export function writeFix(folder: string, cause: unknown, elsewhere: string): string {
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return `make ${folder} writable, or ${elsewhere}`;
  if (code === 'ENOENT') return `${folder} was moved or removed meanwhile; run again`;
  return folderFix(cause, elsewhere);
}

const CAUSES: Record<string, string> = {
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of its path is a file, not a folder',
  EISDIR: 'it is a folder',
  ENOENT: 'a part of its path does not exist',
  ELOOP: 'its path has a loop of symbolic links',
  ENAMETOOLONG: 'its path is too long',
};
