// One printer under `watch`: poll its state gently, sync it whenever it is free and has not had the
// current master yet, back off while it does not answer or its syncs fail or are held (until the
// master, its state or its job changes). Never throws.

import type { PrinterConfig } from '../config/types.js';
import type { PrinterApi } from '../printer/api.js';
import type { PrinterStatus } from '../types.js';
import type { ErrorInfo, EventSink, PrinterResult } from '../report/events.js';
import { InternalError } from '../errors.js';
import type { SyncOptions } from '../run/options.js';
import { printerDeadline, printerJob } from '../run/printers.js';
import { linkSignals } from '../printer/http.js';
import { syncPrinter } from '../run/printer/sync-printer.js';
import { applyPlan, readErrorInfo, readPrinter, unreadState, type PrinterStatusRow } from '../run/status-row.js';
import { isFree, jobInfo } from '../run/wait-busy.js';
import type { HashCache } from '../record/hash.js';
import type { CreatedFolders } from '../local/created-folders.js';
import { missingRecordWarnings, type RecordRun } from '../record/session.js';
import type { MasterSnapshot, MasterWatch } from './master.js';
import type { FarmState } from './farm-state.js';
import { neverSyncedResult } from './never-synced.js';
import { abortableSleep } from './sleep.js';

export interface PrinterLoopContext {
  options: SyncOptions;
  master: MasterWatch;
  farm: FarmState;
  emit: EventSink;
  /** Time between two state reads. */
  pollMs: number;
  /** Longest wait between attempts at a printer that does not answer or whose sync failed or was held. */
  maxBackoffMs: number;
  stateDir: string | undefined;
  /** The hash cache of the current master version (a new one per version, so it never grows old entries). */
  hashes: () => HashCache;
  /** The folders --backup-dir made, shared by every printer of the watch. */
  backupFolders?: CreatedFolders;
  signal: AbortSignal;
  /** A PrinterApi for one sync, whose requests end when `signal` aborts. */
  connect: (printer: PrinterConfig, signal?: AbortSignal) => PrinterApi;
}

export class PrinterLoop {
  /** The master version this printer last got (or, in a dry run, was shown); 0: none yet. */
  private syncedVersion = 0;
  /** The master version its pending changes on the page were worked out for; 0: none yet. */
  private plannedVersion = 0;
  /** The state last reported: as the printer said, or why it could not be read. */
  private lastState: string | undefined;
  /** Why the last state read failed (no answer or an error status); undefined once one succeeds. */
  private lastReadError: ErrorInfo | undefined;
  /** The state, job and transfer last polled: a change makes a failed or held sync worth trying at once. */
  private lastSeen: string | undefined;
  /** After a sync of `version` that did not settle: polls to let pass before the next try, and the next wait (in polls). */
  private retry = { version: 0, skip: 0, every: 1 };
  private readonly wake: { onWake?: () => void } = {};
  /** The printer's last sync result, for the closing summary. */
  private lastResult: PrinterResult | undefined;
  /** The master version that sync was of. */
  private lastResultVersion = 0;

  constructor(
    private readonly printer: PrinterConfig,
    private readonly api: PrinterApi,
    private readonly ctx: PrinterLoopContext,
  ) {}

  /** The last sync result for the closing summary, saying whether the master changed since (its result may read "in sync"). */
  closingResult(): PrinterResult {
    if (!this.lastResult) return neverSyncedResult(this.printer.name, this.lastState, this.lastReadError);
    return { ...this.lastResult, behindMaster: this.ctx.master.version > this.lastResultVersion };
  }

  /** Ends a wait early: the master changed, so a free printer need not wait for its next poll. */
  nudge(): void {
    this.showBehind();
    this.wake.onWake?.();
  }

  async run(): Promise<void> {
    const { ctx } = this;
    const name = this.printer.name;
    // A first full read: free space and last sync for the page; failures show there and in the poll below.
    ctx.farm.setRow(await readPrinter(this.printer, this.api, (row) => this.previewBusy(row), ctx.stateDir));
    let backoff = ctx.pollMs;
    while (!ctx.signal.aborted) {
      let wait = ctx.pollMs;
      this.showBehind();
      try {
        const status = await this.api.status();
        this.noteState(status);
        backoff = ctx.pollMs;
        const seen = JSON.stringify([status.state, status.printing?.paths ?? null, status.transferRunning]);
        if (seen !== this.lastSeen) this.retry = { version: 0, skip: 0, every: 1 };
        this.lastSeen = seen;
        const snapshot = ctx.master.snapshot;
        // --ignore-state syncs busy printers too (never the printed file), as a sync does.
        if (!isFree(status) && !ctx.options.ignoreState) this.setActivity('waiting until it is free');
        else if (!snapshot) this.setActivity('waiting for the source folder to settle');
        else if (snapshot.version === this.syncedVersion) ctx.farm.setActivity(name, ctx.options.go ? 'in sync' : 'watching (dry run)');
        else if (snapshot.version === this.retry.version && this.retry.skip > 0) {
          // The same sync would most likely end the same way: wait, longer each time.
          this.retry.skip--;
          this.setActivity(`retrying in ${Math.round(((this.retry.skip + 1) * ctx.pollMs) / 1000)} s`);
        } else {
          ctx.farm.setActivity(name, ctx.options.go ? 'syncing' : 'planning');
          const result = await this.syncOnce(snapshot);
          if (ctx.signal.aborted) break;
          if (settles(result)) {
            this.syncedVersion = snapshot.version;
            this.retry = { version: 0, skip: 0, every: 1 };
            // A master that changed during the sync is not in sync: look again at once.
            if (ctx.master.version !== snapshot.version) wait = 0;
            else ctx.farm.setActivity(name, ctx.options.go ? 'in sync' : 'watching (dry run)');
          } else if (result.outcome !== 'skipped') {
            // Failed or held: wait 1, 2, 4… polls, up to maxBackoffMs.
            const every = snapshot.version === this.retry.version ? this.retry.every : 1;
            const most = Math.max(1, Math.floor(ctx.maxBackoffMs / ctx.pollMs));
            this.retry = { version: snapshot.version, skip: every - 1, every: Math.min(every * 2, most) };
            this.setActivity(`retrying in ${Math.round((every * ctx.pollMs) / 1000)} s`);
          }
        }
      } catch (error) {
        if (ctx.signal.aborted) break;
        this.noteReadFailed(error);
        wait = backoff;
        backoff = Math.min(backoff * 2, ctx.maxBackoffMs);
        this.setActivity(`retrying in ${Math.round(wait / 1000)} s`);
      }
      await abortableSleep(wait, ctx.signal, this.wake);
    }
  }

  /** The master changed after the pending changes on the page were worked out: the printer lacks the newest files. */
  private behind(): boolean {
    return this.plannedVersion > 0 && this.ctx.master.version > this.plannedVersion;
  }

  private showBehind(): void {
    if (this.behind()) this.ctx.farm.behindMaster(this.printer.name);
  }

  /** What watch does with the printer, saying so when it is behind the master (its old plan may read "in sync"). */
  private setActivity(activity: string): void {
    this.ctx.farm.setActivity(this.printer.name, this.behind() ? `${activity} (master changed since last sync)` : activity);
  }

  /** A busy printer's pending changes, for the page, from a dry run that leaves the printed file alone. */
  private async previewBusy(row: PrinterStatusRow): Promise<void> {
    const snapshot = this.ctx.master.snapshot;
    if (!snapshot || row.state === null || isFree({ state: row.state, transferRunning: false })) return;
    const index = snapshot.inputs.printers.findIndex((p) => p.name === this.printer.name);
    if (index < 0) return;
    const preview: SyncOptions = { ...this.ctx.options, go: false, ignoreState: true, verbose: false };
    const record: RecordRun | undefined =
      this.ctx.stateDir === undefined
        ? undefined
        : { dir: this.ctx.stateDir, go: false, checksum: false, force: false, hashes: this.ctx.hashes(), claimed: new Map() };
    const result = await syncPrinter(printerJob(preview, snapshot.inputs, index, this.api, () => {}, record));
    if (result.outcome !== 'planned') return;
    applyPlan(row, result);
    this.plannedVersion = snapshot.version;
  }

  private async syncOnce(snapshot: MasterSnapshot): Promise<PrinterResult> {
    const { ctx } = this;
    const inputs = snapshot.inputs;
    // The printers are those of the first scan: the config is read once.
    const index = inputs.printers.findIndex((p) => p.name === this.printer.name);
    if (index < 0) throw new InternalError(`printer ${this.printer.name} is missing from a rescan of the same config`);
    // Each sync is a run of its own for the record (two config entries for one printer are not detected across them).
    const record: RecordRun | undefined =
      ctx.stateDir === undefined
        ? undefined
        : {
            dir: ctx.stateDir,
            go: ctx.options.go ?? false,
            checksum: ctx.options.checksum ?? false,
            force: ctx.options.force ?? false,
            hashes: ctx.hashes(),
            claimed: new Map(),
          };
    const deadline = printerDeadline(ctx.options);
    const link = linkSignals(ctx.signal, deadline.signal);
    const api = ctx.connect(this.printer, link.signal);
    const emit: EventSink = (event) => {
      if (event.type === 'plan') this.plannedVersion = snapshot.version;
      ctx.emit(event);
    };
    let result: PrinterResult;
    try {
      const job = printerJob(ctx.options, inputs, index, api, emit, record, deadline);
      result = await syncPrinter(ctx.backupFolders ? { ...job, backupFolders: ctx.backupFolders } : job);
    } finally {
      link.dispose();
      api.close();
    }
    if (record) for (const warning of missingRecordWarnings(record, [this.printer.name])) ctx.emit({ type: 'warning', ...warning });
    this.lastResult = result;
    this.lastResultVersion = snapshot.version;
    ctx.emit({ type: 'printer-done', result });
    return result;
  }

  private noteState(status: PrinterStatus): void {
    this.ctx.farm.observe(this.printer.name, status);
    const wasFailed = this.lastReadError !== undefined;
    this.lastReadError = undefined;
    if (status.state === this.lastState) return;
    // Back after not being read: its files may have changed meanwhile (a stick swapped, a reset), so plan it again.
    if (wasFailed) this.syncedVersion = 0;
    const job = jobInfo(status);
    this.ctx.emit({
      type: 'printer-state',
      printer: this.printer.name,
      state: status.state,
      ...(this.lastState ? { previous: this.lastState } : {}),
      ...(job ? { job } : {}),
    });
    this.lastState = status.state;
  }

  /** A state read failed: no answer (UNREACHABLE), or an answer with an error status (reachable, but not read). */
  private noteReadFailed(error: unknown): void {
    const info = readErrorInfo(error);
    this.ctx.farm.pollFailed(this.printer.name, info);
    this.lastReadError = info;
    // Whatever it says when it is back counts as a change.
    this.lastSeen = undefined;
    const state = unreadState(info);
    if (state === this.lastState) return;
    this.ctx.emit({
      type: 'printer-state',
      printer: this.printer.name,
      state,
      ...(this.lastState ? { previous: this.lastState } : {}),
      error: info,
    });
    this.lastState = state;
  }
}

/**
 * The printer has what this master version can give it: a clean sync, a dry run shown, or files it
 * can never store (retrying would only repeat the listing). Failed or interrupted actions do not settle.
 */
function settles(result: PrinterResult): boolean {
  if (result.outcome === 'in-sync' || result.outcome === 'planned') return true;
  return result.outcome === 'failed' && result.failed === 0 && result.notRun === 0 && result.error === undefined && result.problems > 0;
}
