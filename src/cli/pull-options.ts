// Parses `link-sync pull ...` into typed options: the scope flags sync has, plus --prefer.
// Never exits and never prints except help, which goes to io.stdout.

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { CliIo } from './io.js';
import { commanderMessage, helpOnlyOutput } from './options.js';
import { expandHome, parseDestination, refuseEmpty, resolveSourcePaths, type Destination } from '../config/destination.js';

export interface PullCliOptions {
  config: string;
  configPath: string;
  printers: string[];
  exclude: string[];
  source: string;
  relativeTo: string;
  destination: Destination;
  destinationGiven: boolean;
  go: boolean;
  prefer?: string;
  json: boolean;
  quiet: boolean;
  stateDir?: string;
  retries: number;
  retryDelayMs?: number;
  timeoutMs?: number;
  allowSelfSigned: boolean;
}

export type PullArgsResult = { kind: 'run'; options: PullCliOptions } | { kind: 'exit'; code: 0 };

const HELP_HINT = 'see link-sync pull --help';

export function parsePullArgs(argv: readonly string[], io: Pick<CliIo, 'stdout' | 'env' | 'cwd'>): PullArgsResult {
  const program = new Command('link-sync pull')
    .usage('-s MASTER [-c CONFIG] [-p NAME ...] [-x NAME ...] [-d DESTINATION] [-r RELATIVE_TO] [-g|--go] [--prefer PRINTER] [--json]')
    .description(
      'Copy print files that are on printers but not in the master folder back into it.\nDry run unless -g is given. Never overwrites or deletes a local file.',
    )
    .exitOverride()
    .configureOutput(helpOnlyOutput(io))
    .allowExcessArguments(true)
    .helpOption('-h, --help', 'show this help')
    .option('-c, --config <CONFIG>', 'printers file, YAML or JSON', 'printers.yml')
    .option('-p, --printer <NAME...>', 'only these printers or groups')
    .option('-x, --exclude <NAME...>', 'all printers but these (ignored with -p)')
    .requiredOption('-s, --source <MASTER>', 'the master folder the files are pulled into')
    .option(
      '-d, --destination <DESTINATION>',
      "folder on the printers, as for sync (default: each printer's destination, else the storage root)",
    )
    .option('-r, --relative-to <RELATIVE_TO>', 'printer paths are MASTER paths relative to this folder, as for sync')
    .option('-g, --go', 'download the files; without it, only list them')
    .option('--prefer <PRINTER>', "when printers hold different files under one name, take this printer's copy")
    .option('--state-dir <DIR>', 'folder of the sync records (pulled files are recorded for the printers they came from)')
    .option('--retries <N>', 'attempts after a failed request', parseCount, 3)
    .addOption(new Option('--retry-delay <SECONDS>', 'first wait before a retry').argParser(parseSeconds).hideHelp())
    .option('--timeout <SECONDS>', 'wait this long for a printer to connect, answer or send data (default 30)', parseSeconds)
    .option('--json', 'print events as JSON lines')
    .option('--quiet', 'print only problems and the summary')
    .option('--allow-self-signed', 'accept self-signed HTTPS certificates')
    .addHelpText(
      'after',
      '\nExit codes: 0 done (or clean dry run), 1 conflicts, refused names or failed downloads,\n2 usage/config/master folder error, 3 a printer unreachable, 130 interrupted.\n',
    );
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return { kind: 'exit', code: 0 };
      if (error.code === 'commander.missingMandatoryOptionValue') {
        throw new UsageError('missing -s/--source MASTER: the folder to pull into', { hint: HELP_HINT, cause: error });
      }
      const message = commanderMessage(error);
      throw new UsageError(message.split('\n')[0] ?? message, { hint: HELP_HINT });
    }
    throw error;
  }
  if (program.args.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(program.args[0])}`, { hint: HELP_HINT });
  const raw = program.opts<Record<string, unknown>>();
  const home = io.env['HOME'] ?? io.env['USERPROFILE'];
  const source = String(raw['source']);
  refuseEmpty(source, '-s/--source', `give the master folder; ${HELP_HINT}`);
  const paths = resolveSourcePaths(source, raw['relativeTo'] as string | undefined, io.cwd, home, HELP_HINT);
  const config = String(raw['config']);
  refuseEmpty(config, '-c/--config', `give the printers file, e.g. -c printers.yml; ${HELP_HINT}`);
  const prefer = raw['prefer'] as string | undefined;
  refuseEmpty(prefer, '--prefer', `name a printer; ${HELP_HINT}`);
  const stateDir = raw['stateDir'] as string | undefined;
  refuseEmpty(stateDir, '--state-dir', `give a folder; ${HELP_HINT}`);
  return {
    kind: 'run',
    options: {
      config,
      configPath: resolve(io.cwd, expandHome(config, home)),
      printers: (raw['printer'] as string[] | undefined) ?? [],
      exclude: (raw['exclude'] as string[] | undefined) ?? [],
      source: paths.source,
      relativeTo: paths.relativeTo,
      destination: parseDestination(raw['destination'] as string | undefined),
      destinationGiven: raw['destination'] !== undefined,
      go: Boolean(raw['go']),
      ...(prefer !== undefined ? { prefer } : {}),
      json: Boolean(raw['json']),
      quiet: Boolean(raw['quiet']),
      ...(stateDir !== undefined ? { stateDir: resolve(io.cwd, expandHome(stateDir, home)) } : {}),
      retries: raw['retries'] as number,
      ...(raw['retryDelay'] !== undefined ? { retryDelayMs: Math.round((raw['retryDelay'] as number) * 1000) } : {}),
      ...(raw['timeout'] !== undefined ? { timeoutMs: Math.round((raw['timeout'] as number) * 1000) } : {}),
      allowSelfSigned: Boolean(raw['allowSelfSigned']),
    },
  };
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('must be a whole number, 0 or more');
  return Number(value);
}

function parseSeconds(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value.trim())) throw new InvalidArgumentError('must be a non-negative number of seconds');
  return Number(value);
}
