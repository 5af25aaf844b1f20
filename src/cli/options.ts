// Parses the sync command line (the original link-sync interface plus newer flags) into typed
// options. Never exits and never prints except help and version, which go to io.stdout.

import { Command, CommanderError, InvalidArgumentError, Option, type OutputConfiguration } from 'commander';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { CliIo } from './io.js';
import { expandHome, parseDestination, refuseEmpty, resolveSourcePaths, type Destination } from '../config/destination.js';
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
  /** --delete-other-destinations: also delete files a sync to another -d placed. */
  deleteOtherDestinations: boolean;
  /** --wait-busy: how long to wait for busy printers to become free. */
  waitBusyMs?: number;
  /** --interval (or the hidden --poll-ms, for tests): time between state reads of a waiting printer. */
  pollIntervalMs?: number;
}

/** Extra flags a command built on the sync flags adds (watch), and a place to read them back. */
export interface CommandExtension {
  name: string;
  usage: string;
  description: string;
  /** Text after the options in --help (examples, exit codes). */
  footer: string;
  extend(command: Command): void;
  /** Reads the extension's flags from commander's values; throws UsageError. */
  read(raw: Record<string, unknown>): void;
}

export type SyncArgsResult = { kind: 'run'; options: SyncCliOptions } | { kind: 'exit'; code: typeof ExitCode.OK };

const USAGE =
  '[-c CONFIG] [-p NAME ...] [-x NAME ...] -s SOURCE [-d DESTINATION] [-r RELATIVE_TO] [-g|--go|--execute] [--ignore-state] [options]';
const HELP_HINT = 'see link-sync --help';

/** Parses the arguments after the program name. Throws UsageError for anything it cannot accept. */
export function parseSyncArgs(
  argv: readonly string[],
  io: Pick<CliIo, 'stdout' | 'env' | 'cwd'>,
  version: string,
  extension?: CommandExtension,
): SyncArgsResult {
  const program = syncCommand(io, version, extension);
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
  const raw = program.opts<RawOptions>();
  const options = toOptions(raw, io);
  if (extension) extension.read(raw as unknown as Record<string, unknown>);
  else if (raw.interval !== undefined && raw.waitBusy === undefined) {
    throw new UsageError('--interval is only used with --wait-busy', {
      hint: `add --wait-busy DURATION, or drop --interval; ${HELP_HINT}`,
    });
  }
  return { kind: 'run', options };
}

/** The sync flags, with the extension's or the sync command's own (--wait-busy, --interval). */
function syncCommand(io: Pick<CliIo, 'stdout'>, version: string, extension?: CommandExtension): Command {
  const program = buildCommand(io, version, extension?.footer ?? HELP_FOOTER);
  if (extension) {
    program.name(`link-sync ${extension.name}`).usage(extension.usage).description(extension.description);
    extension.extend(program);
  } else {
    program
      .option(
        '--wait-busy <DURATION>',
        'Wait up to DURATION (2h, 30m, 90s, 1h30m; at most a week) for busy or printing printers: each is polled and synced as soon as it is free. The others are synced at once. A printer still busy when the time is up counts as busy. See Waiting for busy printers.',
        parseDuration,
      )
      .option(
        '--interval <SECONDS>',
        "With --wait-busy (and for watch): read a waiting printer's state this often, 5 to 3600 (default 30).",
        parseInterval,
      );
  }
  program.addOption(
    new Option('--poll-ms <MS>', 'polling interval in ms without the 5 s floor (tests only)').argParser(parseCount).hideHelp(),
  );
  return program;
}

/**
 * The --log-file of a command line, read without checking the other flags: a command line that
 * parseSyncArgs refused still names its log, and cron keeps only the log. The arguments are walked
 * as commander walks them (a flag's value is never read as a flag), the last --log-file winning.
 * Undefined when it is not given or its value is blank.
 */
export function logFileOf(
  argv: readonly string[],
  io: Pick<CliIo, 'stdout' | 'env' | 'cwd'>,
  version: string,
  extension?: CommandExtension,
): string | undefined {
  const options = syncCommand(io, version, extension).options;
  const find = (flag: string): Option | undefined => options.find((o) => o.short === flag || o.long === flag);
  const takesValue = (o: Option): boolean => o.required || o.optional;
  let value: string | undefined;
  const seen = (o: Option, given: string | undefined): void => {
    if (o.long === '--log-file') value = given;
  };
  const args = [...argv];
  let variadic = false;
  for (let arg = args.shift(); arg !== undefined && arg !== '--'; arg = args.shift()) {
    if (variadic && !isFlag(arg)) continue;
    variadic = false;
    const option = find(arg);
    if (option) {
      // A required value is the next argument whatever it looks like; an optional one only when it is no flag.
      if (option.required) seen(option, args.shift());
      else if (option.optional && args[0] !== undefined && !isFlag(args[0])) seen(option, args.shift());
      variadic = option.variadic;
    } else if (/^-[^-]./.test(arg)) {
      // -sFOLDER, or a group of short flags (-gs FOLDER).
      const short = find(arg.slice(0, 2));
      if (short && takesValue(short)) seen(short, arg.slice(2));
      else if (short) args.unshift(`-${arg.slice(2)}`);
    } else if (/^--[^=]+=/.test(arg)) {
      const at = arg.indexOf('=');
      const long = find(arg.slice(0, at));
      if (long && takesValue(long)) seen(long, arg.slice(at + 1));
    }
  }
  if (value === undefined || value.trim() === '') return undefined;
  return resolve(io.cwd, expandHome(value, io.env['HOME'] ?? io.env['USERPROFILE']));
}

/** What commander takes for a flag rather than a value (a negative number too: no flag of ours is a digit). */
function isFlag(arg: string): boolean {
  return arg.length > 1 && arg.startsWith('-') && !/^-(\d+|\d*\.\d+)(e[+-]?\d+)?$/.test(arg);
}

interface RawOptions {
  config?: string;
  printer?: string[];
  exclude?: string[];
  source: string;
  destination?: string;
  relativeTo?: string;
  go?: boolean;
  execute?: boolean;
  ignoreState?: boolean;
  delete: boolean;
  modifyWindow?: number;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  allowSelfSigned?: boolean;
  logFile?: string;
  failOnBusy?: boolean;
  maxDelete?: number;
  retries?: number;
  retryDelay?: number;
  timeout?: number;
  stateDir?: string;
  checksum?: boolean;
  force?: boolean;
  matchModel?: boolean;
  waitBusy?: number;
  interval?: number;
  pollMs?: number;
  backupDir?: string;
  deleteOtherDestinations?: boolean;
}

/** Defaults applied here, not by commander: the help texts (the README's) already name them. */
const DEFAULT_CONFIG = 'printers.yml';
const DEFAULT_MODIFY_WINDOW_SEC = 60;
const DEFAULT_RETRIES = 3;

function toOptions(given: RawOptions, io: Pick<CliIo, 'env' | 'cwd'>): SyncCliOptions {
  const raw = {
    ...given,
    config: given.config ?? DEFAULT_CONFIG,
    modifyWindow: given.modifyWindow ?? DEFAULT_MODIFY_WINDOW_SEC,
    retries: given.retries ?? DEFAULT_RETRIES,
  };
  if (raw.quiet && raw.verbose)
    throw new UsageError('contradictory flags: --quiet and --verbose', { hint: `use one of them; ${HELP_HINT}` });
  if (!raw.delete && raw.maxDelete !== undefined) {
    throw new UsageError('contradictory flags: --no-delete and --max-delete', {
      hint: `--no-delete deletes nothing, so use one of them; ${HELP_HINT}`,
    });
  }
  refuseEmpty(raw.source, '-s/--source', `give the local folder to sync; ${HELP_HINT}`);
  refuseEmpty(raw.config, '-c/--config', `give the printers file, e.g. -c printers.yml; ${HELP_HINT}`);
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
    ...(raw.logFile !== undefined
      ? { logFile: nonEmptyPath(raw.logFile, '--log-file', io.cwd, home, 'give the file to append to, e.g. --log-file sync.log') }
      : {}),
    failOnBusy: Boolean(raw.failOnBusy),
    ...(raw.maxDelete !== undefined ? { maxDelete: raw.maxDelete } : {}),
    retries: raw.retries,
    ...(raw.retryDelay !== undefined ? { retryDelayMs: Math.round(raw.retryDelay * 1000) } : {}),
    ...(raw.timeout !== undefined ? { timeoutMs: Math.round(raw.timeout * 1000) } : {}),
    ...(raw.stateDir !== undefined ? { stateDir: nonEmptyPath(raw.stateDir, '--state-dir', io.cwd, home) } : {}),
    checksum: Boolean(raw.checksum),
    force: Boolean(raw.force),
    ...(raw.waitBusy !== undefined ? { waitBusyMs: raw.waitBusy } : {}),
    ...(raw.pollMs !== undefined
      ? { pollIntervalMs: raw.pollMs }
      : raw.interval !== undefined
        ? { pollIntervalMs: raw.interval * 1000 }
        : {}),
    ...(raw.backupDir !== undefined ? { backupDir: nonEmptyPath(raw.backupDir, '--backup-dir', io.cwd, home) } : {}),
    deleteOtherDestinations: Boolean(raw.deleteOtherDestinations),
  };
}

function nonEmptyPath(value: string, flag: string, cwd: string, home: string | undefined, fix = 'give a folder'): string {
  refuseEmpty(value, flag, `${fix}; ${HELP_HINT}`);
  return resolve(cwd, expandHome(value, home));
}

function nonEmptyNames(names: string[], flag: string): string[] {
  if (names.some((n) => n.trim() === '')) throw new UsageError(`${flag}: a printer name is empty`, { hint: HELP_HINT });
  return names;
}

/** Commander writes only help to stdout; its errors become a UsageError that the caller prints once, with the hint. */
export function helpOnlyOutput(io: Pick<CliIo, 'stdout'>): OutputConfiguration {
  return {
    writeOut: (text) => io.stdout.write(text),
    writeErr: () => undefined,
    outputError: () => undefined,
    getOutHelpWidth: () => io.stdout.columns ?? 80,
    getErrHelpWidth: () => 80,
    getOutHasColors: () => false,
    getErrHasColors: () => false,
  };
}

function buildCommand(io: Pick<CliIo, 'stdout'>, version: string, footer: string): Command {
  return new Command('link-sync')
    .usage(USAGE)
    .description('Mirror a local folder of print files (.gcode, .bgcode) onto Prusa printers over PrusaLink.\nDry run unless -g is given.')
    .exitOverride()
    .configureOutput(helpOnlyOutput(io))
    .allowExcessArguments(true)
    .helpOption('-h, --help', 'show this help')
    .option('-c, --config <CONFIG>', 'Printer config, YAML or JSON. Default printers.yml in the working directory.')
    .option('-p, --printer <NAME...>', 'Only these printers, or the printers of these groups (case-insensitive). May repeat.')
    .option('-x, --exclude <NAME...>', 'All printers but these (printer or group names). Ignored, with a warning, when -p is given.')
    .requiredOption('-s, --source <SOURCE>', 'The master folder. Required.')
    .option(
      '-d, --destination <DESTINATION>',
      "Folder within the printer's storage: /usb/, usb/farm, /local/farm or farm; / for the storage root (an empty -d is refused). Wins over the config's destination. Default: each printer's destination, else the storage root.",
    )
    .option('--match-model', 'Send each printer only the files sliced for its model (see Models and routing).')
    .option(
      '-r, --relative-to <RELATIVE_TO>',
      'Take source paths relative to this ancestor of -s: -s master/parts -r master puts files under parts/ on the printer. Default: -s itself.',
    )
    .option('-g, --go', 'Apply the changes. Without it, only read from printers and print the plan.')
    .addOption(new Option('--execute', 'same as -g').hideHelp())
    .option('--ignore-state', 'Also sync printers that are busy or printing. The file being printed is never replaced or deleted.')
    .option('--no-delete', 'Only upload and replace; delete nothing.')
    .option(
      '--modify-window <SECONDS>',
      'Tolerance of the time rule, used only for files the sync record does not know yet (default 60).',
      parseSeconds,
    )
    .option(
      '--checksum',
      'Compare the content of every file with the sync record, whatever its modified time says (reads every file the printers hold).',
    )
    .option('--force', 'Replace every selected file the printers already have, changed or not.')
    .option(
      '--state-dir <DIR>',
      'Where the sync record lives (default: state_dir in the config, else $XDG_STATE_HOME/link-sync, else ~/.local/state/link-sync).',
    )
    .option(
      '--backup-dir <DIR>',
      'Before a file is deleted or replaced on a printer, download its copy to DIR/<printer>/<path> (at printer speed).',
    )
    .option(
      '--max-delete <N>',
      'Delete nothing on a printer whose plan would delete more than N files; it is reported and counts as not in sync. No limit by default.',
      parseCount,
    )
    .option(
      '--delete-other-destinations',
      "Also delete files that a sync to another destination placed inside this run's destination (held otherwise; see Safety).",
    )
    .option(
      '--retries <N>',
      'Try a failed request again up to N times (default 3), with backoff: connection errors, timeouts, 5xx, 408 and "another transfer in progress". A 500 to an upload is tried again once at most. Never wrong credentials, missing files, refused names or a full stick.',
      parseCount,
    )
    .addOption(new Option('--retry-delay <SECONDS>', 'first wait before a retry, doubled each time').argParser(parseRetryDelay).hideHelp())
    .option(
      '--timeout <SECONDS>',
      'Wait this long for a printer to answer, or for an upload to make progress on the printer (its own transferred count; default 30; connecting waits at most 10). A whole answer must come within twice this; see docs/reliability.md for every deadline. At most 3600.',
      parseTimeout,
    )
    .option('--json', 'Print the run as JSON lines on stdout (see Output); nothing else goes to stdout.')
    .option('--quiet', 'Print only problems and the closing summary.')
    .option(
      '--verbose',
      'Also print every request to every printer, every planned action and file for another model, and why each unchanged file is left alone.',
    )
    .option('--allow-self-signed', 'Accept self-signed certificates for https:// hosts.')
    .option(
      '--log-file <PATH>',
      'Append the plain lines, each stamped with the time, to PATH (for cron). A command line refused for a bad flag is logged too.',
    )
    .option('--fail-on-busy', 'Exit 1 when a busy printer was left alone (by default that is reported, not a failure).')
    .version(version, '--version', 'print the version')
    .addHelpText('after', footer);
}

export function parseCount(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('must be a whole number, 0 or more');
  return Number(value);
}

/** --timeout sets the answer and stall limits; connecting never needs longer than 10 s on a LAN. */
export function timeoutsFor(ms: number): { connectMs: number; responseMs: number; stallMs: number } {
  return { connectMs: Math.min(ms, 10_000), responseMs: ms, stallMs: ms };
}

/** An hour: longer than any printer takes to answer, and far below what a timer can hold. */
export const MAX_TIMEOUT_SECONDS = 3600;

function parseTimeout(value: string): number {
  const seconds = parseSeconds(value);
  if (seconds <= 0) throw new InvalidArgumentError('must be more than 0 seconds');
  if (seconds > MAX_TIMEOUT_SECONDS) throw new InvalidArgumentError(`must be at most ${MAX_TIMEOUT_SECONDS} seconds (1 hour)`);
  return seconds;
}

function parseRetryDelay(value: string): number {
  const seconds = parseSeconds(value);
  if (seconds > MAX_TIMEOUT_SECONDS) throw new InvalidArgumentError(`must be at most ${MAX_TIMEOUT_SECONDS} seconds (1 hour)`);
  return seconds;
}

function parseSeconds(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value.trim())) throw new InvalidArgumentError('must be a non-negative number of seconds');
  return Number(value);
}

/** Longest --wait-busy: a week; a longer wait is a typo more often than a plan. */
const MAX_WAIT_MS = 7 * 24 * 3600 * 1000;
const DURATION_UNITS: Record<string, number> = { h: 3600_000, m: 60_000, s: 1000, ms: 1 };

/** "2h", "30m", "90s", "1h30m", "45" (seconds) → ms. */
export function parseDuration(value: string): number {
  const text = value.trim().toLowerCase();
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)?/g)];
  if (text === '' || parts.map((p) => p[0]).join('') !== text || (parts.length > 1 && parts.some((p) => p[2] === undefined))) {
    throw new InvalidArgumentError('must be a duration such as 2h, 30m, 90s or 1h30m');
  }
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * DURATION_UNITS[p[2] ?? 's']!, 0);
  if (ms <= 0) throw new InvalidArgumentError('must be more than 0');
  if (ms > MAX_WAIT_MS) throw new InvalidArgumentError('must be at most a week (168h)');
  return Math.round(ms);
}

/** Printers are never polled faster than every 5 s (weak boards); more than an hour is a typo. */
export function parseInterval(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value.trim())) throw new InvalidArgumentError('must be a number of seconds from 5 to 3600');
  const seconds = Number(value);
  if (seconds < 5) throw new InvalidArgumentError('must be at least 5 seconds: printers are never polled faster');
  if (seconds > 3600) throw new InvalidArgumentError('must be at most 3600 seconds (an hour)');
  return seconds;
}

/** Commander's text, minus its "error: " prefix, on one line, with our hint. */
function usageFromCommander(error: CommanderError): UsageError {
  if (error.code === 'commander.missingMandatoryOptionValue') {
    return new UsageError('missing -s/--source SOURCE: the local folder to mirror', { hint: HELP_HINT, cause: error });
  }
  const message = commanderMessage(error);
  const text = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => line.replace(/^\((Did you mean .*)\)$/, (_, s: string) => `(${s.charAt(0).toLowerCase()}${s.slice(1)})`))
    .join(' ');
  // Commander's own error holds the text as typed: not kept where a value was left out.
  return new UsageError(text, { hint: HELP_HINT, ...(error.code === 'commander.unknownOption' ? {} : { cause: error }) });
}

/**
 * Commander's message without its "error: " prefix, and without the value of an unknown flag:
 * `--password=hunter2` reads `--password=...` (and `-zsecret` reads `-z...`), since what was
 * typed there may be a secret, and the error goes to stderr and to --log-file.
 */
export function commanderMessage(error: CommanderError): string {
  const text = error.message.replace(/^error:\s*/i, '');
  if (error.code !== 'commander.unknownOption') return text;
  return text.replace(
    /^(unknown option ')([\s\S]*)('(?:\n\(Did you mean [^\n]*\))?)$/,
    (_, head: string, flag: string, tail: string) => `${head}${withoutValue(flag)}${tail}`,
  );
}

function withoutValue(flag: string): string {
  const long = /^(--[^=]+=)[\s\S]/.exec(flag);
  if (long) return `${long[1]}...`;
  return /^-[^-][\s\S]/.test(flag) ? `${flag.slice(0, 2)}...` : flag;
}

const HELP_FOOTER = `
Examples:
  link-sync -s ~/gcode                      show what would change on every printer
  link-sync -s ~/gcode -d /usb/farm -g      mirror into the folder "farm" on each USB stick
  link-sync -s ~/gcode -p mk4-1 mk4-2 -g    only two printers

Commands:
  link-sync [options]             sync a folder onto the printers (this help)
  link-sync status [options]      one row per printer: state, job, free space, pending changes
  link-sync watch [options]       keep syncing each printer whenever it is free
  link-sync pull [options]        copy files that are only on printers back into the master
  link-sync simulate [options]    run simulated PrusaLink printers on this machine
  link-sync demo                  sync an example folder onto three simulated printers
  link-sync help [command]        show the help of a command

Exit codes: 0 in sync (or clean dry run), 1 some actions failed, 2 usage/config/source error,
3 a printer unreachable, offline, not PrusaLink or refused the credentials, 70 internal error,
130 interrupted (Ctrl-C, SIGTERM, or stdout closed).
`;
