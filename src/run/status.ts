// `link-sync status`: one read-only look at every printer (state, job, free space, with a source the
// pending changes as a dry run plans them, last sync from the record). Never changes anything.

import type { PrinterConfig } from '../config/types.js';
import { loadConfig } from '../config/load.js';
import { selectPrinters } from '../config/select.js';
import type { PrinterApi } from '../printer/api.js';
import type { StorageInfo } from '../types.js';
import type { SyncOptions } from './options.js';
import { prepareRun, type RunInputs } from './prepare.js';
import { defaultConnect, printerJob } from './printers.js';
import { syncPrinter } from './printer/sync-printer.js';
import { defaultStateDir } from '../record/paths.js';
import { HashCache } from '../record/hash.js';
import { printerKey } from '../record/keys.js';
import { lastSyncTime } from '../record/last-sync.js';
import type { RecordRun } from '../record/session.js';
import type { ErrorInfo, EventSink, JobInfo, PrinterResult } from '../report/events.js';
import { toErrorInfo } from '../report/error-info.js';
import { InternalError } from '../errors.js';
import { configuredSecrets, mapStrings, redact } from '../report/inert.js';
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
}

export interface StatusDocument {
  v: number;
  time: string;
  /** The master folder, when one was given. */
  source: string | null;
  printers: PrinterStatusRow[];
}

export interface StatusOptions extends Omit<SyncOptions, 'source' | 'go' | 'onEvent'> {
  /** With a master folder, each row says what a sync would change. */
  source?: string;
}

/** Reads every selected printer at once; a printer's failure is its row's `error`, never a throw. */
export async function farmStatus(options: StatusOptions): Promise<StatusDocument> {
  const env = options.env ?? process.env;
  const { printers, inputs } = await selectForStatus(options, env);
  const stateDir = options.stateDir === false ? undefined : (options.stateDir ?? defaultStateDir({ env }));
  const quiet: EventSink = () => {};
  // A status is a glance: one retry at most, so an unreachable printer does not hold the table up.
  const syncOptions: SyncOptions = {
    ...options,
    source: options.source ?? '',
    go: false,
    ignoreState: true,
    retries: options.retries ?? 1,
  };
  const connect = options.connect ?? defaultConnect(syncOptions, quiet);
  const hashes = new HashCache();
  const claimed = new Set<string>();
  const rows = await Promise.all(
    printers.map(async (printer, index) => {
      // The plan's own identify/status/storage reads get the answers the row was made from: one glance, one set of requests.
      const api = readOnce(connect(printer, options.signal));
      try {
        return await readPrinter(
          printer,
          api,
          async (row) => {
            if (!inputs) return;
            const record: RecordRun | undefined =
              stateDir === undefined
                ? undefined
                : { dir: stateDir, go: false, checksum: options.checksum ?? false, force: options.force ?? false, hashes, claimed };
            const result = await syncPrinter(printerJob(syncOptions, inputs, index, api, quiet, record));
            applyPlan(row, result);
          },
          stateDir,
        );
      } finally {
        api.close();
      }
    }),
  );
  const doc: StatusDocument = {
    v: STATUS_SCHEMA_VERSION,
    time: new Date().toISOString(),
    source: inputs?.source.root ?? null,
    printers: rows,
  };
  // A printer or proxy may echo a password in its error text: the document never carries one.
  const secrets = configuredSecrets(printers);
  return mapStrings(doc, (text) => redact(text, secrets));
}

async function selectForStatus(
  options: StatusOptions,
  env: Record<string, string | undefined>,
): Promise<{ printers: PrinterConfig[]; inputs?: RunInputs }> {
  if (options.source !== undefined) {
    const inputs = await prepareRun({ ...options, source: options.source });
    return { printers: inputs.printers, inputs };
  }
  const config =
    typeof options.config === 'string'
      ? await loadConfig(options.config, env, options.configDisplayName ? { displayName: options.configDisplayName } : {})
      : options.config;
  return { printers: selectPrinters(config.printers, options.printers ?? [], options.exclude ?? []).printers };
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
    const status = await api.status();
    const storages = await api.storages();
    row.answered = true;
    row.state = status.state;
    row.job = jobInfo(status) ?? null;
    const storage = pickStorage(storages, wantedStorage ?? printer.destination?.storage);
    row.storage = storage ? { name: storage.name, freeBytes: storage.freeSpace ?? null } : null;
    if (stateDir !== undefined) row.lastSync = await lastSyncTime(stateDir, printerKey(identity.serial, printer.baseUrl));
    await plan(row);
  } catch (error) {
    row.error = toErrorInfo(error);
  }
  return row;
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

/** A PrinterApi whose identify, status and storages answer once and then repeat that answer. */
function readOnce(api: PrinterApi): PrinterApi {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    let answer = memo.get(key) as Promise<T> | undefined;
    if (!answer) {
      answer = read();
      memo.set(key, answer);
    }
    return answer;
  };
  return {
    name: api.name,
    identify: () => once('identify', () => api.identify()),
    status: () => once('status', () => api.status()),
    storages: () => once('storages', () => api.storages()),
    list: (storage, dir) => api.list(storage, dir),
    stat: (storage, file) => api.stat(storage, file),
    transfer: () => api.transfer(),
    download: (storage, file, options) => api.download(storage, file, options),
    upload: () => Promise.reject(new InternalError('status tried to upload')),
    remove: () => Promise.reject(new InternalError('status tried to delete')),
    close: () => api.close(),
  };
}

/** 0 when every printer answered; 3 when one could not be reached or refused the credentials; 1 for other errors. */
export function statusExitCode(doc: StatusDocument): 0 | 1 | 3 {
  if (doc.printers.some((r) => r.error && (r.error.code === 'PRINTER_UNREACHABLE' || r.error.code === 'PRINTER_AUTH'))) return 3;
  return doc.printers.some((r) => r.error) ? 1 : 0;
}
