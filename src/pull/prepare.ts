// Everything a pull needs before any printer is asked: config, printers, each printer's local folder
// (the master, or its own `source`), scanned once each; --prefer checked; with --go, each folder
// proven writable. Every user-input problem surfaces here, as for sync.

import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { expandHome, parseDestination, resolveSourcePaths, type Destination } from '../config/destination.js';
import { selectPrinters } from '../config/select.js';
import { configFrom } from '../config/load.js';
import type { FarmConfig, PrinterConfig } from '../config/types.js';
import { SourceError, UsageError } from '../errors.js';
import { folderCause, writeFix } from '../local/folder-words.js';
import { scanSource } from '../source/scan.js';
import type { SourceTree } from '../types.js';

export interface PullScopeOptions {
  config: string | FarmConfig;
  configDisplayName?: string;
  printers?: string[];
  exclude?: string[];
  /** MASTER: where pulled files go. */
  source: string;
  destination?: string | Destination;
  relativeTo?: string;
  go?: boolean;
  /** A printer name (any case) whose copy wins a conflict. */
  prefer?: string;
  env?: Record<string, string | undefined>;
}

export interface PrinterScope {
  printer: PrinterConfig;
  destination: Destination;
  prefix: string;
  /** The whole local folder this printer mirrors. */
  local: SourceTree;
}

export interface PullInputs {
  master: string;
  scopes: PrinterScope[];
  /** --prefer as configured (exact name). */
  prefer?: string;
  warnings: string[];
}

export async function preparePull(options: PullScopeOptions): Promise<PullInputs> {
  const env = options.env ?? process.env;
  const config = await configFrom(options.config, env, { displayName: options.configDisplayName, selection: options });
  const { printers, warnings } = selectPrinters(config.printers, options.printers ?? [], options.exclude ?? [], config.unresolved);
  const prefer =
    options.prefer === undefined ? undefined : preferred(options.prefer, printers, [...config.printers, ...(config.unresolved ?? [])]);
  const cliDestination =
    options.destination === undefined
      ? undefined
      : typeof options.destination === 'object'
        ? options.destination
        : parseDestination(options.destination);
  const paths = resolveSourcePaths(options.source, options.relativeTo, process.cwd());
  const master = await scanSource(paths.source);
  const masterPrefix = path.relative(paths.relativeTo, paths.source).split(path.sep).filter(Boolean).join('/');
  const home = env['HOME'] ?? env['USERPROFILE'];
  const scans = new Map<string, Promise<SourceTree>>([[master.root, Promise.resolve(master)]]);
  const scopes: PrinterScope[] = [];
  for (const printer of printers) {
    const own = printer.source === undefined ? undefined : path.resolve(master.root, expandHome(printer.source, home));
    const root = own ?? master.root;
    if (!scans.has(root)) scans.set(root, scanOwn(printer.name, root));
    scopes.push({
      printer,
      destination: cliDestination ?? printer.destination ?? { path: '' },
      prefix: own === undefined ? masterPrefix : '',
      local: await scans.get(root)!,
    });
  }
  if (options.go) for (const root of scans.keys()) await checkWritable(root);
  return { master: master.root, scopes, ...(prefer !== undefined ? { prefer } : {}), warnings: [...(config.warnings ?? []), ...warnings] };
}

/** --prefer must name a printer of this run; the error lists them. */
function preferred(name: string, selected: readonly PrinterConfig[], all: ReadonlyArray<{ name: string }>): string {
  const found = selected.find((p) => p.name.toLowerCase() === name.toLowerCase());
  if (found) return found.name;
  const names = selected.map((p) => p.name).join(', ');
  const configured = all.some((p) => p.name.toLowerCase() === name.toLowerCase());
  throw new UsageError(
    `--prefer ${JSON.stringify(name)} ${configured ? 'is not among the printers of this run' : 'names no printer in the config'} (the printers: ${names})`,
    {
      hint: 'name one of those printers, or select it with -p',
    },
  );
}

async function scanOwn(printer: string, root: string): Promise<SourceTree> {
  try {
    return await scanSource(root);
  } catch (error) {
    if (error instanceof SourceError)
      throw new SourceError(`printer "${printer}": ${error.message}`, {
        ...(error.hint ? { hint: `${error.hint}, or fix source: in the config` } : {}),
        cause: error,
      });
    throw error;
  }
}

/** Proves a folder takes new files by making one (root ignores permission bits, not a read-only mount). */
async function checkWritable(root: string): Promise<void> {
  const probe = path.join(root, `.link-sync-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const handle = await fsp.open(probe, 'wx', 0o600);
    await handle.close();
    await fsp.rm(probe, { force: true });
  } catch (error) {
    throw new SourceError(`cannot write into ${root} (${folderCause(error)}): pulled files go there`, {
      hint: `${writeFix(root, error, 'pull into another folder with -s')}; nothing was downloaded`,
      cause: error,
    });
  }
}
