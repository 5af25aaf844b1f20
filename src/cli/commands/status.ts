// `link-sync status`: parse its flags, read every printer once, print a table or one JSON document.

import { Command, CommanderError } from 'commander';
import { resolve } from 'node:path';
import type { CliIo } from '../io.js';
import { commanderMessage, timeoutsFor } from '../options.js';
import { UsageError } from '../../errors.js';
import { expandHome, parseDestination, refuseEmpty, resolveSourcePaths } from '../../config/destination.js';
import { farmStatus, statusExitCode } from '../../run/status.js';
import { statusLines } from '../../run/status-table.js';
import { defaultStateDir } from '../../record/paths.js';
import { ExitCode } from '../../report/exit-codes.js';
import { VERSION } from '../../version.js';
import { inertLine } from '../../report/inert.js';

interface RawStatusOptions {
  config: string;
  printer?: string[];
  exclude?: string[];
  source?: string;
  destination?: string;
  relativeTo?: string;
  matchModel?: boolean;
  stateDir?: string;
  json?: boolean;
  allowSelfSigned?: boolean;
  timeout?: string;
}

export async function runStatus(argv: string[], io: CliIo): Promise<number> {
  const program = new Command('link-sync status')
    .usage('[-c CONFIG] [-p NAME ...] [-x NAME ...] [-s SOURCE [-d DESTINATION]] [--json]')
    .description('Show every printer at a glance: state, job, free space, last sync; with -s, what a sync would change. Changes nothing.')
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.stdout.write(t), writeErr: () => undefined, outputError: () => undefined })
    .helpOption('-h, --help', 'show this help')
    .option('-c, --config <CONFIG>', 'printers file, YAML or JSON', 'printers.yml')
    .option('-p, --printer <NAME...>', 'only these printers (names or groups)')
    .option('-x, --exclude <NAME...>', 'leave out these printers (ignored with -p)')
    .option('-s, --source <SOURCE>', 'master folder: also count what a sync would upload, replace and delete')
    .option('-d, --destination <DESTINATION>', 'folder on the printers, as for sync')
    .option('-r, --relative-to <RELATIVE_TO>', 'as for sync')
    .option('--match-model', "as for sync: count only the files sliced for each printer's model")
    .option('--state-dir <DIR>', 'folder of the sync records')
    .option('--json', 'print one JSON document (schema/status.schema.json)')
    .option('--allow-self-signed', 'accept self-signed HTTPS certificates')
    .option('--timeout <SECONDS>', 'wait this long for a printer to answer (default 10)')
    .version(VERSION, '--version', 'print the version');
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.OK;
      throw new UsageError(commanderMessage(error), { hint: 'see link-sync status --help' });
    }
    throw error;
  }
  if (program.args.length > 0)
    throw new UsageError(`unexpected argument ${JSON.stringify(program.args[0])}`, { hint: 'see link-sync status --help' });
  const raw = program.opts<RawStatusOptions>();
  const home = io.env['HOME'] ?? io.env['USERPROFILE'];
  refuseEmpty(raw.source, '-s/--source', 'give the master folder, or leave -s out; see link-sync status --help');
  refuseEmpty(raw.config, '-c/--config', 'give the printers file, e.g. -c printers.yml; see link-sync status --help');
  refuseEmpty(raw.stateDir, '--state-dir', 'give a folder, or leave --state-dir out; see link-sync status --help');
  if ((raw.destination !== undefined || raw.relativeTo !== undefined || raw.matchModel) && raw.source === undefined) {
    throw new UsageError('-d, -r and --match-model need -s SOURCE', { hint: 'add -s with the master folder to see pending changes' });
  }
  const timeoutMs = raw.timeout === undefined ? 10_000 : secondsToMs(raw.timeout);
  const paths =
    raw.source !== undefined ? resolveSourcePaths(raw.source, raw.relativeTo, io.cwd, home, 'see link-sync status --help') : undefined;
  const doc = await farmStatus({
    config: resolve(io.cwd, expandHome(raw.config, home)),
    configDisplayName: raw.config,
    printers: raw.printer ?? [],
    exclude: raw.exclude ?? [],
    ...(paths ? { source: paths.source, relativeTo: paths.relativeTo } : {}),
    ...(raw.destination !== undefined ? { destination: parseDestination(raw.destination) } : {}),
    matchModel: Boolean(raw.matchModel),
    stateDir: raw.stateDir !== undefined ? resolve(io.cwd, expandHome(raw.stateDir, home)) : defaultStateDir({ env: io.env }),
    allowSelfSigned: Boolean(raw.allowSelfSigned),
    timeouts: timeoutsFor(timeoutMs),
    env: io.env,
    signal: io.signal,
  });
  if (raw.json) io.stdout.write(`${JSON.stringify(doc)}\n`);
  else io.stdout.write(`${statusLines(doc).map(inertLine).join('\n')}\n`);
  return io.signal.aborted ? ExitCode.INTERRUPTED : statusExitCode(doc);
}

function secondsToMs(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || Number(value) <= 0) {
    throw new UsageError(`--timeout ${value}: must be a number of seconds, more than 0`, { hint: 'see link-sync status --help' });
  }
  return Math.round(Number(value) * 1000);
}
