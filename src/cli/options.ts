// Parses the sync command line (the original link-sync interface plus newer flags) into typed
// options. Never exits and never prints except help and version, which go to io.stdout.

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { CliIo } from './io.js';
import { expandHome, parseDestination, resolveSourcePaths, type Destination } from '../config/destination.js';
import { ExitCode } from '../report/exit-codes.js';

export { parseDestination, resolveSourcePaths, type Destination, type WritableStorage } from '../config/destination.js';

export interface SyncCliOptions {
  /** -c as the user wrote it (for messages); "printers.yml" by default. */
  config: string;
  /** -c resolved against the working folder. */
  configPath: string;
  /** -p names, in the order given (empty: every printer). */
  printers: string[];
  /** -x names (ignored when printers is not empty). */
  exclude: string[];
  /** -s, absolute. */
  source: string;
  /** -r, absolute; the source itself when not given. */
  relativeTo: string;
  /** -d, split into storage and folder. */
  destination: Destination;
  /** -d was given: it then wins over every printer's `destination` in the config. */
  destinationGiven: boolean;
  /** --match-model: send each printer only the files sliced for its model. */
  matchModel: boolean;
  /** -g/--go/--execute: make the changes; otherwise a dry run. */
  execute: boolean;
  ignoreState: boolean;
  /** False with --no-delete: never plan deletions. */
  delete: boolean;
  modifyWindowSec: number;
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  allowSelfSigned: boolean;
  /** --log-file: append plain lines here (absolute). */
  logFile?: string;
  /** --fail-on-busy: a busy printer left alone makes the run fail. */
  failOnBusy: boolean;
  /** --max-delete: refuse all deletions on a printer that would delete more files. */
  maxDelete?: number;
  /** --retries: further attempts of a failed request. */
  retries: number;
  /** --retry-delay (hidden): the first backoff ceiling, in ms. */
  retryDelayMs?: number;
  /** --timeout: connect, answer and upload-stall limit, in ms. */
  timeoutMs?: number;
  /** --state-dir: folder of the sync records (absolute); the XDG default when not given. */
  stateDir?: string;
  /** --checksum: compare every file's content with the record, ignoring mtimes. */
  checksum: boolean;
  /** --force: replace every file the printers already have. */
  force: boolean;
  /** --backup-dir: keep each printer's copy before deleting or replacing it (absolute). */
  backupDir?: string;
}

export type SyncArgsResult = { kind: 'run'; options: SyncCliOptions } | { kind: 'exit'; code: typeof ExitCode.OK };

const USAGE = '[-c CONFIG] [-p NAME ...] [-x NAME ...] -s SOURCE [-d DESTINATION] [-r RELATIVE_TO] [-g|--go|--execute] [--ignore-state] [options]';
const HELP_HINT = 'see link-sync --help';

/** Parses the arguments after the program name. Throws UsageError for anything it cannot accept. */
export function parseSyncArgs(argv: readonly string[], io: Pick<CliIo, 'stdout' | 'env' | 'cwd'>, version: string): SyncArgsResult {
  const program = buildCommand(io, version);
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return { kind: 'exit', code: ExitCode.OK };
      throw usageFromCommander(error);
    }
    throw error;
  }
  if (program.args.length > 0) {
    throw new UsageError(`unexpected argument ${JSON.stringify(program.args[0])}`, {
      hint: `every value belongs to an option (e.g. -s FOLDER); quote paths with spaces; ${HELP_HINT}`,
    });
  }
  return { kind: 'run', options: toOptions(program.opts<RawOptions>(), io) };
}

interface RawOptions {
  config: string;
  printer?: string[];
  exclude?: string[];
  source: string;
  destination?: string;
  relativeTo?: string;
  go?: boolean;
  execute?: boolean;
  ignoreState?: boolean;
  delete: boolean;
  modifyWindow: number;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  allowSelfSigned?: boolean;
  logFile?: string;
  failOnBusy?: boolean;
  maxDelete?: number;
  retries: number;
  retryDelay?: number;
  timeout?: number;
  stateDir?: string;
  checksum?: boolean;
  force?: boolean;
  matchModel?: boolean;
  backupDir?: string;
}

function toOptions(raw: RawOptions, io: Pick<CliIo, 'env' | 'cwd'>): SyncCliOptions {
  if (raw.quiet && raw.verbose) throw new UsageError('contradictory flags: --quiet and --verbose', { hint: `use one of them; ${HELP_HINT}` });
  if (!raw.delete && raw.maxDelete !== undefined) {
    throw new UsageError('contradictory flags: --no-delete and --max-delete', { hint: `--no-delete deletes nothing, so use one of them; ${HELP_HINT}` });
  }
  if (raw.source.trim() === '') throw new UsageError('-s/--source is empty', { hint: `give the local folder to sync; ${HELP_HINT}` });
  if (raw.config.trim() === '') throw new UsageError('-c/--config is empty', { hint: `give the printers file, e.g. -c printers.yml; ${HELP_HINT}` });
  const home = io.env['HOME'] ?? io.env['USERPROFILE'];
  const paths = resolveSourcePaths(raw.source, raw.relativeTo, io.cwd, home);
  return {
    config: raw.config,
    configPath: resolve(io.cwd, expandHome(raw.config, home)),
    printers: nonEmptyNames(raw.printer ?? [], '-p'),
    exclude: nonEmptyNames(raw.exclude ?? [], '-x'),
    source: paths.source,
    relativeTo: paths.relativeTo,
    destination: parseDestination(raw.destination),
    destinationGiven: raw.destination !== undefined,
    matchModel: Boolean(raw.matchModel),
    execute: Boolean(raw.go || raw.execute),
    ignoreState: Boolean(raw.ignoreState),
    delete: raw.delete,
    modifyWindowSec: raw.modifyWindow,
    json: Boolean(raw.json),
    quiet: Boolean(raw.quiet),
    verbose: Boolean(raw.verbose),
    allowSelfSigned: Boolean(raw.allowSelfSigned),
    ...(raw.logFile !== undefined ? { logFile: resolve(io.cwd, expandHome(raw.logFile, home)) } : {}),
    failOnBusy: Boolean(raw.failOnBusy),
    ...(raw.maxDelete !== undefined ? { maxDelete: raw.maxDelete } : {}),
    retries: raw.retries,
    ...(raw.retryDelay !== undefined ? { retryDelayMs: Math.round(raw.retryDelay * 1000) } : {}),
    ...(raw.timeout !== undefined ? { timeoutMs: Math.round(raw.timeout * 1000) } : {}),
    ...(raw.stateDir !== undefined ? { stateDir: nonEmptyPath(raw.stateDir, '--state-dir', io.cwd, home) } : {}),
    checksum: Boolean(raw.checksum),
    force: Boolean(raw.force),
    ...(raw.backupDir !== undefined ? { backupDir: nonEmptyPath(raw.backupDir, '--backup-dir', io.cwd, home) } : {}),
  };
}

function nonEmptyPath(value: string, flag: string, cwd: string, home: string | undefined): string {
  if (value.trim() === '') throw new UsageError(`${flag} is empty`, { hint: `give a folder; ${HELP_HINT}` });
  return resolve(cwd, expandHome(value, home));
}

function nonEmptyNames(names: string[], flag: string): string[] {
  if (names.some((n) => n.trim() === '')) throw new UsageError(`${flag}: a printer name is empty`, { hint: HELP_HINT });
  return names;
}

function buildCommand(io: Pick<CliIo, 'stdout'>, version: string): Command {
  return new Command('link-sync')
    .usage(USAGE)
    .description('Mirror a local folder of print files (.gcode, .bgcode) onto Prusa printers over PrusaLink.\nDry run unless -g is given.')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      // Errors become a UsageError; the caller prints them once, with the hint.
      writeErr: () => undefined,
      outputError: () => undefined,
      getOutHelpWidth: () => io.stdout.columns ?? 80,
      getErrHelpWidth: () => 80,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .allowExcessArguments(true)
    .helpOption('-h, --help', 'show this help')
    .option('-c, --config <CONFIG>', 'printers file, YAML or JSON', 'printers.yml')
    .option('-p, --printer <NAME...>', 'sync only these printers (repeatable; names ignore case)')
    .option('-x, --exclude <NAME...>', 'skip these printers (repeatable; ignored with -p)')
    .requiredOption('-s, --source <SOURCE>', 'local folder to mirror')
    .option('-d, --destination <DESTINATION>', 'folder on the printers, e.g. farm or /usb/farm (default: each printer\'s destination in the config, else the storage root)')
    .option('--match-model', 'send each printer only the files sliced for its model (files naming no model go to all)')
    .option('-r, --relative-to <RELATIVE_TO>', 'printer paths are source paths relative to this folder (default: SOURCE)')
    .option('-g, --go', 'make the changes (also --execute); without it, only show them')
    .addOption(new Option('--execute', 'same as -g').hideHelp())
    .option('--ignore-state', 'also sync printers that are not idle (the printed file is never touched)')
    .option('--no-delete', 'never delete files on the printers')
    .option('--modify-window <SECONDS>', 'for files without a sync record: local copy counts as newer only beyond this many seconds', parseSeconds, 60)
    .option('--checksum', 'compare the content of every file with the sync record, whatever its modified time')
    .option('--force', 'replace every file the printers already have')
    .option('--state-dir <DIR>', 'folder of the sync records (default: $XDG_STATE_HOME/link-sync or ~/.local/state/link-sync)')
    .option('--backup-dir <DIR>', 'before deleting or replacing a file on a printer, download its copy to DIR/<printer>/<path> (at printer speed)')
    .option('--max-delete <N>', 'delete nothing on a printer that would lose more than N files', parseCount)
    .option('--retries <N>', 'attempts after a failed request (connection errors, timeouts, 5xx, busy)', parseCount, 3)
    .addOption(new Option('--retry-delay <SECONDS>', 'first wait before a retry, doubled each time').argParser(parseSeconds).hideHelp())
    .option('--timeout <SECONDS>', 'wait this long for a printer to connect, answer, or take upload data (default 30)', parsePositiveSeconds)
    .option('--json', 'print events as JSON lines')
    .option('--quiet', 'print only problems and the summary')
    .option('--verbose', 'print every request and decision')
    .option('--allow-self-signed', 'accept self-signed HTTPS certificates')
    .option('--log-file <PATH>', 'append plain, time-stamped lines to this file (for cron)')
    .option('--fail-on-busy', 'exit 1 when a busy printer was left alone')
    .version(version, '--version', 'print the version')
    .addHelpText('after', HELP_FOOTER);
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('must be a whole number, 0 or more');
  return Number(value);
}

function parsePositiveSeconds(value: string): number {
  const seconds = parseSeconds(value);
  if (seconds <= 0) throw new InvalidArgumentError('must be more than 0 seconds');
  return seconds;
}

function parseSeconds(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value.trim())) throw new InvalidArgumentError('must be a non-negative number of seconds');
  return Number(value);
}

/** Commander's text, minus its "error: " prefix, on one line, with our hint. */
function usageFromCommander(error: CommanderError): UsageError {
  if (error.code === 'commander.missingMandatoryOptionValue') {
    return new UsageError('missing -s/--source SOURCE: the local folder to mirror', { hint: HELP_HINT, cause: error });
  }
  const text = error.message
    .replace(/^error:\s*/i, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => line.replace(/^\((Did you mean .*)\)$/, (_, s: string) => `(${s.charAt(0).toLowerCase()}${s.slice(1)})`))
    .join(' ');
  return new UsageError(text, { hint: HELP_HINT, cause: error });
}

const HELP_FOOTER = `
Examples:
  link-sync -s ~/gcode                      show what would change on every printer
  link-sync -s ~/gcode -d /usb/farm -g      mirror into the folder "farm" on each USB stick
  link-sync -s ~/gcode -p mk4-1 mk4-2 -g    only two printers

Exit codes: 0 in sync (or clean dry run), 1 some actions failed, 2 usage/config/source error,
3 a printer unreachable or refused the credentials, 70 internal error, 130 interrupted.

Other commands: link-sync pull (copy files only on printers into the master; see
link-sync pull --help), link-sync simulate, link-sync demo.
`;
