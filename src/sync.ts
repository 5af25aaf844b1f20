// The one-call flow: config → scan → per printer, all at once: state, walk, plan, (execute) → summary.

import path from 'node:path';
import type { FarmConfig, PrinterConfig } from './config/types.js';
import { loadConfig } from './config/load.js';
import { selectPrinters } from './cli/select.js';
import { scanSource } from './source/scan.js';
import type { SourceTree } from './types.js';
import type { EventSink, RunSummary } from './report/events.js';
import { syncPrinter, type PrinterJob } from './sync-printer.js';
import { createPrinterApi } from './printer/create.js';
import type { PrinterApi } from './printer/api.js';
import { parseDestination, resolveSourcePaths, type Destination } from './cli/options.js';

export interface SyncOptions {
  /** A config file path, or an already loaded config. */
  config: string | FarmConfig;
  /** How to name the config file in messages (default: its path). */
  configDisplayName?: string;
  /** Names to include (case-insensitive); empty means all. */
  printers?: string[];
  /** Names to exclude; ignored (with a warning) when `printers` is given. */
  exclude?: string[];
  /** The master folder. */
  source: string;
  /** Folder within the printer's storage: "/usb/farm", "usb/farm", "farm"; default the storage root. */
  destination?: string | Destination;
  /** Source paths are taken relative to this ancestor of `source` (default `source` itself). */
  relativeTo?: string;
  /** Apply the plan; without it the run only reads from printers. */
  go?: boolean;
  /** Sync printers that are busy too (never the file being printed). */
  ignoreState?: boolean;
  /** Delete printer files that are not in the source (default true). */
  delete?: boolean;
  /** Seconds of tolerance for the time rule (default 60). */
  modifyWindowSec?: number;
  /** Accept self-signed certificates on https:// printers. */
  allowSelfSigned?: boolean;
  /** Where environment variables named by the config are read (default process.env). */
  env?: Record<string, string | undefined>;
  onEvent?: EventSink;
  signal?: AbortSignal;
  /** Builds the PrinterApi for a printer (default: PrusaLink over HTTP). */
  connect?: (printer: PrinterConfig) => PrinterApi;
}

/** Everything about the run that does not depend on the printer. */
export interface RunInputs {
  printers: PrinterConfig[];
  source: SourceTree;
  destination: Destination;
  /** Path of the source folder below `relativeTo`, joined under the destination. */
  prefix: string;
  warnings: string[];
}

/** Reads config and source and checks the flags: every user-input error surfaces here, before any printer is contacted. */
export async function prepareRun(options: SyncOptions): Promise<RunInputs> {
  const env = options.env ?? process.env;
  const config =
    typeof options.config === 'string'
      ? await loadConfig(options.config, env, options.configDisplayName ? { displayName: options.configDisplayName } : {})
      : options.config;
  const { printers, warnings } = selectPrinters(config.printers, options.printers ?? [], options.exclude ?? []);
  const destination =
    typeof options.destination === 'object' ? options.destination : parseDestination(options.destination);
  const paths = resolveSourcePaths(options.source, options.relativeTo, process.cwd());
  const sourceRoot = paths.source;
  const prefixNative = path.relative(paths.relativeTo, sourceRoot);
  const source = await scanSource(sourceRoot);
  return {
    printers,
    source,
    destination,
    prefix: prefixNative.split(path.sep).filter(Boolean).join('/'),
    warnings: [...(config.warnings ?? []), ...warnings],
  };
}

/** Runs a whole sync and resolves its summary; never throws for a printer's failure, only for bad input. */
export async function sync(options: SyncOptions): Promise<RunSummary> {
  const started = Date.now();
  const emit: EventSink = options.onEvent ?? (() => {});
  const inputs = await prepareRun(options);
  for (const message of inputs.warnings) emit({ type: 'warning', message });
  const dryRun = !options.go;
  emit({
    type: 'run-start',
    dryRun,
    printers: inputs.printers.map((p) => p.name),
    source: inputs.source.root,
    files: inputs.source.files.length,
    bytes: inputs.source.files.reduce((sum, f) => sum + f.size, 0),
  });
  const connect = options.connect ?? ((printer: PrinterConfig) =>
    createPrinterApi(printer, { allowSelfSigned: options.allowSelfSigned ?? false }));
  const results = await Promise.all(
    inputs.printers.map(async (printer) => {
      const job: PrinterJob = {
        printer: printer.name,
        api: connect(printer),
        source: inputs.source,
        destination: inputs.destination,
        prefix: inputs.prefix,
        go: !dryRun,
        ignoreState: options.ignoreState ?? false,
        policy: { modifyWindowSec: options.modifyWindowSec ?? 60, deleteExtraneous: options.delete ?? true },
        emit,
        ...(options.signal ? { signal: options.signal } : {}),
      };
      try {
        const result = await syncPrinter(job);
        emit({ type: 'printer-done', result });
        return result;
      } finally {
        job.api.close();
      }
    }),
  );
  const summary: RunSummary = {
    dryRun,
    printers: results,
    durationMs: Date.now() - started,
    interrupted: options.signal?.aborted ?? false,
  };
  emit({ type: 'run-done', summary });
  return summary;
}
