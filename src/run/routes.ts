// Builds each printer's part of a run from its config: the folder it mirrors (each distinct
// folder scanned once), its include/exclude patterns, its destination, and with model matching
// the model of each file (read once per file, a few at a time).

import path from 'node:path';
import type { PrinterConfig, PrinterDestination } from '../config/types.js';
import type { SourceSkip, SourceTree } from '../types.js';
import { SourceError } from '../errors.js';
import { expandHome } from '../config/destination.js';
import { routeSource } from '../plan/route.js';
import { compileGlob, pathFilter, type GlobMatcher } from '../source/glob.js';
import { readFileModels, type FileModel } from '../source/model-read.js';
import { scanSource } from '../source/scan.js';

/** One printer's share of the run. */
export interface PrinterRoute {
  /** The files this printer mirrors (its own source folder, filtered and model-routed). */
  source: SourceTree;
  destination: PrinterDestination;
  /** Joined under the destination: the -r prefix, or '' for a printer with its own source. */
  prefix: string;
  /** Files left out because they were sliced for another model. */
  skipped: SourceSkip[];
  /**
   * Set when the source has print files but none is for this printer: mirroring nothing would
   * delete every file on it, so the printer is not synced at all, and this says why.
   */
  nothingRouted?: string;
}

export interface RouteOptions {
  /** The scanned master folder (-s). */
  master: SourceTree;
  /** The -r prefix of the master folder. */
  masterPrefix: string;
  /** -d when given on the command line: it wins over every printer's `destination`. */
  cliDestination?: PrinterDestination;
  /** --match-model: every printer matches models, whatever its config says. */
  matchModel: boolean;
  /** For `~/` in a printer's `source`. */
  home?: string;
}

/** Routes are in the order of `printers`. Throws SourceError for a printer source that cannot be used. */
export async function routePrinters(
  printers: readonly PrinterConfig[],
  options: RouteOptions,
): Promise<{ routes: PrinterRoute[]; warnings: string[] }> {
  const folders = await scanFolders(printers, options);
  const views = printers.map((printer) => {
    const folder = folders.get(printer.name) ?? options.master;
    const filter = filterFor(printer);
    const matches = options.matchModel || printer.matchModel === true;
    const files = filter ? folder.files.filter((f) => filter(f.relPath)) : folder.files;
    return { printer, folder, filter, matches, files };
  });

  const toRead = views.filter((v) => v.matches).flatMap((v) => v.files);
  const models: ReadonlyMap<string, FileModel> = toRead.length > 0 ? await readFileModels(toRead) : new Map();
  const warnings: string[] = [];
  for (const [absPath, model] of models) {
    if (model.kind === 'unknown' && model.problem) {
      warnings.push(`cannot tell which printer model ${absPath} is for: ${model.why}; it goes to every printer`);
    }
  }

  const routes = views.map(({ printer, folder, filter, matches }): PrinterRoute => {
    const routed = routeSource({
      source: folder,
      ...(filter ? { filter } : {}),
      ...(matches ? { match: { printerType: printer.printerType, models } } : {}),
    });
    const nothingRouted =
      routed.source.files.length === 0 && folder.files.length > 0
        ? `none of the ${folder.files.length} print files in ${folder.root} is for this printer (its include/exclude, or its model with --match-model); not synced, so nothing on it is deleted`
        : undefined;
    return {
      source: routed.source,
      destination: options.cliDestination ?? printer.destination ?? { path: '' },
      prefix: printer.source === undefined ? options.masterPrefix : '',
      skipped: routed.skipped,
      ...(nothingRouted ? { nothingRouted } : {}),
    };
  });
  return { routes, warnings };
}

/** Scans each distinct per-printer folder once; printer name → its tree (absent: the master). */
async function scanFolders(printers: readonly PrinterConfig[], options: RouteOptions): Promise<Map<string, SourceTree>> {
  const byFolder = new Map<string, Promise<SourceTree>>();
  const byPrinter = new Map<string, SourceTree>();
  for (const printer of printers) {
    if (printer.source === undefined) continue;
    const folder = path.resolve(options.master.root, expandHome(printer.source, options.home));
    if (folder === options.master.root) continue;
    let scan = byFolder.get(folder);
    if (!scan) {
      scan = scanSource(folder);
      byFolder.set(folder, scan);
    }
    byPrinter.set(printer.name, await usableFolder(printer.name, scan));
  }
  return byPrinter;
}

/**
 * A printer's own folder must be whole and hold print files, as the master must: an unmounted or
 * half-read folder would delete from the printer what it failed to show.
 */
async function usableFolder(printer: string, scan: Promise<SourceTree>): Promise<SourceTree> {
  let tree: SourceTree;
  try {
    tree = await scan;
  } catch (error) {
    if (error instanceof SourceError) {
      throw new SourceError(`printer "${printer}": ${error.message}`, {
        ...(error.hint ? { hint: `${error.hint}, or fix source: in the config` } : {}),
        cause: error,
      });
    }
    throw error;
  }
  const unreadable = tree.ignored.find((entry) => entry.reason === 'unreadable');
  if (unreadable) {
    throw new SourceError(
      `printer "${printer}": cannot read ${unreadable.relPath} in its source folder ${tree.root}: ${unreadable.detail ?? 'unreadable'}`,
      {
        hint: 'fix or remove it, then run again; nothing was sent to any printer',
      },
    );
  }
  if (tree.files.length === 0) {
    throw new SourceError(`printer "${printer}": its source folder ${tree.root} holds no print files (.gcode, .bgcode)`, {
      hint: 'check source: in the config; an empty folder would delete every file on the printer',
    });
  }
  return tree;
}

function filterFor(printer: PrinterConfig): GlobMatcher | undefined {
  const include = compileAll(printer.include);
  const exclude = compileAll(printer.exclude);
  return include.length === 0 && exclude.length === 0 ? undefined : pathFilter(include, exclude);
}

/** Patterns were checked when the config loaded; one that still fails to compile is left out. */
function compileAll(patterns: readonly string[] | undefined): GlobMatcher[] {
  const matchers: GlobMatcher[] = [];
  for (const pattern of patterns ?? []) {
    const compiled = compileGlob(pattern);
    if (compiled.ok) matchers.push(compiled.match);
  }
  return matchers;
}
