// Chooses the printers a run touches from -p (include) and -x (exclude), as the original tool did,
// where a name is a printer's or a group's (the config's `groups`).

import { UsageError } from '../errors.js';
import type { PrinterConfig } from './types.js';
import { closest } from './suggest.js';

export interface Selection {
  /** In config order. */
  printers: PrinterConfig[];
  warnings: string[];
}

/**
 * `-p` keeps only the named printers and the members of named groups; otherwise `-x` drops them.
 * Names match case-insensitively. With both, `-x` is ignored with a warning, as in the original
 * link-sync. An unknown name is a UsageError listing every unknown name and the configured
 * printers and groups.
 */
export function selectPrinters(all: readonly PrinterConfig[], include: readonly string[], exclude: readonly string[]): Selection {
  const warnings: string[] = [];
  if (include.length > 0) {
    if (exclude.length > 0) warnings.push('-x/--exclude is ignored because -p/--printer is given');
    const wanted = resolveNames(all, include, '-p');
    return { printers: all.filter((p) => wanted.has(p)), warnings };
  }
  if (exclude.length === 0) return { printers: [...all], warnings };
  const unwanted = resolveNames(all, exclude, '-x');
  const printers = all.filter((p) => !unwanted.has(p));
  if (printers.length === 0) {
    throw new UsageError('-x/--exclude leaves no printer to sync', { hint: `configured printers: ${all.map((p) => p.name).join(', ')}` });
  }
  return { printers, warnings };
}

/** Every group name in config order, each once (first spelling kept). */
export function groupNames(all: readonly PrinterConfig[]): string[] {
  const seen = new Map<string, string>();
  for (const printer of all)
    for (const group of printer.groups ?? []) if (!seen.has(group.toLowerCase())) seen.set(group.toLowerCase(), group);
  return [...seen.values()];
}

/** The printers the names stand for, after checking each name is a printer or a group. */
function resolveNames(all: readonly PrinterConfig[], given: readonly string[], flag: string): Set<PrinterConfig> {
  const chosen = new Set<PrinterConfig>();
  const unknown: string[] = [];
  for (const name of given) {
    const key = name.toLowerCase();
    const printer = all.find((p) => p.name.toLowerCase() === key);
    const members = printer ? [printer] : all.filter((p) => (p.groups ?? []).some((g) => g.toLowerCase() === key));
    if (members.length === 0 && !unknown.includes(name)) unknown.push(name);
    for (const member of members) chosen.add(member);
  }
  if (unknown.length > 0) throw unknownNames(all, unknown, flag);
  return chosen;
}

function unknownNames(all: readonly PrinterConfig[], unknown: readonly string[], flag: string): UsageError {
  const printers = all.map((p) => p.name);
  const groups = groupNames(all);
  const guesses = [...new Set(unknown.map((n) => closest(n, [...printers, ...groups])).filter((g) => g !== undefined))];
  const list = unknown.map((n) => JSON.stringify(n)).join(', ');
  const what = groups.length > 0 ? 'printer or group' : 'printer';
  const plural = unknown.length === 1 ? what : what === 'printer' ? 'printers' : 'printers or groups';
  const guess = guesses.length > 0 ? `did you mean ${guesses.map((g) => JSON.stringify(g)).join(', ')}? ` : '';
  const groupList = groups.length > 0 ? `; groups: ${groups.join(', ')}` : '';
  return new UsageError(`${flag}: unknown ${plural} ${list}`, { hint: `${guess}configured printers: ${printers.join(', ')}${groupList}` });
}
