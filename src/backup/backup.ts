// --backup-dir: before a sync deletes or replaces a printer's file, its current copy is downloaded to
// DIR/<printer>/<path on the storage>. An existing backup is kept; the new one gets a time suffix.
// Any failure throws, and the caller then leaves the printer's file alone.

import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { LinkSyncError } from '../errors.js';
import type { PrinterApi } from '../printer/api.js';
import { fetchCopy, pathExists, placeCopy } from '../local/fetch.js';
import { checkLocalPath, checkName } from '../local/names.js';
import { joinPath } from '../source/paths.js';
import type { Action, RemoteFile } from '../types.js';

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
}

export interface BackupDone {
  localPath: string;
  bytes: number;
}

/** Downloads the printer's copy of the file `action` is about to delete or replace. */
export async function backUp(ctx: BackupContext, action: Action): Promise<BackupDone> {
  const remote = ctx.remoteOf(action);
  if (remote?.size === undefined)
    throw backupError(`the size of ${action.path} on the printer is not known, so its backup could not be checked`);
  const printerName = checkName(ctx.printer);
  if (printerName) throw backupError(`the printer name ${JSON.stringify(ctx.printer)} cannot be a folder name here: ${printerName.reason}`);
  const storagePath = joinPath(ctx.root, action.path);
  const check = checkLocalPath(storagePath);
  if (!check.ok) throw backupError(`${JSON.stringify(storagePath)} cannot be written here: ${check.reason}`);
  const folderRoot = path.join(ctx.dir, ctx.printer);
  try {
    await fsp.mkdir(folderRoot, { recursive: true });
  } catch (error) {
    throw backupError(`cannot create ${folderRoot} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const copy = await fetchCopy(
    ctx.api,
    {
      printer: ctx.printer,
      storage: ctx.storage,
      path: storagePath,
      urlPath: action.targetUrl,
      size: remote.size,
      localRoot: folderRoot,
      ...(remote.mTimestamp !== undefined ? { mTimestamp: remote.mTimestamp } : {}),
    },
    check.names,
    ctx.signal ? { signal: ctx.signal } : {},
  );
  const folder = path.join(folderRoot, ...check.names.slice(0, -1));
  const target = await freeName(folder, check.names[check.names.length - 1]!, new Date());
  // placeCopy never replaces: should the name be taken meanwhile, the backup fails rather than overwrite.
  if (!target || !(await placeCopy(copy, target))) {
    await fsp.rm(copy.tempPath, { force: true });
    throw backupError(`no free name for the backup of ${action.path} in ${folder}`);
  }
  return { localPath: target, bytes: copy.bytes };
}

/** The name itself, else "benchy.20261205T174200Z.gcode", else with "-2", "-3"... */
async function freeName(folder: string, name: string, now: Date): Promise<string | undefined> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const target = path.join(folder, attempt === 0 ? name : suffixed(name, now, attempt));
    if (!(await pathExists(target))) return target;
  }
  return undefined;
}

/** "benchy.gcode" → "benchy.20261205T174200Z.gcode" (attempt 1), "benchy.20261205T174200Z-2.gcode" (attempt 2). */
export function suffixed(name: string, now: Date, attempt: number): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const tag = attempt <= 1 ? stamp : `${stamp}-${attempt}`;
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? `${name}.${tag}` : `${name.slice(0, dot)}.${tag}${name.slice(dot)}`;
}

function backupError(message: string): LinkSyncError {
  return new LinkSyncError('BACKUP_FAILED', `backup failed: ${message}`, {
    hint: 'the printer keeps its copy; fix the backup folder and run again',
  });
}
