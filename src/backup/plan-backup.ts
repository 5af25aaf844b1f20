// What --backup-dir adds to one printer's sync: the size of every file a deletion or replacement
// will take away (one look-up per file where the listing has none, as on Buddy), and the step the
// executor runs before each of those actions.

import path from 'node:path';
import type { PrinterApi } from '../printer/api.js';
import type { EventSink } from '../report/events.js';
import { foldName } from '../source/paths.js';
import type { Action, RemoteFile, RemoteTree } from '../types.js';
import { backUp, backupTarget } from './backup.js';
import { newestBackup, sameByTime } from './earlier-backup.js';
import { CreatedFolders } from '../local/created-folders.js';
import { existsInside } from '../local/fetch.js';

export interface BackupSizes {
  /** Bytes all backups download: none for a backup an earlier run made of the same file. */
  bytes: number;
  /** Backups an earlier run made of the printer's file as it is now (by its time stamp): kept, not downloaded. */
  kept: number;
  /** By action path: the printer's file as the backup will find it. */
  files: Map<string, Pick<RemoteFile, 'size' | 'mTimestamp'>>;
}

/** Where this printer's backups go: the backup folder, the printer's name, and the sync root in its storage. */
export interface BackupPlace {
  dir: string;
  printer: string;
  root: string;
}

export async function backupSizes(
  api: PrinterApi,
  storage: string,
  remote: RemoteTree,
  actions: readonly Action[],
  place?: BackupPlace,
): Promise<BackupSizes> {
  const byPath = new Map(remote.files.map((f) => [f.path, f]));
  const files = new Map<string, Pick<RemoteFile, 'size' | 'mTimestamp'>>();
  let bytes = 0;
  let kept = 0;
  for (const action of actions) {
    if (action.kind !== 'delete' && action.kind !== 'replace') continue;
    const listed =
      byPath.get(action.path) ??
      remote.files.find((f) => foldName(f.path, { caseInsensitive: true }) === foldName(action.path, { caseInsensitive: true }));
    let size = listed?.size;
    let mTimestamp = listed?.mTimestamp;
    if (size === undefined) {
      const info = await api.stat(storage, action.targetUrl);
      size = info?.size;
      mTimestamp = info?.mTimestamp ?? mTimestamp;
    }
    files.set(action.path, { ...(size !== undefined ? { size } : {}), ...(mTimestamp !== undefined ? { mTimestamp } : {}) });
    if (place && size !== undefined && (await keptByTime(place, action.path, size, mTimestamp))) kept++;
    else bytes += size ?? 0;
  }
  return { bytes, kept, files };
}

/**
 * Whether the backup will keep an earlier run's copy of this file without downloading it (the test
 * backUp makes first): a look at the folder only, nothing is created.
 */
async function keptByTime(place: BackupPlace, actionPath: string, size: number, mTimestamp: number | undefined): Promise<boolean> {
  const at = backupTarget(place.dir, place.printer, place.root, actionPath);
  if ('problem' in at) return false;
  const folder = path.join(at.folderRoot, ...at.names.slice(0, -1));
  // --go refuses a folder that a link takes out of the backup folder: nothing there is kept either.
  if (!(await existsInside(at.folderRoot, folder))) return false;
  const earlier = await newestBackup(folder, at.names[at.names.length - 1]!);
  return earlier !== undefined && sameByTime(earlier, size, mTimestamp);
}

export function backupStep(
  job: { printer: string; api: PrinterApi; backupDir?: string; emit: EventSink; signal?: AbortSignal; backupFolders?: CreatedFolders },
  storage: string,
  root: string,
  sizes: BackupSizes,
): (action: Action) => Promise<void> {
  const created = job.backupFolders ?? new CreatedFolders('an unfinished backup');
  return async (action) => {
    const started = Date.now();
    const done = await backUp(
      {
        dir: job.backupDir!,
        printer: job.printer,
        api: job.api,
        storage,
        root,
        remoteOf: (a) => sizes.files.get(a.path),
        ...(job.signal ? { signal: job.signal } : {}),
        created,
        warn: (message) => job.emit({ type: 'warning', printer: job.printer, message }),
      },
      action,
    );
    job.emit({
      type: 'backup-done',
      printer: job.printer,
      path: action.path,
      localPath: done.localPath,
      bytes: done.bytes,
      ...(done.kept ? { kept: true as const } : {}),
      durationMs: Date.now() - started,
    });
  };
}
