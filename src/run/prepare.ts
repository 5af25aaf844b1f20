// Before any printer is contacted: config, printer selection, source scan and each printer's route.

import path from 'node:path';
import { configFrom } from '../config/load.js';
import { selectPrinters } from '../config/select.js';
import type { PrinterConfig } from '../config/types.js';
import { scanSource } from '../source/scan.js';
import { DEFAULT_PRINT_EXTENSIONS, hasPrintExtension, normalizeExtensions } from '../source/filter.js';
import type { SourceTree } from '../types.js';
import { SourceError } from '../errors.js';
import { parseDestination, resolveSourcePaths, type Destination } from '../config/destination.js';
import { routePrinters, type PrinterRoute } from './routes.js';
import type { SyncOptions } from './options.js';

/** Everything about the run that does not depend on the printer. */
export interface RunInputs {
  printers: PrinterConfig[];
  source: SourceTree;
  destination: Destination;
  /** Path of the source folder below `relativeTo`, joined under the destination. */
  prefix: string;
  /** Per printer (same order as `printers`): its files, destination and prefix, after its
   * config's source, include/exclude and model matching, and -d. */
  routes: PrinterRoute[];
  warnings: string[];
  /** `state_dir` from the config file, if it sets one. */
  configStateDir?: string;
}

/** Reads config and source and checks the flags: every user-input error surfaces here, before any printer is contacted. */
export async function prepareRun(options: SyncOptions): Promise<RunInputs> {
  const env = options.env ?? process.env;
  const config = await configFrom(options.config, env, { displayName: options.configDisplayName, selection: options });
  const { printers, warnings } = selectPrinters(config.printers, options.printers ?? [], options.exclude ?? [], config.unresolved);
  const destination = typeof options.destination === 'object' ? options.destination : parseDestination(options.destination);
  const paths = resolveSourcePaths(options.source, options.relativeTo, process.cwd());
  const sourceRoot = paths.source;
  const prefixNative = path.relative(paths.relativeTo, sourceRoot);
  const source = await scanSource(sourceRoot);
  checkSourceComplete(source);
  const prefix = prefixNative.split(path.sep).filter(Boolean).join('/');
  const home = env['HOME'] ?? env['USERPROFILE'];
  const routed = await routePrinters(printers, {
    master: source,
    masterPrefix: prefix,
    ...(options.destination === undefined ? {} : { cliDestination: destination }),
    matchModel: options.matchModel ?? false,
    ...(home ? { home } : {}),
  });
  return {
    printers,
    source,
    destination,
    prefix,
    routes: routed.routes,
    warnings: [...(config.warnings ?? []), ...warnings, ...routed.warnings],
    ...(config.stateDir !== undefined ? { configStateDir: config.stateDir } : {}),
  };
}

/**
 * A source that could not be read whole, or that holds nothing, is refused before any printer is
 * contacted: syncing it would delete from the printers the files it failed to show.
 */
function checkSourceComplete(source: SourceTree): void {
  // A print-named FIFO, socket or device (or a link to one) cannot be sent; skipping it would delete
  // the printers' copy of that name.
  const special = source.ignored.find(
    (entry) => entry.reason === 'not-a-regular-file' && hasPrintExtension(entry.relPath, DEFAULT_EXTENSIONS),
  );
  if (special) {
    throw new SourceError(
      `cannot sync ${special.relPath} in source folder ${source.root}: ${special.detail ?? 'it is a special file'}, not a regular file`,
      {
        hint: "replace it with the print file or remove it, then run again; nothing was sent to any printer, since skipping it would delete the printers' copy",
      },
    );
  }
  const unreadable = source.ignored.filter((entry) => entry.reason === 'unreadable');
  const first = unreadable[0];
  if (first) {
    const more = unreadable.length > 1 ? ` (and ${unreadable.length - 1} more)` : '';
    throw new SourceError(`cannot read ${first.relPath} in source folder ${source.root}: ${first.detail ?? 'unreadable'}${more}`, {
      hint: 'fix or remove it, then run again; nothing was sent to any printer, since files missing from the scan would be deleted from them',
    });
  }
  if (source.files.length === 0) {
    throw new SourceError(`source folder ${source.root} holds no print files (.gcode, .bgcode)`, {
      hint: 'check -s: an unmounted share or a wrong folder looks empty, and syncing it would delete every file on the printers',
    });
  }
}

const DEFAULT_EXTENSIONS = normalizeExtensions(DEFAULT_PRINT_EXTENSIONS);
