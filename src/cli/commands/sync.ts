// The sync command: parse flags, pick the reporters, run the sync, turn the summary into an exit code.

import { wantsLiveView, type CliIo } from '../io.js';
import { timeoutsFor, type SyncCliOptions } from '../options.js';
import { parseSyncArgsLogged } from '../refusal-log.js';
import { sync } from '../../run/sync.js';
import type { SyncOptions } from '../../run/options.js';
import { VERSION } from '../../version.js';
import { plainReporter } from '../../report/plain.js';
import { jsonReporter } from '../../report/json.js';
import { openLogFile } from '../../report/log-file.js';
import { fanOut } from '../../report/fan-out.js';
import { inertSink } from '../../report/inert.js';
import type { EventSink } from '../../report/events.js';
import { exitCodeFor, exitCodeForSummary } from '../../report/exit-codes.js';

export async function runSync(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseSyncArgsLogged(argv, io, VERSION);
  if (parsed.kind === 'exit') return parsed.code;
  const o = parsed.options;
  const reporters = await pickReporters(o, io);
  let code: number | undefined;

  try {
    const summary = await sync({ ...syncOptionsFrom(o, io), onEvent: reporters.sink });
    code = exitCodeForSummary(summary, { failOnBusy: o.failOnBusy });
    return code;
  } catch (error) {
    reporters.close(exitCodeFor(error), error);
    throw error;
  } finally {
    if (code !== undefined) reporters.close(code);
  }
}

/** The sync flags as library options: one mapping for every command built on them (sync, watch). */
export function syncOptionsFrom(o: SyncCliOptions, io: CliIo): SyncOptions {
  return {
    config: o.configPath,
    configDisplayName: o.config,
    printers: o.printers,
    exclude: o.exclude,
    source: o.source,
    relativeTo: o.relativeTo,
    ...(o.destinationGiven ? { destination: o.destination } : {}),
    matchModel: o.matchModel,
    go: o.execute,
    ignoreState: o.ignoreState,
    delete: o.delete,
    modifyWindowSec: o.modifyWindowSec,
    ...(o.stateDir !== undefined ? { stateDir: o.stateDir } : {}),
    checksum: o.checksum,
    force: o.force,
    ...(o.backupDir !== undefined ? { backupDir: o.backupDir } : {}),
    deleteOtherDestinations: o.deleteOtherDestinations,
    allowSelfSigned: o.allowSelfSigned,
    ...(o.maxDelete !== undefined ? { maxDelete: o.maxDelete } : {}),
    retries: o.retries,
    ...(o.retryDelayMs !== undefined ? { retryDelayMs: o.retryDelayMs } : {}),
    ...(o.timeoutMs !== undefined ? { timeouts: timeoutsFor(o.timeoutMs) } : {}),
    env: io.env,
    verbose: o.verbose,
    signal: io.signal,
    ...(o.waitBusyMs !== undefined ? { waitBusyMs: o.waitBusyMs } : {}),
    ...(o.pollIntervalMs !== undefined ? { pollIntervalMs: o.pollIntervalMs } : {}),
  };
}

export interface Reporters {
  sink: EventSink;
  /** Stops the live view and ends the log file with the run's exit code (and the error that ended it). */
  close: (exitCode: number, error?: unknown) => void;
}

/** The live view is loaded only when it is shown. */
export async function pickReporters(
  o: Pick<SyncCliOptions, 'json' | 'quiet' | 'logFile'> & { verbose?: boolean },
  io: CliIo,
): Promise<Reporters> {
  const sinks: EventSink[] = [];
  const closers: Array<(exitCode: number, error?: unknown) => void> = [];
  if (o.json) {
    // stdout carries only the event stream; people read the log file or the exit code.
    sinks.push(jsonReporter((line) => io.stdout.write(line)));
  } else if (wantsLiveView(io.stdout, io.env)) {
    const { ttyReporter } = await import('../../report/tty.js');
    const tty = ttyReporter(io.stdout, { quiet: o.quiet, verbose: o.verbose ?? false });
    sinks.push(inertSink(tty.sink));
    // While the live view owns the terminal, a stop notice scrolls above it instead of being drawn over.
    const board = io.notices;
    const previous = board?.show;
    if (board) board.show = (text) => tty.notice(text);
    closers.push(() => {
      tty.stop();
      if (board && previous) board.show = previous;
    });
  } else {
    sinks.push(
      inertSink(
        plainReporter({
          out: (line) => io.stdout.write(`${line}\n`),
          err: (line) => io.stderr.write(`${line}\n`),
          quiet: o.quiet,
          verbose: o.verbose ?? false,
        }),
      ),
    );
  }
  if (o.logFile) {
    const log = openLogFile(o.logFile, { onWriteError: (message) => io.stderr.write(`link-sync: warning: ${message}\n`) });
    sinks.push(inertSink(log.sink));
    closers.push((exitCode, error) => log.close(exitCode, error));
  }
  let closed = false;
  return {
    sink: fanOut(...sinks),
    close: (exitCode, error) => {
      if (closed) return;
      closed = true;
      for (const close of closers) close(exitCode, error);
    },
  };
}
