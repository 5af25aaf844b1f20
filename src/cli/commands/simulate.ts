// `link-sync simulate`: starts a farm of simulated PrusaLink printers on 127.0.0.1, prints how to
// reach each one, optionally writes a printers.yml for them, and runs until Ctrl-C.

import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { LinkSyncError, UsageError } from '../../errors.js';
import { configPrinterType, farmPrinterName, parseModelList, parseRate } from '../../simulator/cli-args.js';
import { refuseEmpty } from '../../config/destination.js';
import { startFarm } from '../../simulator/farm.js';
import { hasLegacyFirmware } from '../../simulator/legacy/index.js';
import type { SimFirmware, SimModel, SimPrinter, SimPrinterOptions } from '../../simulator/types.js';
import { ExitCode } from '../../report/exit-codes.js';
import { folderCause, writeFix } from '../../local/folder-words.js';
import type { CliIo } from '../io.js';
import { commanderMessage } from '../options.js';

interface SimulateOptions {
  printers: number;
  model?: string;
  models?: string;
  port?: number;
  rate?: number;
  clockSkew?: number;
  clockUnset?: boolean;
  storageDir?: string;
  writeConfig?: string;
  password?: string;
  apiKey?: string;
  firmware?: SimFirmware;
}

function intArg(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
}

function buildCommand(io: CliIo): Command {
  return new Command('link-sync simulate')
    .description('Run simulated PrusaLink printers on 127.0.0.1 until Ctrl-C.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .helpOption('-h, --help', 'show this help')
    .option('-n, --printers <N>', 'number of printers', intArg('--printers', 1, 1000), 1)
    .option('--model <MODEL>', 'one model for every printer (default MK4)')
    .option('--models <LIST>', 'comma-separated models, used in turn (e.g. MK4,XL,MK3)')
    .option('--port <BASE>', 'first port; printer i listens on BASE+i-1 (default: any free port)', intArg('--port', 1, 65535))
    .option('--rate <RATE>', 'transfer rate per printer (uploads and file downloads), e.g. 200k, 1.5M, 50000 (bytes/s)', (v: string) => {
      const rate = parseRate(v);
      if (rate === undefined) throw new InvalidArgumentError('give bytes per second, e.g. 200k, 1.5M or 50000');
      return rate;
    })
    .option('--clock-skew <SECONDS>', "offset of the printers' clocks from this machine's", (v: string) => {
      const n = Number(v);
      if (!Number.isFinite(n)) throw new InvalidArgumentError('--clock-skew takes seconds, e.g. -3600');
      return n;
    })
    .option('--clock-unset', 'the printers never got the time (Buddy writes 1980-01-01 dates)')
    .option('--storage-dir <DIR>', "keep each printer's files on disk under DIR/<name>/")
    .option('--write-config <FILE>', 'write a printers.yml for these printers')
    .option('--password <PASSWORD>', 'one password for every printer (default: random per printer)')
    .option('--api-key <KEY>', 'API key for the Pi printers (Buddy uses the password)')
    .option('--firmware <current|legacy>', 'legacy: only the old API (MINI: Buddy 4.4; MK3*/MK2.5*: PrusaLink 0.6)', (v: string) => {
      if (v !== 'current' && v !== 'legacy') throw new InvalidArgumentError('give current or legacy');
      return v;
    });
}

function printerOptions(opts: SimulateOptions, models: SimModel[], io: CliIo): SimPrinterOptions[] {
  const list: SimPrinterOptions[] = [];
  for (let i = 0; i < opts.printers; i++) {
    const model = models[i % models.length] as SimModel;
    const name = farmPrinterName(model, i);
    const o: SimPrinterOptions = { model, name };
    if (opts.port !== undefined) {
      if (opts.port + i > 65535)
        throw new UsageError(`--port ${opts.port} leaves no port for printer ${i + 1}`, { hint: 'use a lower --port or fewer --printers' });
      o.port = opts.port + i;
    }
    if (opts.rate !== undefined) o.rateBytesPerSec = opts.rate;
    if (opts.clockSkew !== undefined || opts.clockUnset) o.clock = { skewSec: opts.clockSkew ?? 0, unset: opts.clockUnset === true };
    if (opts.storageDir !== undefined) o.storageDir = join(resolve(io.cwd, opts.storageDir), name);
    if (opts.password !== undefined) o.password = opts.password;
    if (opts.apiKey !== undefined) o.apiKey = opts.apiKey;
    if (opts.firmware === 'legacy') {
      if (!hasLegacyFirmware(model))
        throw new UsageError(`--firmware legacy: ${model} never had a legacy-only firmware`, {
          hint: 'use --models with MINI, MK3, MK3S, MK2.5 or MK2.5S',
        });
      o.firmware = 'legacy';
    }
    list.push(o);
  }
  return list;
}

/** printers.yml content: name → printer_type, host, username, password. */
export function farmConfigYaml(printers: readonly SimPrinter[]): string {
  const doc: Record<string, Record<string, string>> = {};
  for (const p of printers) {
    // Buddy 4.4 has no digest login: its API key is the password.
    doc[p.name] =
      p.firmware === 'legacy' && p.personality === 'buddy'
        ? { printer_type: configPrinterType(p.model), host: p.url, api_key: p.credentials.password }
        : { printer_type: configPrinterType(p.model), host: p.url, username: p.credentials.username, password: p.credentials.password };
  }
  return `${WRITTEN_BY}: simulated printers, valid while it runs; it may overwrite this file.\n` + stringify(doc);
}

/** The first line of every config file simulate writes: the only files it overwrites. */
const WRITTEN_BY = '# Written by link-sync simulate';

/** Refuses to overwrite a file simulate did not write (a real printers.yml and its passwords). */
function checkWritable(path: string): void {
  let first: string;
  try {
    first = readFileSync(path, 'utf8').split('\n', 1)[0] ?? '';
  } catch (err) {
    // Nothing there, or no folder to hold it: writing says why, in words.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return;
    throw new UsageError(`--write-config ${path}: cannot read what is there (${folderCause(err)})`, {
      hint: 'give another --write-config',
    });
  }
  if (!first.startsWith(WRITTEN_BY) && !first.startsWith('# Simulated printers started by `link-sync simulate`')) {
    throw new UsageError(`--write-config ${path}: the file exists and was not written by link-sync simulate; not overwriting it`, {
      hint: 'give another file name, e.g. --write-config sim-printers.yml',
    });
  }
}

function describe(p: SimPrinter): string {
  const c = p.credentials;
  const key = c.apiKey !== undefined ? `  api key ${c.apiKey}` : '';
  const legacy = p.firmware === 'legacy' ? ' (legacy API)' : '';
  return `  ${p.name.padEnd(12)} ${p.model.padEnd(7)} ${p.url}  user ${c.username}  password ${c.password}${key}${legacy}`;
}

function parse(argv: string[], io: CliIo): SimulateOptions | 'help' {
  const command = buildCommand(io);
  try {
    command.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError && error.code === 'commander.helpDisplayed') return 'help';
    if (error instanceof CommanderError) throw new UsageError(commanderMessage(error), { hint: 'see link-sync simulate --help' });
    throw error;
  }
  if (command.args.length > 0)
    throw new UsageError(`unexpected argument ${JSON.stringify(command.args[0])}`, { hint: 'see link-sync simulate --help' });
  const opts = command.opts<SimulateOptions>();
  refuseEmpty(opts.writeConfig, '--write-config', 'give a file name, e.g. --write-config sim-printers.yml');
  refuseEmpty(opts.storageDir, '--storage-dir', 'give a folder, or leave --storage-dir out to keep the files in memory');
  if (opts.model !== undefined && opts.models !== undefined)
    throw new UsageError('--model and --models cannot be used together', { hint: 'use --models MK4 for one model' });
  return opts;
}

export async function runSimulate(argv: string[], io: CliIo): Promise<number> {
  let opts: SimulateOptions | 'help';
  let models: SimModel[];
  try {
    opts = parse(argv, io);
    if (opts === 'help') return ExitCode.OK;
    try {
      models = parseModelList(opts.models ?? opts.model ?? 'MK4');
    } catch (err) {
      throw new UsageError((err as Error).message, { hint: 'see link-sync simulate --help' });
    }
  } catch (err) {
    if (err instanceof LinkSyncError) {
      io.stderr.write(`link-sync simulate: ${err.toLine()}\n`);
      return ExitCode.USAGE;
    }
    throw err;
  }
  if (opts.writeConfig !== undefined) {
    try {
      checkWritable(resolve(io.cwd, opts.writeConfig));
    } catch (err) {
      if (!(err instanceof LinkSyncError)) throw err;
      io.stderr.write(`link-sync simulate: ${err.toLine()}\n`);
      return ExitCode.USAGE;
    }
  }
  let farm: Awaited<ReturnType<typeof startFarm>>;
  try {
    const list = printerOptions(opts, models, io);
    farm = await startFarm(list);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const line =
      err instanceof LinkSyncError
        ? err.toLine()
        : e.code === 'EADDRINUSE'
          ? `a port is already in use (${e.message}) (choose another --port)`
          : e.message;
    io.stderr.write(`link-sync simulate: ${line}\n`);
    return err instanceof LinkSyncError || e.code === 'EADDRINUSE' || e.code === 'EACCES' ? ExitCode.USAGE : ExitCode.INTERNAL;
  }
  try {
    io.stdout.write(`Simulated printers on 127.0.0.1 (${farm.printers.length}):\n`);
    for (const p of farm.printers) io.stdout.write(describe(p) + '\n');
    if (opts.writeConfig !== undefined) {
      const path = resolve(io.cwd, opts.writeConfig);
      const folder = dirname(path);
      try {
        mkdirSync(folder, { recursive: true });
        writeFileSync(path, farmConfigYaml(farm.printers), { mode: 0o600 });
      } catch (err) {
        // mkdir says EEXIST when the folder's place is taken by a file.
        const cause = (err as NodeJS.ErrnoException).code === 'EEXIST' ? `${folder} is a file, not a folder` : folderCause(err);
        io.stderr.write(`link-sync simulate: cannot write ${path} (${cause}): ${writeFix(folder, err, 'give another --write-config')}\n`);
        return ExitCode.USAGE;
      }
      io.stdout.write(`Config written to ${path}\n`);
    }
    io.stdout.write('Test controls: GET <url>/_sim/requests, /_sim/files; POST /_sim/state, /_sim/faults. Press Ctrl-C to stop.\n');
    await new Promise<void>((done) => {
      if (io.signal.aborted) return done();
      io.signal.addEventListener('abort', () => done(), { once: true });
    });
    io.stdout.write('Stopping the simulated printers.\n');
    return ExitCode.OK;
  } finally {
    await farm.close();
  }
}
