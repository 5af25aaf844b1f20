// --backup-dir: before a sync deletes or replaces a printer's file, its current copy is downloaded to
// DIR/<printer>/<path on the storage>. An existing backup is kept; the new one gets a time suffix,
// unless the newest backup there is already this same file. Any failure throws, and the caller then
// leaves the printer's file alone.

import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { LinkSyncError } from '../errors.js';
import type { PrinterApi } from '../printer/api.js';
import type { CreatedFolders } from '../local/created-folders.js';
import { fetchCopy, pathExists, placeCopy, targetFolder, type TargetWords } from '../local/fetch.js';
import { folderCause, folderFix } from '../local/folder-words.js';
import { makeFolders } from '../local/make-folders.js';
import { checkLocalPath, checkName } from '../local/names.js';
import { joinPath } from '../source/paths.js';
import type { Action, RemoteFile } from '../types.js';
import { newestBackup, sameByTime, sameContent, suffixed } from './earlier-backup.js';

export interface BackupContext {
  dir: string;
  printer: string;
  api: PrinterApi;
  storage: string;
  /** Long path of the sync root in the storage. */
  root: string;
  /** What the printer holds under each action's path: its size (known before any backup) and time. */
  remoteOf: (action: Action) => Pick<RemoteFile, 'size' | 'mTimestamp'> | undefined;
  signal?: AbortSignal;
  /**
   * The folders the run's backups created, shared by its printers: a backup that fails or is
   * interrupted removes those it leaves empty (its printer's, and the backup folder's own when the run made it).
   */
  created?: CreatedFolders;
  /** Told what could not be tidied up after a failed backup. */
  warn?: (message: string) => void;
}

const BACKUP_WORDS: TargetWords = { root: 'the backup folder', elsewhere: 'choose another --backup-dir', folderError: backupFolderError };

export interface BackupDone {
  localPath: string;
  /** Bytes downloaded (0 when the printer's time stamp showed the earlier backup is the same file). */
  bytes: number;
  /** The backup is one an earlier run made of this same file; nothing new was written. */
  kept?: boolean;
}

/** Where the backup of a printer's file goes: DIR/<printer>/<path on the storage>. */
export interface BackupTarget {
  /** DIR/<printer>. */
  folderRoot: string;
  /** The file's path on the storage (sync root and action path). */
  storagePath: string;
  /** That path's names, checked as local names. */
  names: readonly string[];
}

/** The backup's place for a file of the sync root, or why it cannot have one here. */
export function backupTarget(dir: string, printer: string, root: string, actionPath: string): BackupTarget | { problem: string } {
  const printerName = checkName(printer);
  if (printerName) return { problem: `the printer name ${JSON.stringify(printer)} cannot be a folder name here: ${printerName.reason}` };
  const storagePath = joinPath(root, actionPath);
  const check = checkLocalPath(storagePath);
  if (!check.ok) return { problem: `${JSON.stringify(storagePath)} cannot be written here: ${check.reason}` };
  return { folderRoot: path.join(dir, printer), storagePath, names: check.names };
}

/** Downloads the printer's copy of the file `action` is about to delete or replace. */
export async function backUp(ctx: BackupContext, action: Action): Promise<BackupDone> {
  const remote = ctx.remoteOf(action);
  if (remote?.size === undefined)
    throw backupError(`the size of ${action.path} on the printer is not known, so its backup could not be checked`);
  const place = backupTarget(ctx.dir, ctx.printer, ctx.root, action.path);
  if ('problem' in place) throw backupError(place.problem);
  const { folderRoot, storagePath, names } = place;
  try {
    try {
      ctx.created?.add(await makeFolders(folderRoot));
    } catch (error) {
      throw backupFolderError(folderRoot, error);
    }
    return await download(ctx, action, remote.size, remote.mTimestamp, folderRoot, storagePath, names);
  } catch (error) {
    if (ctx.created) await removeLeftFolders(ctx.created, folderRoot, ctx.warn);
    throw inBackupWords(error);
  }
}

/** A local write that failed (a folder that refuses the file, a link that leads out): the fix goes in the message. */
function inBackupWords(error: unknown): unknown {
  if (!(error instanceof LinkSyncError) || error.code !== 'LOCAL_WRITE') return error;
  return backupError(error.hint ? `${error.message}: ${error.hint}` : error.message, error);
}

async function download(
  ctx: BackupContext,
  action: Action,
  size: number,
  mTimestamp: number | undefined,
  folderRoot: string,
  storagePath: string,
  names: readonly string[],
): Promise<BackupDone> {
  const name = names[names.length - 1]!;
  // A replacement whose upload failed comes back on the next run: its newest backup may be this very file.
  const earlier = await newestBackup(await targetFolder(folderRoot, names, BACKUP_WORDS, ctx.created), name);
  if (earlier && sameByTime(earlier, size, mTimestamp)) return { localPath: earlier.path, bytes: 0, kept: true };
  const copy = await fetchCopy(
    ctx.api,
    {
      printer: ctx.printer,
      storage: ctx.storage,
      path: storagePath,
      urlPath: action.targetUrl,
      size,
      localRoot: folderRoot,
      ...(mTimestamp !== undefined ? { mTimestamp } : {}),
    },
    names,
    {
      words: BACKUP_WORDS,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...(ctx.created ? { createdFolders: ctx.created } : {}),
    },
  );
  if (earlier && (await sameContent(earlier, copy.bytes, copy.sha256))) {
    await fsp.rm(copy.tempPath, { force: true });
    return { localPath: earlier.path, bytes: copy.bytes, kept: true };
  }
  const folder = path.join(folderRoot, ...names.slice(0, -1));
  const target = await freeName(folder, name, new Date());
  // placeCopy never replaces: should the name be taken meanwhile, the backup fails rather than overwrite.
  if (!target || !(await placeCopy(copy, target, BACKUP_WORDS))) {
    await fsp.rm(copy.tempPath, { force: true });
    throw backupError(`no free name for the backup of ${action.path} in ${folder}`);
  }
  return { localPath: target, bytes: copy.bytes };
}

/**
 * After a failed or interrupted backup: the folders the run made that are now empty, in this
 * printer's part of the backup folder and above it. Another printer's part is left alone (its backup
 * may be about to write into a folder it just made); a shared parent removed under it is made again
 * by its next `mkdir`.
 */
async function removeLeftFolders(
  created: CreatedFolders,
  folderRoot: string,
  warn: ((message: string) => void) | undefined,
): Promise<void> {
  const mine = (folder: string): boolean =>
    folder === folderRoot || folder.startsWith(folderRoot + path.sep) || folderRoot.startsWith(folder + path.sep);
  const { problems } = await created.removeEmpty(mine);
  for (const problem of problems) warn?.(problem);
}

/** The name itself, else "benchy.20261205T174200Z.gcode", else with "-2", "-3"... */
async function freeName(folder: string, name: string, now: Date): Promise<string | undefined> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const target = path.join(folder, attempt === 0 ? name : suffixed(name, now, attempt));
    if (!(await pathExists(target))) return target;
  }
  return undefined;
}

function backupError(message: string, cause?: unknown): LinkSyncError {
  return new LinkSyncError('BACKUP_FAILED', `backup failed: ${message}`, {
    hint: 'the printer keeps its copy; fix the backup folder and run again',
    ...(cause !== undefined ? { cause } : {}),
  });
}

/** The fix goes in the message: a held change's warning shows no hint. */
function backupFolderError(folder: string, cause: unknown): LinkSyncError {
  return backupError(`cannot create ${folder} (${folderCause(cause)}): ${folderFix(cause, 'choose another --backup-dir')}`, cause);
}
