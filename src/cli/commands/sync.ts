// The sync command: parse flags, pick the reporter, run the sync, turn the summary into an exit code.

import type { CliIo } from '../io.js';
import { parseSyncArgs } from '../options.js';
import { sync } from '../../sync.js';
import { VERSION } from '../../version.js';
import { plainReporter } from '../../report/plain.js';
import { exitCodeForSummary } from '../exit-codes.js';

export async function runSync(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseSyncArgs(argv, io, VERSION);
  if (parsed.kind === 'exit') return parsed.code;
  const o = parsed.options;
  const reporter = plainReporter({
    out: (line) => io.stdout.write(`${line}\n`),
    err: (line) => io.stderr.write(`${line}\n`),
    quiet: o.quiet,
  });
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
    onEvent: reporter,
    signal: io.signal,
  });
  return exitCodeForSummary(summary);
}
