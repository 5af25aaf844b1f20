// The pull command: parse flags, run the pull with plain or JSON output, turn the summary into an exit code.

import { wantsLiveView, type CliIo } from '../io.js';
import { timeoutsFor } from '../options.js';
import { parsePullArgs } from '../pull-options.js';
import { pull } from '../../pull/run.js';
import { pullExitCode, pullJsonReporter, pullLiveReporter, pullPlainReporter } from '../../pull/report.js';
import { defaultStateDir } from '../../record/paths.js';

export async function runPull(argv: string[], io: CliIo): Promise<number> {
  const parsed = parsePullArgs(argv, io);
  if (parsed.kind === 'exit') return parsed.code;
  const o = parsed.options;
  const err = (line: string): void => void io.stderr.write(`${line}\n`);
  const sink = o.json
    ? pullJsonReporter((line) => io.stdout.write(line))
    : wantsLiveView(io.stdout, io.env)
      ? pullLiveReporter(io.stdout, err, o.quiet)
      : pullPlainReporter({ out: (line) => io.stdout.write(`${line}\n`), err, quiet: o.quiet });
  const summary = await pull({
    config: o.configPath,
    configDisplayName: o.config,
    printers: o.printers,
    exclude: o.exclude,
    source: o.source,
    relativeTo: o.relativeTo,
    ...(o.destinationGiven ? { destination: o.destination } : {}),
    go: o.go,
    ...(o.prefer !== undefined ? { prefer: o.prefer } : {}),
    stateDir: o.stateDir ?? defaultStateDir({ env: io.env }),
    retries: o.retries,
    ...(o.retryDelayMs !== undefined ? { retryDelayMs: o.retryDelayMs } : {}),
    ...(o.timeoutMs !== undefined ? { timeouts: timeoutsFor(o.timeoutMs) } : {}),
    allowSelfSigned: o.allowSelfSigned,
    env: io.env,
    onEvent: sink,
    signal: io.signal,
  });
  return pullExitCode(summary);
}
