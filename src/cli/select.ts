// Chooses the printers a run touches from -p (include) and -x (exclude), as the original tool did.

import { UsageError } from '../errors.js';
import type { PrinterConfig } from '../config/types.js';
import { closest } from '../config/suggest.js';

export interface Selection {
  /** In config order. */
  printers: PrinterConfig[];
  warnings: string[];
}

/**
 * `-p` keeps only the named printers; otherwise `-x` drops the named ones. Names match
 * case-insensitively. With both, `-x` is ignored with a warning, as in the original link-sync.
 * An unknown name is a UsageError listing every unknown name and the configured ones.
 */
export function selectPrinters(all: readonly PrinterConfig[], include: readonly string[], exclude: readonly string[]): Selection {
  const warnings: string[] = [];
  const names = all.map((p) => p.name);
  if (include.length > 0) {
    if (exclude.length > 0) warnings.push('-x/--exclude is ignored because -p/--printer is given');
    const wanted = checkNames(include, names, '-p');
    return { printers: all.filter((p) => wanted.has(p.name.toLowerCase())), warnings };
  }
  if (exclude.length === 0) return { printers: [...all], warnings };
  const unwanted = checkNames(exclude, names, '-x');
  const printers = all.filter((p) => !unwanted.has(p.name.toLowerCase()));
  if (printers.length === 0) {
    throw new UsageError('-x/--exclude leaves no printer to sync', { hint: `configured printers: ${names.join(', ')}` });
  }
  return { printers, warnings };
}

/** Lower-cased names, after checking each is configured. */
function checkNames(given: readonly string[], configured: readonly string[], flag: string): Set<string> {
  const known = new Set(configured.map((n) => n.toLowerCase()));
  const unknown = [...new Set(given.filter((n) => !known.has(n.toLowerCase())))];
  if (unknown.length > 0) {
    const guesses = [...new Set(unknown.map((n) => closest(n, configured)).filter((g) => g !== undefined))];
    const list = unknown.map((n) => JSON.stringify(n)).join(', ');
    const plural = unknown.length === 1 ? 'printer' : 'printers';
    const guess = guesses.length > 0 ? `did you mean ${guesses.map((g) => JSON.stringify(g)).join(', ')}? ` : '';
    throw new UsageError(`${flag}: unknown ${plural} ${list}`, { hint: `${guess}configured printers: ${configured.join(', ')}` });
  }
  return new Set(given.map((n) => n.toLowerCase()));
}
