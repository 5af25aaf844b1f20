// All printers at once: each gets its API, deadline and job, syncs (or waits while busy), and reports its result.

import type { PrinterConfig } from '../config/types.js';
import type { EventSink, PrinterResult, RunSummary } from '../report/events.js';
import { syncPrinter, type PrinterJob } from './printer/sync-printer.js';
import { createPrinterApi } from '../printer/create.js';
import type { ExchangeNotice } from '../printer/http.js';
import { DEFAULT_RETRY_POLICY } from '../printer/retry.js';
import type { PrinterApi } from '../printer/api.js';
import { HashCache } from '../record/hash.js';
import { missingRecordWarnings, type RecordRun } from '../record/session.js';
import { DEFAULT_POLL_MS, syncWaitingIfBusy, type WaitPolicy } from './wait-busy.js';
import { createSlots, type Slots } from '../source/limit.js';
import { CreatedFolders } from '../local/created-folders.js';
import { linkSignals, uploadDeadlineMs } from '../printer/http.js';
import { PrinterDeadline, type DeadlineTiming } from '../execute/printer-deadline.js';
import type { SyncOptions } from './options.js';
import type { RunInputs } from './prepare.js';

/** Files listed and planned at once across printers: a bound on the run's memory, not on ordinary farms. */
const PLANNING_BUDGET_FILES = 40_000;
/** However large the source, this many printers still read and plan at once. */
const MIN_PLANNING = 4;

/** The limits a printer's deadline is built from (docs/reliability.md, deadlines). */
function deadlineTiming(options: SyncOptions, retries: number): DeadlineTiming {
  const t = options.timeouts ?? {};
  const connectMs = t.connectMs ?? 10_000;
  const requestMs = connectMs + 2 * (t.responseMs ?? 30_000);
  return {
    requestMs,
    uploadMs: (size) => connectMs + uploadDeadlineMs(size, t.uploadMinBytesPerSec, t.uploadGraceMs),
    // Requests are retried too; count the retries of a request inside its budget.
    resends: retries,
  };
}

/** Syncs every printer at once (each under its own deadline) and resolves the run's summary. */
export async function runPrinters(
  options: SyncOptions,
  inputs: RunInputs,
  stateDir: string | undefined,
  started: number,
  emit: EventSink,
): Promise<RunSummary> {
  for (const message of inputs.warnings) emit({ type: 'warning', message });
  const dryRun = !options.go;
  const record = recordRun(options, stateDir);
  emitRunStart(emit, inputs, dryRun, stateDir);
  const connect = options.connect ?? defaultConnect(options, emit);
  const planSlots = planningSlots(inputs.source.files.length);
  const backupFolders = new CreatedFolders('an unfinished backup');
  const results = await Promise.all(
    inputs.printers.map((_printer, index) => runOnePrinter(options, inputs, index, connect, emit, record, { planSlots, backupFolders })),
  );
  if (record) {
    const names = inputs.printers.map((p) => p.name);
    for (const warning of missingRecordWarnings(record, names)) emit({ type: 'warning', ...warning });
  }
  const summary: RunSummary = {
    dryRun,
    printers: results,
    durationMs: Date.now() - started,
    interrupted: options.signal?.aborted ?? false,
  };
  emit({ type: 'run-done', summary });
  return summary;
}

/** The sync record shared by every printer of the run, unless the run keeps none. */
function recordRun(options: SyncOptions, stateDir: string | undefined): RecordRun | undefined {
  if (stateDir === undefined) return undefined;
  return {
    dir: stateDir,
    go: !!options.go,
    checksum: options.checksum ?? false,
    force: options.force ?? false,
    hashes: new HashCache(),
    claimed: new Map(),
    strings: new Map(),
  };
}

function emitRunStart(emit: EventSink, inputs: RunInputs, dryRun: boolean, stateDir: string | undefined): void {
  emit({
    type: 'run-start',
    dryRun,
    printers: inputs.printers.map((p) => p.name),
    source: inputs.source.root,
    files: inputs.source.files.length,
    bytes: inputs.source.files.reduce((sum, f) => sum + f.size, 0),
    ...(stateDir !== undefined ? { stateDir } : {}),
  });
}

/** How many printers read and plan at once: the larger the source, the fewer (their listings are the run's memory). */
function planningSlots(sourceFiles: number): Slots {
  return createSlots(Math.max(MIN_PLANNING, Math.floor(PLANNING_BUDGET_FILES / Math.max(1, sourceFiles))));
}

/** One printer of the run: its own API and deadline, synced (or waited for while busy), its result reported. */
async function runOnePrinter(
  options: SyncOptions,
  inputs: RunInputs,
  index: number,
  connect: (printer: PrinterConfig, signal?: AbortSignal) => PrinterApi,
  emit: EventSink,
  record: RecordRun | undefined,
  shared: Pick<PrinterJob, 'planSlots' | 'backupFolders'>,
): Promise<PrinterResult> {
  const printer = inputs.printers[index]!;
  // Each printer's requests end at Ctrl-C or at its own deadline, whichever comes first.
  const deadline = printerDeadline(options);
  const link = linkSignals(options.signal, deadline.signal);
  const job: PrinterJob = { ...printerJob(options, inputs, index, connect(printer, link.signal), emit, record, deadline), ...shared };
  try {
    const result = options.waitBusyMs !== undefined ? await syncWaitingIfBusy(job, waitPolicy(options)) : await syncPrinter(job);
    emit({ type: 'printer-done', result });
    return result;
  } finally {
    link.dispose();
    job.api.close();
  }
}

/** Builds the PrinterApi of a printer as a sync does: retries, timeouts, Ctrl-C, --verbose requests. */
export function defaultConnect(
  options: SyncOptions,
  emit: EventSink,
  /** True while a printer's retries need not be reported (watch's state polls, which back off themselves). */
  quietRetries: (printer: string) => boolean = () => false,
): (printer: PrinterConfig, signal?: AbortSignal) => PrinterApi {
  const retries = options.retries ?? DEFAULT_RETRY_POLICY.retries;
  return (printer: PrinterConfig, signal?: AbortSignal) =>
    createPrinterApi(printer, {
      allowSelfSigned: options.allowSelfSigned ?? false,
      retry: { ...DEFAULT_RETRY_POLICY, retries, baseDelayMs: options.retryDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs },
      // Absent and undefined read the same to createPrinterApi.
      timeouts: options.timeouts,
      signal,
      ...(options.verbose ? { onExchange: (n: ExchangeNotice) => emit({ type: 'request', ...n }) } : {}),
      onRetry: (n) => {
        if (quietRetries(n.printer)) return;
        emit({
          type: 'warning',
          printer: n.printer,
          message: `${n.what}: ${n.reason}; retry ${n.retry} of ${n.retries} in ${(n.delayMs / 1000).toFixed(1)} s`,
        });
      },
    });
}

/** One printer's part of a run, with the run's flags: what `sync`, `status -s` and `watch` hand to syncPrinter. */
export function printerJob(
  options: SyncOptions,
  inputs: RunInputs,
  index: number,
  api: PrinterApi,
  emit: EventSink,
  record: RecordRun | undefined,
  deadline?: PrinterDeadline,
): PrinterJob {
  const printer = inputs.printers[index]!;
  const route = inputs.routes[index];
  return {
    printer: printer.name,
    api,
    ...(deadline ? { deadline } : {}),
    ...(options.timeouts?.stallMs !== undefined ? { stallMs: options.timeouts.stallMs } : {}),
    source: route?.source ?? inputs.source,
    destination: route?.destination ?? inputs.destination,
    prefix: route?.prefix ?? inputs.prefix,
    ...(route && route.skipped.length > 0 ? { skipped: route.skipped } : {}),
    ...(route?.nothingRouted ? { refused: route.nothingRouted } : {}),
    go: options.go ?? false,
    verbose: options.verbose ?? false,
    ignoreState: options.ignoreState ?? false,
    policy: {
      modifyWindowSec: options.modifyWindowSec ?? 60,
      deleteExtraneous: options.delete ?? true,
      checksum: options.checksum ?? false,
      force: options.force ?? false,
      deleteOtherDestinations: options.deleteOtherDestinations ?? false,
    },
    emit,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.maxDelete !== undefined ? { maxDelete: options.maxDelete } : {}),
    uploadResends: options.retries ?? DEFAULT_RETRY_POLICY.retries,
    host: printer.baseUrl,
    ...(record ? { record } : {}),
    ...(options.backupDir !== undefined ? { backupDir: options.backupDir } : {}),
  };
}

/** A printer's overall deadline for one sync, from the run's timeouts and retries (armed by syncPrinter). */
export function printerDeadline(options: SyncOptions): PrinterDeadline {
  return new PrinterDeadline(deadlineTiming(options, options.retries ?? DEFAULT_RETRY_POLICY.retries));
}

function waitPolicy(options: SyncOptions): WaitPolicy {
  return { waitMs: options.waitBusyMs ?? 0, pollMs: options.pollIntervalMs ?? DEFAULT_POLL_MS };
}
