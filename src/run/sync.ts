// The one-call flow: prepare (config, scan, routes) → all printers at once (state, walk, plan, execute) → summary.

import { setMaxListeners } from 'node:events';
import type { RunSummary, EventSink } from '../report/events.js';
import { defaultStateDir } from '../record/paths.js';
import { acquireStateLock } from '../record/lock.js';
import { configuredSecrets, redactingSink } from '../report/inert.js';
import type { SyncOptions } from './options.js';
import { prepareRun } from './prepare.js';
import { runPrinters } from './printers.js';

export type { SyncOptions } from './options.js';
export { prepareRun, type RunInputs } from './prepare.js';

/** Runs a whole sync and resolves its summary; never throws for a printer's failure, only for bad input. */
export async function sync(options: SyncOptions): Promise<RunSummary> {
  const started = Date.now();
  const inputs = await prepareRun(options);
  // A printer or proxy may echo a password or API key in its error text: no event ever carries one.
  const emit: EventSink = redactingSink(options.onEvent ?? (() => {}), configuredSecrets(inputs.printers));
  const dryRun = !options.go;
  const stateDir =
    options.stateDir === false
      ? undefined
      : (options.stateDir ?? inputs.configStateDir ?? defaultStateDir({ env: options.env ?? process.env }));
  // Only a run that writes the record takes the lock; a dry run reads it, and saves are atomic renames.
  const lock = stateDir !== undefined && !dryRun ? await acquireStateLock(stateDir) : undefined;
  const stop = runSignal(options.signal);
  try {
    return await runPrinters({ ...options, ...(stop.signal ? { signal: stop.signal } : {}) }, inputs, stateDir, started, emit);
  } finally {
    stop.dispose();
    const warning = await lock?.release();
    if (warning !== undefined) emit({ type: 'warning', message: warning });
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
