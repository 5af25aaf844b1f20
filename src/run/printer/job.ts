// What one printer's sync is handed: its API, its routed files and destination, the run's flags.

import type { PrinterApi } from '../../printer/api.js';
import type { SourceSkip, SourceTree, SyncPolicy } from '../../types.js';
import type { EventSink } from '../../report/events.js';
import type { Destination } from '../../config/destination.js';
import type { RecordRun } from '../../record/session.js';
import type { Slots } from '../../source/limit.js';
import type { PrinterDeadline } from '../../execute/printer-deadline.js';
import type { CreatedFolders } from '../../local/created-folders.js';
import { joinPath } from '../../source/paths.js';

export interface PrinterJob {
  printer: string;
  api: PrinterApi;
  source: SourceTree;
  destination: Destination;
  prefix: string;
  go: boolean;
  /** Emit each file judged in sync with its reason. */
  verbose?: boolean;
  ignoreState: boolean;
  policy: SyncPolicy;
  emit: EventSink;
  signal?: AbortSignal;
  /** Refuse every deletion on this printer when the plan deletes more files than this. */
  maxDelete?: number;
  /** Re-sends of an upload whose connection broke and that the printer does not have (default 0). */
  uploadResends?: number;
  /** The configured host: the record's key when the printer reports no serial. */
  host: string;
  /** The sync record shared by the run; without it, every file is judged by the time rule. */
  record?: RecordRun;
  /** Source files routed away from this printer (another model's), shown with its plan. */
  skipped?: SourceSkip[];
  /** Bounds how many printers read and plan at once (their listings and records are the run's
   * memory); the slot is given back before the plan is executed, so uploads all run at once. */
  planSlots?: Slots;
  /** --backup-dir: keep the printer's copy of each file before deleting or replacing it. */
  backupDir?: string;
  /** The folders the run's backups made, shared by its printers, so those a failed backup left empty go again. */
  backupFolders?: CreatedFolders;
  /** --timeout: how long an upload may stand still on the printer. */
  stallMs?: number;
  /** Stops this printer alone when it runs past the time its plan can take. */
  deadline?: PrinterDeadline;
  /** Why this printer is not synced at all (no file of the source is for it), before any request. */
  refused?: string;
}

/**
 * The folder this run mirrors within the storage: the destination, then the part of the source
 * path below -r ('' for the storage root). Files are recorded as placed under it, so a wider sync
 * later holds their deletion.
 */
export function syncRoot(job: Pick<PrinterJob, 'destination' | 'prefix'>): string {
  return joinPath(job.destination.path, job.prefix);
}
