// `link-sync status` rows: the document's shape, one printer read into a row, a dry-run plan as pending changes, the exit code.

import type { PrinterConfig } from '../config/types.js';
import type { PrinterApi } from '../printer/api.js';
import type { StorageInfo } from '../types.js';
import { printerKey } from '../record/keys.js';
import { lastSyncTime } from '../record/last-sync.js';
import type { ErrorInfo, JobInfo, PrinterResult } from '../report/events.js';
import { toErrorInfo } from '../report/error-info.js';
import { PrinterError } from '../errors.js';
import { jobInfo } from './wait-busy.js';

/** Bumped when a field changes meaning or disappears; new fields do not bump it. Schema: schema/status.schema.json. */
export const STATUS_SCHEMA_VERSION = 1;

/** What a plan would change on a printer. */
export interface PendingChanges {
  upload: number;
  replace: number;
  delete: number;
  rmdir: number;
  /** Files that cannot be stored on the printer (name rules, model). */
  problems: number;
  /** Changes held back (the printed file). */
  held: number;
  /** Nothing to upload, replace or delete, and no problem. */
  inSync: boolean;
}

/** An upload under way, as the watch page shows it. */
export interface UploadInfo {
  path: string;
  bytes: number;
  total: number;
}

/** One printer's row. Fields are null (never absent) when unknown, so consumers need no guessing. */
export interface PrinterStatusRow {
  name: string;
  /** The model from the config. */
  model: string;
  /** The configured address (never with credentials). */
  url: string;
  /** The printer answered the status requests. */
  answered: boolean;
  /** IDLE, PRINTING, ... as the printer says; null when it did not answer. */
  state: string | null;
  job: JobInfo | null;
  /** The storage a sync would use, with its free bytes when the printer tells. */
  storage: { name: string; freeBytes: number | null } | null;
  /** With a source: what a sync would change now; null without one or when it could not be planned. */
  pending: PendingChanges | null;
  /** ISO time the printer's sync record was last written by a sync with --go; null if never. */
  lastSync: string | null;
  /** Why the printer could not be read or planned. */
  error: ErrorInfo | null;
  /** watch only: the upload under way. */
  upload?: UploadInfo | null;
  /** watch only: the last failure of a sync, kept until a sync succeeds. */
  lastError?: ErrorInfo | null;
  /** watch only: what watch is doing with the printer (waiting, syncing, backing off). */
  activity?: string;
  /** watch only: the master changed after `pending` was worked out and no sync has planned the printer since; `pending` is then null. */
  behindMaster?: boolean;
}

export interface StatusDocument {
  v: number;
  time: string;
  /** The master folder, when one was given. */
  source: string | null;
  printers: PrinterStatusRow[];
}

/** An empty row: what is known without asking the printer. */
export function blankRow(printer: PrinterConfig): PrinterStatusRow {
  return {
    name: printer.name,
    model: printer.printerType,
    url: printer.baseUrl,
    answered: false,
    state: null,
    job: null,
    storage: null,
    pending: null,
    lastSync: null,
    error: null,
  };
}

/** identify, status and storage of one printer into a row, then `plan` (which may add pending changes). */
export async function readPrinter(
  printer: PrinterConfig,
  api: PrinterApi,
  plan: (row: PrinterStatusRow) => Promise<void>,
  stateDir: string | undefined,
  wantedStorage?: string,
): Promise<PrinterStatusRow> {
  const row = blankRow(printer);
  try {
    const identity = await api.identify();
    // Known once the printer is identified, even should it then fail to say its state.
    if (stateDir !== undefined) row.lastSync = await lastSyncTime(stateDir, printerKey(identity.serial, printer.baseUrl));
    const status = await api.status();
    const storages = await api.storages();
    row.answered = true;
    row.state = status.state;
    row.job = jobInfo(status) ?? null;
    const storage = pickStorage(storages, wantedStorage ?? printer.destination?.storage);
    row.storage = storage ? { name: storage.name, freeBytes: storage.freeSpace ?? null } : null;
    await plan(row);
  } catch (error) {
    row.error = readErrorInfo(error);
  }
  return row;
}

/** An error reading a printer, with the HTTP status when the printer answered with one (it is reachable). */
export function readErrorInfo(error: unknown): ErrorInfo {
  const info = toErrorInfo(error);
  return error instanceof PrinterError && error.status !== undefined ? { ...info, status: error.status } : info;
}

/**
 * The state shown (status table, watch's printer-state) for a printer whose state could not be read:
 * an address where another web server answers, credentials refused, an answer with an error status
 * (a 503 while it restarts: reachable, but not read), or no answer at all.
 */
export function unreadState(error: ErrorInfo): string {
  if (error.code === 'PRINTER_NOT_PRUSALINK') return 'NOT PRUSALINK';
  if (error.code === 'PRINTER_AUTH') return 'REFUSED LOGIN';
  return error.status !== undefined ? `PRINTER ERROR (HTTP ${error.status})` : 'UNREACHABLE';
}

function pickStorage(storages: StorageInfo[], wanted: string | undefined): StorageInfo | undefined {
  if (wanted !== undefined) return storages.find((s) => s.name.toLowerCase() === wanted.toLowerCase());
  const writable = storages.filter((s) => !s.readOnly);
  return writable.find((s) => s.available) ?? writable[0];
}

/** A dry-run result as pending changes; a failed plan is the row's error. */
export function applyPlan(row: PrinterStatusRow, result: PrinterResult): void {
  if (result.outcome !== 'planned') {
    row.error = result.error ?? { code: 'PLAN_FAILED', message: result.reason ?? `could not plan (${result.outcome})` };
    return;
  }
  const p = result.planned;
  row.pending = {
    upload: p.upload,
    replace: p.replace,
    delete: p.delete,
    rmdir: p.rmdir,
    problems: result.problems,
    held: result.held,
    inSync: p.upload + p.replace + p.delete + p.rmdir === 0 && result.problems === 0,
  };
}

/** 0 when every printer answered; 3 when one could not be reached or refused the credentials; 1 for other errors. */
export function statusExitCode(doc: StatusDocument): 0 | 1 | 3 {
  if (doc.printers.some((r) => r.error && (r.error.code === 'PRINTER_UNREACHABLE' || r.error.code === 'PRINTER_AUTH'))) return 3;
  return doc.printers.some((r) => r.error) ? 1 : 0;
}
