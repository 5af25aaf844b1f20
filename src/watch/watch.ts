// `watch`: keep every printer in step with the master folder for as long as it runs, syncing each one
// whenever it is free and has not had the latest changes. Stops cleanly when the signal aborts.

import { setMaxListeners } from 'node:events';
import type { FarmConfig } from '../config/types.js';
import { configFrom } from '../config/load.js';
import type { SyncOptions } from '../run/options.js';
import { prepareRun } from '../run/prepare.js';
import { defaultConnect } from '../run/printers.js';
import { defaultStateDir } from '../record/paths.js';
import { acquireStateLock } from '../record/lock.js';
import { HashCache } from '../record/hash.js';
import { CreatedFolders } from '../local/created-folders.js';
import type { EventSink, RunSummary } from '../report/events.js';
import { fanOut } from '../report/fan-out.js';
import { configuredSecrets, redactingSink } from '../report/inert.js';
import { DEFAULT_POLL_MS } from '../run/wait-busy.js';
import { MasterWatch } from './master.js';
import { FarmState } from './farm-state.js';
import { PrinterLoop } from './printer-loop.js';

export interface WatchOptions extends SyncOptions {
  signal: AbortSignal;
  /** Time between two state reads of a printer (default 30 s). */
  pollIntervalMs?: number;
  /** A master change must hold still this long before it is synced (default 3 s). */
  settleMs?: number;
  /** Longest wait before trying an unreachable printer again (default 10 min). */
  maxBackoffMs?: number;
  /** Called once the source is scanned, the printers are known and the state lock is held, before any
   * printer is contacted: the place to start the farm page (and fail, for a port in use, before anything is sent). */
  beforeStart?: (farm: FarmState) => Promise<void>;
}

export const DEFAULT_SETTLE_MS = 3000;
const DEFAULT_MAX_BACKOFF_MS = 10 * 60_000;

/** Runs until the signal aborts; resolves the last result of each printer that was synced. */
export async function watch(options: WatchOptions): Promise<RunSummary> {
  const started = Date.now();
  const env = options.env ?? process.env;
  // The config is read once: a watch keeps the printers it started with.
  const config: FarmConfig = await configFrom(options.config, env, { displayName: options.configDisplayName, selection: options });
  // Every loop, poll, sync and wait listens on the run's signal: many printers are not a listener leak.
  const run = new AbortController();
  setMaxListeners(0, run.signal);
  const runOptions: SyncOptions = { ...options, config, signal: run.signal };
  const first = await prepareRun(runOptions);
  const secrets = configuredSecrets(first.printers);
  const farm = new FarmState(first.printers, first.source.root, secrets);
  const outer: EventSink = options.onEvent ?? (() => {});
  // A printer or proxy may echo a password in its error text: no event ever carries one.
  const emit = redactingSink(fanOut(outer, farm.sink), secrets);
  const go = options.go ?? false;
  const stateDir = options.stateDir === false ? undefined : (options.stateDir ?? defaultStateDir({ env }));
  // The lock first: a run that cannot start announces nothing (no farm page address).
  const lock = stateDir !== undefined && go ? await acquireStateLock(stateDir) : undefined;
  const stop = () => run.abort(options.signal.reason);
  if (options.signal.aborted) stop();
  else options.signal.addEventListener('abort', stop, { once: true });
  try {
    await options.beforeStart?.(farm);
    for (const message of first.warnings) emit({ type: 'warning', message });
    emit({
      type: 'run-start',
      dryRun: !go,
      printers: first.printers.map((p) => p.name),
      source: first.source.root,
      files: first.source.files.length,
      bytes: first.source.files.reduce((sum, f) => sum + f.size, 0),
    });
    const pollMs = options.pollIntervalMs ?? DEFAULT_POLL_MS;
    let hashes = new HashCache();
    const loops: PrinterLoop[] = [];
    const master = new MasterWatch({
      // Later scans warn through the events only once (see MasterWatch); config warnings are not repeated.
      prepare: () => prepareRun(runOptions),
      settleMs: options.settleMs ?? DEFAULT_SETTLE_MS,
      rescanMs: pollMs,
      emit,
      onSettled: () => {
        hashes = new HashCache();
        for (const loop of loops) loop.nudge();
      },
    });
    await master.start(first);
    // Retries of the state polls are not news: the loop says once that a printer is unreachable.
    const pollConnect = options.connect ?? defaultConnect(runOptions, emit, () => true);
    // Each sync gets its own connection, tied to its own deadline (a deadline that passes ends that sync, not the polling).
    const syncConnect = options.connect ?? defaultConnect(runOptions, emit);
    const apis = first.printers.map((printer) => pollConnect(printer, run.signal));
    const backupFolders = new CreatedFolders('an unfinished backup');
    try {
      for (const [index, printer] of first.printers.entries()) {
        loops.push(
          new PrinterLoop(printer, apis[index]!, {
            options: runOptions,
            master,
            farm,
            emit,
            pollMs,
            // Up to 20 intervals (10 min at the default 30 s), never beyond 10 min.
            maxBackoffMs: Math.max(pollMs, options.maxBackoffMs ?? Math.min(DEFAULT_MAX_BACKOFF_MS, 20 * pollMs)),
            stateDir,
            hashes: () => hashes,
            backupFolders,
            connect: syncConnect,
            signal: run.signal,
          }),
        );
      }
      await Promise.all(loops.map((loop) => loop.run()));
    } finally {
      master.stop();
      for (const api of apis) api.close();
    }
    const summary: RunSummary = {
      dryRun: !go,
      printers: loops.map((loop) => loop.closingResult()),
      durationMs: Date.now() - started,
      interrupted: options.signal.aborted,
    };
    emit({ type: 'run-done', summary });
    return summary;
  } finally {
    options.signal.removeEventListener('abort', stop);
    const warning = await lock?.release();
    if (warning !== undefined) emit({ type: 'warning', message: warning });
  }
}
