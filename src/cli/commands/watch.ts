// `link-sync watch`: the sync flags plus --interval and --http; runs until Ctrl-C or SIGTERM.

import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CliIo } from '../io.js';
import { parseCount, parseInterval, type CommandExtension } from '../options.js';
import { parseSyncArgsLogged } from '../refusal-log.js';
import { VERSION } from '../../version.js';
import { UsageError } from '../../errors.js';
import { plainReporter } from '../../report/plain.js';
import { jsonReporter } from '../../report/json.js';
import { openLogFile } from '../../report/log-file.js';
import { fanOut } from '../../report/fan-out.js';
import { inertSink } from '../../report/inert.js';
import type { EventSink } from '../../report/events.js';
import { defaultStateDir } from '../../record/paths.js';
import { watch } from '../../watch/watch.js';
import { startFarmServer, type FarmServer } from '../../farm-page/server.js';
import { ExitCode, exitCodeFor } from '../../report/exit-codes.js';
import { syncOptionsFrom } from './sync.js';

export interface HttpAddress {
  host: string;
  port: number;
}

/** "8080" → 127.0.0.1:8080; "0.0.0.0:8080", "[::1]:8080", "farm.local:8080" as given. */
export function parseHttpAddress(value: string): HttpAddress {
  const text = value.trim();
  const match = /^(?:(\[[^\]]+\]|[^:]+):)?(\d{1,5})$/.exec(text);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) throw new InvalidArgumentError('must be PORT or HOST:PORT, e.g. 8080 or 0.0.0.0:8080 (port 0 to 65535)');
  const host = match[1]?.replace(/^\[|\]$/g, '') ?? '127.0.0.1';
  return { host, port };
}

const WATCH_FOOTER = `
Examples:
  link-sync watch -s ~/gcode                       show what it would do as things change
  link-sync watch -s ~/gcode -g --http 8080        keep the farm in sync; live page on 127.0.0.1:8080
  link-sync watch -s ~/gcode -g --interval 60      read each printer's state once a minute

Exit codes: 0 stopped by Ctrl-C or SIGTERM, 2 usage/config/source error or --http port in use.
`;

export async function runWatch(argv: string[], io: CliIo): Promise<number> {
  let http: HttpAddress | undefined;
  let settleMs: number | undefined;
  const extension: CommandExtension = {
    name: 'watch',
    usage: '-s SOURCE [sync flags] [-g|--go] [--interval SECONDS] [--http [HOST:]PORT]',
    description:
      'Keep running and sync each printer whenever it is free and the source folder has changed.\n' +
      'Dry run unless -g is given. Stop with Ctrl-C or SIGTERM.',
    footer: WATCH_FOOTER,
    extend(command: Command) {
      // A watch waits for busy printers by design.
      command.options.find((option) => option.long === '--fail-on-busy')?.hideHelp();
      command
        .option('--interval <SECONDS>', "read each printer's state this often (5 to 3600, default 30)", parseInterval)
        .option('--http <[HOST:]PORT>', 'serve a read-only live farm page (host 127.0.0.1 unless given)', parseHttpAddress)
        .addOption(new Option('--settle-ms <MS>', 'how long a source change must hold still (tests)').argParser(parseCount).hideHelp());
    },
    read(raw) {
      if (raw['failOnBusy'])
        throw new UsageError('--fail-on-busy has no meaning for watch', { hint: 'watch waits for busy printers; drop --fail-on-busy' });
      http = raw['http'] as HttpAddress | undefined;
      settleMs = raw['settleMs'] as number | undefined;
    },
  };
  const parsed = parseSyncArgsLogged(argv, io, VERSION, extension);
  if (parsed.kind === 'exit') return parsed.code;
  const o = parsed.options;
  const sinks: EventSink[] = [];
  const closers: Array<(exitCode: number, error?: unknown) => void> = [];
  // Plain lines or JSON events, never a redrawn screen: watch runs for days, mostly unattended.
  const info = (line: string) => (o.json ? io.stderr : io.stdout).write(`${line}\n`);
  if (o.json) sinks.push(jsonReporter((line) => io.stdout.write(line)));
  else
    sinks.push(
      inertSink(
        plainReporter({ out: (line) => io.stdout.write(`${line}\n`), err: (line) => io.stderr.write(`${line}\n`), quiet: o.quiet }),
      ),
    );
  if (o.logFile) {
    const log = openLogFile(o.logFile, { onWriteError: (message) => io.stderr.write(`link-sync: warning: ${message}\n`) });
    sinks.push(inertSink(log.sink));
    closers.push((exitCode, error) => log.close(exitCode, error));
  }
  let server: FarmServer | undefined;
  // A stop by signal is a clean end: the log's closing line says exit 0. A watch that cannot start
  // (config, source, lock, port) ends it with the code the process exits with, and the error.
  let code: number = ExitCode.OK;
  let failure: unknown;
  try {
    await watch({
      ...syncOptionsFrom(o, io),
      stateDir: o.stateDir ?? defaultStateDir({ env: io.env }),
      ...(settleMs !== undefined ? { settleMs } : {}),
      onEvent: fanOut(...sinks),
      signal: io.signal,
      beforeStart: async (farm) => {
        if (!http) return;
        server = await startFarmServer(farm, http.host, http.port);
        info(`Farm page: ${server.url}/ (read-only)`);
      },
    });
    info('Stopped.');
    // Stopping is what SIGTERM asks of a service: a clean stop is a success.
    return ExitCode.OK;
  } catch (error) {
    code = exitCodeFor(error);
    failure = error;
    throw error;
  } finally {
    await server?.close();
    for (const close of closers) close(code, failure);
  }
}
