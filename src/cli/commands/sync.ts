// The sync command: parse flags, pick the reporters, run the sync, turn the summary into an exit code.

import type { CliIo, OutputStream } from '../io.js';
import { parseSyncArgs, type SyncCliOptions } from '../options.js';
import { sync } from '../../sync.js';
import { VERSION } from '../../version.js';
import { plainReporter } from '../../report/plain.js';
import { jsonReporter } from '../../report/json.js';
import { ttyReporter } from '../../report/tty.js';
import { openLogFile } from '../../report/log-file.js';
import { fanOut } from '../../report/fan-out.js';
import type { EventSink } from '../../report/events.js';
import { exitCodeForSummary } from '../../report/exit-codes.js';
import { defaultStateDir } from '../../record/paths.js';

export async function runSync(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseSyncArgs(argv, io, VERSION);
  if (parsed.kind === 'exit') return parsed.code;
  const o = parsed.options;
  const reporters = pickReporters(o, io);
  const stateDir = o.stateDir ?? defaultStateDir({ env: io.env });
  if (o.verbose && !o.json) io.stdout.write(`Sync record: ${stateDir} (one file per printer)\n`);
  try {
    const summary = await sync({
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
      stateDir,
      checksum: o.checksum,
      force: o.force,
      ...(o.backupDir !== undefined ? { backupDir: o.backupDir } : {}),
      allowSelfSigned: o.allowSelfSigned,
      ...(o.maxDelete !== undefined ? { maxDelete: o.maxDelete } : {}),
      retries: o.retries,
      ...(o.retryDelayMs !== undefined ? { retryDelayMs: o.retryDelayMs } : {}),
      ...(o.timeoutMs !== undefined ? { timeouts: timeoutsFor(o.timeoutMs) } : {}),
      env: io.env,
      onEvent: reporters.sink,
      verbose: o.verbose,
      signal: io.signal,
    });
    return exitCodeForSummary(summary, { failOnBusy: o.failOnBusy });
  } finally {
    reporters.close();
  }
}

/** --timeout sets the answer and stall limits; connecting never needs longer than 10 s on a LAN. */
function timeoutsFor(ms: number): { connectMs: number; responseMs: number; stallMs: number } {
  return { connectMs: Math.min(ms, 10_000), responseMs: ms, stallMs: ms };
}

/** The live view only on an interactive terminal that wants it; plain lines everywhere else. */
export function wantsLiveView(stream: OutputStream, env: Record<string, string | undefined>): boolean {
  return Boolean(stream.isTTY) && !env['CI'] && env['NO_COLOR'] === undefined && env['TERM'] !== 'dumb';
}

export function pickReporters(o: Pick<SyncCliOptions, 'json' | 'quiet' | 'logFile'>, io: CliIo): { sink: EventSink; close: () => void } {
  const sinks: EventSink[] = [];
  const closers: Array<() => void> = [];
  if (o.json) {
    // stdout carries only the event stream; people read the log file or the exit code.
    sinks.push(jsonReporter((line) => io.stdout.write(line)));
  } else if (wantsLiveView(io.stdout, io.env)) {
    const tty = ttyReporter(io.stdout as OutputStream & NodeJS.WritableStream, { quiet: o.quiet });
    sinks.push(tty.sink);
    closers.push(() => tty.stop());
  } else {
    sinks.push(
      plainReporter({
        out: (line) => io.stdout.write(`${line}\n`),
        err: (line) => io.stderr.write(`${line}\n`),
        quiet: o.quiet,
      }),
    );
  }
  if (o.logFile) {
    const log = openLogFile(o.logFile);
    sinks.push(log.sink);
    closers.push(() => log.close());
  }
  return { sink: fanOut(...sinks), close: () => {
      for (const close of closers) close();
    } };
}
