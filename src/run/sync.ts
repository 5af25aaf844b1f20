// The one-call flow: config → scan → per printer, all at once: state, walk, plan, (execute) → summary.

import path from 'node:path';
import { setMaxListeners } from 'node:events';
import type { FarmConfig, PrinterConfig } from '../config/types.js';
import { loadConfig } from '../config/load.js';
import { selectPrinters } from '../config/select.js';
import { scanSource } from '../source/scan.js';
import { DEFAULT_PRINT_EXTENSIONS, hasPrintExtension, normalizeExtensions } from '../source/filter.js';
import type { SourceTree } from '../types.js';
import type { EventSink, RunSummary } from '../report/events.js';
import { syncPrinter, type PrinterJob } from './printer/sync-printer.js';
import { createPrinterApi, type PrinterApiOptions } from '../printer/create.js';
import type { ExchangeNotice } from '../printer/http.js';
import { DEFAULT_RETRY_POLICY } from '../printer/retry.js';
import { SourceError } from '../errors.js';
import type { PrinterApi } from '../printer/api.js';
import { parseDestination, resolveSourcePaths, type Destination } from '../config/destination.js';
import { defaultStateDir } from '../record/paths.js';
import { acquireStateLock } from '../record/lock.js';
import { HashCache } from '../record/hash.js';
import type { RecordRun } from '../record/session.js';
import { routePrinters, type PrinterRoute } from '../source/routes.js';
import { DEFAULT_POLL_MS, syncWaitingIfBusy, type WaitPolicy } from './wait-busy.js';
import { createSlots } from '../source/limit.js';

/** Files listed and planned at once across printers: a bound on the run's memory, not on ordinary farms. */
const PLANNING_BUDGET_FILES = 40_000;
/** However large the source, this many printers still read and plan at once. */
const MIN_PLANNING = 4;
import { configuredSecrets, redactingSink } from '../report/inert.js';
import { linkSignals, uploadDeadlineMs } from '../printer/http.js';
import { PrinterDeadline, type DeadlineTiming } from '../execute/printer-deadline.js';

export interface SyncOptions {
  /** A config file path, or an already loaded config. */
  config: string | FarmConfig;
  /** How to name the config file in messages (default: its path). */
  configDisplayName?: string;
  /** Names to include (case-insensitive); empty means all. */
  printers?: string[];
  /** Names to exclude; ignored (with a warning) when `printers` is given. */
  exclude?: string[];
  /** The master folder. */
  source: string;
  /** Folder within the printer's storage: "/usb/farm", "usb/farm", "farm". When given it wins over each
   * printer's `destination` in the config; otherwise that, else the storage root. */
  destination?: string | Destination;
  /** Send each printer only the files sliced for its model (and files naming none), whatever the
   * config's match_model says. */
  matchModel?: boolean;
  /** Source paths are taken relative to this ancestor of `source` (default `source` itself). */
  relativeTo?: string;
  /** Apply the plan; without it the run only reads from printers. */
  go?: boolean;
  /** Sync printers that are busy too (never the file being printed). */
  ignoreState?: boolean;
  /** Delete printer files that are not in the source (default true). */
  delete?: boolean;
  /** Seconds of tolerance for the time rule, used for files the sync record does not know (default 60). */
  modifyWindowSec?: number;
  /** Folder of the sync records (default: the config's state_dir, else $XDG_STATE_HOME/link-sync or ~/.local/state/link-sync);
   * false: keep no record and judge every file by the time rule. */
  stateDir?: string | false;
  /** Compare every local file's content with the record, whatever its mtime says. */
  checksum?: boolean;
  /** Replace every file the printers already have. */
  force?: boolean;
  /** Also delete files that the record says a sync to another destination placed (held otherwise). */
  deleteOtherDestinations?: boolean;
  /** Accept self-signed certificates on https:// printers. */
  allowSelfSigned?: boolean;
  /** Refuse every deletion on a printer whose plan deletes more files than this (default: no limit). */
  maxDelete?: number;
  /** Further attempts of a failed request (default 3); see docs/reliability.md for which are retried. */
  retries?: number;
  /** First backoff ceiling in ms, doubled on each retry (default 1000). */
  retryDelayMs?: number;
  /** Connect, answer and upload-stall limits (defaults 10 s, 30 s, 30 s). */
  timeouts?: PrinterApiOptions['timeouts'];
  /** Where environment variables named by the config are read (default process.env). */
  env?: Record<string, string | undefined>;
  onEvent?: EventSink;
  /** Also emit every request on the wire and every "in sync" decision with its reason. */
  verbose?: boolean;
  signal?: AbortSignal;
  /** Before a file is deleted or replaced on a printer, download its copy to DIR/<printer>/<path>;
   * a failed download holds that action. */
  backupDir?: string;
  /** Builds the PrinterApi for a printer (default: PrusaLink over HTTP); `signal` aborts its requests. */
  connect?: (printer: PrinterConfig, signal?: AbortSignal) => PrinterApi;
  /** --wait-busy: poll busy printers and sync each once it is free, for at most this long. */
  waitBusyMs?: number;
  /** How often a busy printer's state is read while waiting (default 30 s). */
  pollIntervalMs?: number;
}

/** Everything about the run that does not depend on the printer. */
export interface RunInputs {
  printers: PrinterConfig[];
  source: SourceTree;
  destination: Destination;
  /** Path of the source folder below `relativeTo`, joined under the destination. */
  prefix: string;
  /** Per printer (same order as `printers`): its files, destination and prefix, after its
   * config's source, include/exclude and model matching, and -d. */
  routes: PrinterRoute[];
  warnings: string[];
  /** `state_dir` from the config file, if it sets one. */
  configStateDir?: string;
}

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

/** Reads config and source and checks the flags: every user-input error surfaces here, before any printer is contacted. */
export async function prepareRun(options: SyncOptions): Promise<RunInputs> {
  const env = options.env ?? process.env;
  const config =
    typeof options.config === 'string'
      ? await loadConfig(options.config, env, options.configDisplayName ? { displayName: options.configDisplayName } : {})
      : options.config;
  const { printers, warnings } = selectPrinters(config.printers, options.printers ?? [], options.exclude ?? []);
  const destination =
    typeof options.destination === 'object' ? options.destination : parseDestination(options.destination);
  const paths = resolveSourcePaths(options.source, options.relativeTo, process.cwd());
  const sourceRoot = paths.source;
  const prefixNative = path.relative(paths.relativeTo, sourceRoot);
  const source = await scanSource(sourceRoot);
  checkSourceComplete(source);
  const prefix = prefixNative.split(path.sep).filter(Boolean).join('/');
  const home = env['HOME'] ?? env['USERPROFILE'];
  const routed = await routePrinters(printers, {
    master: source,
    masterPrefix: prefix,
    ...(options.destination === undefined ? {} : { cliDestination: destination }),
    matchModel: options.matchModel ?? false,
    ...(home ? { home } : {}),
  });
  return {
    printers,
    source,
    destination,
    prefix,
    routes: routed.routes,
    warnings: [...(config.warnings ?? []), ...warnings, ...routed.warnings],
    ...(config.stateDir !== undefined ? { configStateDir: config.stateDir } : {}),
  };
}

/**
 * A source that could not be read whole, or that holds nothing, is refused before any printer is
 * contacted: syncing it would delete from the printers the files it failed to show.
 */
function checkSourceComplete(source: SourceTree): void {
  // A print-named FIFO, socket or device (or a link to one) cannot be sent; skipping it would delete
  // the printers' copy of that name.
  const special = source.ignored.find((entry) => entry.reason === 'not-a-regular-file' && hasPrintExtension(entry.relPath, DEFAULT_EXTENSIONS));
  if (special) {
    throw new SourceError(`cannot sync ${special.relPath} in source folder ${source.root}: ${special.detail ?? 'it is a special file'}, not a regular file`, {
      hint: "replace it with the print file or remove it, then run again; nothing was sent to any printer, since skipping it would delete the printers' copy",
    });
  }
  const unreadable = source.ignored.filter((entry) => entry.reason === 'unreadable');
  const first = unreadable[0];
  if (first) {
    const more = unreadable.length > 1 ? ` (and ${unreadable.length - 1} more)` : '';
    throw new SourceError(`cannot read ${first.relPath} in source folder ${source.root}: ${first.detail ?? 'unreadable'}${more}`, {
      hint: 'fix or remove it, then run again; nothing was sent to any printer, since files missing from the scan would be deleted from them',
    });
  }
  if (source.files.length === 0) {
    throw new SourceError(`source folder ${source.root} holds no print files (.gcode, .bgcode)`, {
      hint: 'check -s: an unmounted share or a wrong folder looks empty, and syncing it would delete every file on the printers',
    });
  }
}

const DEFAULT_EXTENSIONS = normalizeExtensions(DEFAULT_PRINT_EXTENSIONS);

/** Runs a whole sync and resolves its summary; never throws for a printer's failure, only for bad input. */
export async function sync(options: SyncOptions): Promise<RunSummary> {
  const started = Date.now();
  const inputs = await prepareRun(options);
  // A printer or proxy may echo a password or API key in its error text: no event ever carries one.
  const emit: EventSink = redactingSink(options.onEvent ?? (() => {}), configuredSecrets(inputs.printers));
  const dryRun = !options.go;
  const stateDir = options.stateDir === false ? undefined : (options.stateDir ?? inputs.configStateDir ?? defaultStateDir({ env: options.env ?? process.env }));
  // Only a run that writes the record takes the lock; a dry run reads it, and saves are atomic renames.
  const lock = stateDir !== undefined && !dryRun ? await acquireStateLock(stateDir) : undefined;
  const stop = runSignal(options.signal);
  try {
    return await runPrinters({ ...options, ...(stop.signal ? { signal: stop.signal } : {}) }, inputs, stateDir, started, emit);
  } finally {
    stop.dispose();
    await lock?.release();
  }
}

/**
 * The run's own stop signal, following the caller's with one listener. Every printer's requests
 * listen to it at once, so it takes any number of listeners (Node would warn past 10: a false
 * "memory leak" on every farm of 11 printers).
 */
function runSignal(outer: AbortSignal | undefined): { signal: AbortSignal | undefined; dispose: () => void } {
  if (!outer) return { signal: undefined, dispose: () => undefined };
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const abort = (): void => controller.abort(outer.reason);
  if (outer.aborted) abort();
  else outer.addEventListener('abort', abort, { once: true });
  return { signal: controller.signal, dispose: () => outer.removeEventListener('abort', abort) };
}

async function runPrinters(
  options: SyncOptions,
  inputs: RunInputs,
  stateDir: string | undefined,
  started: number,
  emit: EventSink,
): Promise<RunSummary> {
  for (const message of inputs.warnings) emit({ type: 'warning', message });
  const dryRun = !options.go;
  const record: RecordRun | undefined =
    stateDir === undefined
      ? undefined
      : { dir: stateDir, go: !dryRun, checksum: options.checksum ?? false, force: options.force ?? false, hashes: new HashCache(), claimed: new Set(), strings: new Map() };
  emit({
    type: 'run-start',
    dryRun,
    printers: inputs.printers.map((p) => p.name),
    source: inputs.source.root,
    files: inputs.source.files.length,
    bytes: inputs.source.files.reduce((sum, f) => sum + f.size, 0),
    ...(stateDir !== undefined ? { stateDir } : {}),
  });
  const connect = options.connect ?? defaultConnect(options, emit);
  const planSlots = createSlots(Math.max(MIN_PLANNING, Math.floor(PLANNING_BUDGET_FILES / Math.max(1, inputs.source.files.length))));
  const results = await Promise.all(
    inputs.printers.map(async (printer, index) => {
      // Each printer's requests end at Ctrl-C or at its own deadline, whichever comes first.
      const deadline = printerDeadline(options);
      const link = linkSignals(options.signal, deadline.signal);
      const job: PrinterJob = { ...printerJob(options, inputs, index, connect(printer, link.signal), emit, record, deadline), planSlots };
      try {
        const result = options.waitBusyMs !== undefined ? await syncWaitingIfBusy(job, waitPolicy(options)) : await syncPrinter(job);
        emit({ type: 'printer-done', result });
        return result;
      } finally {
        link.dispose();
        job.api.close();
      }
    }),
  );
  const summary: RunSummary = {
    dryRun,
    printers: results,
    durationMs: Date.now() - started,
    interrupted: options.signal?.aborted ?? false,
  };
  emit({ type: 'run-done', summary });
  return summary;
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
      ...(options.timeouts ? { timeouts: options.timeouts } : {}),
      ...(signal ? { signal } : {}),
      ...(options.verbose
        ? { onExchange: (n: ExchangeNotice) => emit({ type: 'request', ...n }) }
        : {}),
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
