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
import { exitCodeForSummary } from '../exit-codes.js';

export async function runSync(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseSyncArgs(argv, io, VERSION);
  if (parsed.kind === 'exit') return parsed.code;
  const o = parsed.options;
  const reporters = pickReporters(o, io);
  try {
    const summary = await sync({
      config: o.configPath,
      configDisplayName: o.config,
      printers: o.printers,
      exclude: o.exclude,
      source: o.source,
      relativeTo: o.relativeTo,
      destination: o.destination,
      go: o.execute,
      ignoreState: o.ignoreState,
      delete: o.delete,
      modifyWindowSec: o.modifyWindowSec,
      allowSelfSigned: o.allowSelfSigned,
      env: io.env,
      onEvent: reporters.sink,
      signal: io.signal,
    });
    return exitCodeForSummary(summary, { failOnBusy: o.failOnBusy });
  } finally {
    reporters.close();
  }
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
  return { sink: fanOut(...sinks), close: () => closers.forEach((close) => close()) };
}
