// Downloads one printer copy into a hidden temporary file in its target folder, hashing it on the
// way; then places it under the real name without ever replacing a local file, with the printer's
// time as its mtime. A failed or interrupted download leaves nothing under the real name.

import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { LinkSyncError } from '../errors.js';
import type { CreatedFolders } from './created-folders.js';
import { folderCause, writeFix } from './folder-words.js';
import { makeFolders } from './make-folders.js';
import type { DownloadSink, PrinterApi } from '../printer/api.js';
import { PrinterError } from '../errors.js';
import { plausibleTimestamp } from '../record/prepass.js';

/** A printer's file to copy here, and where it goes. */
export interface RemoteCopy {
  printer: string;
  storage: string;
  /** Long path under `localRoot` (its names, joined by "/"). */
  path: string;
  /** Storage-relative path to GET (short names on Buddy). */
  urlPath: string;
  /** Bytes the printer listed: the download must bring exactly these. */
  size: number;
  /** Printer clock seconds: the local file's mtime when plausible. */
  mTimestamp?: number;
  /** The local folder this printer mirrors (the master, or its own `source`). */
  localRoot: string;
}

export interface FetchedCopy {
  candidate: RemoteCopy;
  tempPath: string;
  sha256: string;
  bytes: number;
}

/** A local write that cannot happen (a folder outside the master, a full disk): this file fails. */
export function localError(message: string, hint: string, cause?: unknown): LinkSyncError {
  return new LinkSyncError('LOCAL_WRITE', message, { hint, ...(cause !== undefined ? { cause } : {}) });
}

/** How a download's local folder is named in errors: the master of a pull, or the backup folder. */
export interface TargetWords {
  /** The local root in words: "the master folder". */
  root: string;
  /** What to do instead of writing there: "pull into another folder with -s". */
  elsewhere: string;
  /** A folder of the target that could not be made (the FolderError of makeFolders, or another error). */
  folderError: (folder: string, cause: unknown) => LinkSyncError;
}

/** The target's folder, created if needed, checked to lie inside the local root even through symbolic
 * links: the deepest existing folder is checked before anything is created, then the result.
 * Folders it creates are added to `created`, when given. */
export async function targetFolder(
  localRoot: string,
  names: readonly string[],
  words: TargetWords,
  created?: CreatedFolders,
): Promise<string> {
  const folder = path.join(localRoot, ...names.slice(0, -1));
  const realRoot = await fsp.realpath(localRoot);
  const inside = async (dir: string): Promise<void> => {
    const real = await fsp.realpath(dir);
    if (!realInside(realRoot, real)) {
      throw localError(
        `${folder} leads outside ${words.root} (to ${real}) through a symbolic link`,
        `nothing is written outside ${words.root}; remove the link or ${words.elsewhere}`,
      );
    }
  };
  // A link to nothing counts as missing here: makeFolders never creates through it, and names it.
  let existing = folder;
  while (existing !== localRoot && !(await resolves(existing))) existing = path.dirname(existing);
  await inside(existing);
  try {
    created?.add(await makeFolders(folder));
  } catch (error) {
    throw words.folderError(folder, error);
  }
  await inside(folder);
  return folder;
}

function realInside(realRoot: string, real: string): boolean {
  return real === realRoot || real.startsWith(realRoot + path.sep);
}

/** Whether the folder exists and lies inside `localRoot` through any symbolic links: a look, nothing is created. */
export async function existsInside(localRoot: string, folder: string): Promise<boolean> {
  try {
    return realInside(await fsp.realpath(localRoot), await fsp.realpath(folder));
  } catch {
    return false;
  }
}

/** Where a copy from `printer` waits before it is placed: hidden, so a sync never sees it. */
export function tempPathFor(folder: string, printer: string, relPath: string): string {
  const tag = createHash('sha256').update(`${printer}\u0000${relPath}`).digest('hex').slice(0, 16);
  return path.join(folder, `.${tag}.link-sync.part`);
}

export async function fetchCopy(
  api: PrinterApi,
  candidate: RemoteCopy,
  names: readonly string[],
  options: {
    signal?: AbortSignal;
    onBytes?: (received: number) => void;
    createdFolders?: CreatedFolders;
    words: TargetWords;
  },
): Promise<FetchedCopy> {
  const folder = await targetFolder(candidate.localRoot, names, options.words, options.createdFolders);
  const tempPath = tempPathFor(folder, candidate.printer, candidate.path);
  let hash = createHash('sha256');
  // The folder refuses the temporary file (its rights, a read-only file system, a full disk): a local
  // problem in words, never retried and never blamed on the printer.
  const unwritable = (error: unknown): LinkSyncError =>
    localError(`cannot write into ${folder} (${folderCause(error)})`, writeFix(folder, error, options.words.elsewhere), error);
  const open = (): DownloadSink => {
    hash = createHash('sha256');
    let handle: Promise<FileHandle> | undefined;
    // Truncates what an earlier attempt (or an earlier, killed run) left.
    const file = (): Promise<FileHandle> => (handle ??= fsp.open(tempPath, 'w', 0o644));
    return {
      write: async (chunk) => {
        hash.update(chunk);
        try {
          const fh = await file();
          let at = 0;
          while (at < chunk.length) at += (await fh.write(chunk, at, chunk.length - at)).bytesWritten;
        } catch (error) {
          throw unwritable(error);
        }
      },
      close: async () => {
        try {
          const fh = await file();
          await fh.sync();
          await fh.close();
        } catch (error) {
          throw unwritable(error);
        }
      },
      abort: async () => {
        if (handle) await (await handle).close().catch(() => undefined);
      },
    };
  };
  try {
    const result = await api.download(candidate.storage, candidate.urlPath, {
      open,
      expectedBytes: candidate.size,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onBytes ? { onBytes: options.onBytes } : {}),
    });
    if (!result) {
      throw new PrinterError(
        candidate.printer,
        'not-found',
        `printer ${candidate.printer}: ${candidate.path} vanished before it was downloaded`,
        {
          hint: 'nothing was written; run pull again',
        },
      );
    }
    if (result.bytes !== candidate.size) {
      throw new PrinterError(
        candidate.printer,
        'protocol',
        `printer ${candidate.printer}: ${candidate.path}: sent ${result.bytes} bytes where it listed ${candidate.size}`,
        {
          hint: 'nothing was written; the file may have changed on the printer: run pull again',
        },
      );
    }
    return { candidate, tempPath, sha256: hash.digest('hex'), bytes: result.bytes };
  } catch (error) {
    // In a folder that refuses the file, its removal fails too; that must not hide why.
    await fsp.rm(tempPath, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * Moves a finished copy to its real name unless something is already there: a hard link fails on an
 * existing name, so a local file is never replaced. Resolves false (and drops the copy) when the name
 * was taken meanwhile.
 */
export async function placeCopy(copy: FetchedCopy, target: string, words: Pick<TargetWords, 'elsewhere'>): Promise<boolean> {
  const stamp = copy.candidate.mTimestamp;
  try {
    if (plausibleTimestamp(stamp)) await fsp.utimes(copy.tempPath, stamp!, stamp!);
    try {
      await fsp.link(copy.tempPath, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      // File systems without hard links (FAT, some shares): look, then rename.
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
      if (await pathExists(target)) return false;
      await fsp.rename(copy.tempPath, target);
    }
    return true;
  } catch (error) {
    const folder = path.dirname(target);
    throw localError(`cannot write ${target} (${folderCause(error)})`, writeFix(folder, error, words.elsewhere), error);
  } finally {
    // In a folder that refuses the file, its removal fails too; that must not hide why.
    await fsp.rm(copy.tempPath, { force: true }).catch(() => undefined);
  }
}

/** Whether this path leads somewhere (a link to nothing does not). */
async function resolves(file: string): Promise<boolean> {
  return fsp.stat(file).then(
    () => true,
    () => false,
  );
}

/** Whether anything (file, folder, link) stands at this path. */
export async function pathExists(file: string): Promise<boolean> {
  try {
    await fsp.lstat(file);
    return true;
  } catch {
    return false;
  }
}
