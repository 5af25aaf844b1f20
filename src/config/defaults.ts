// The reserved `defaults` entry: settings every printer takes unless it sets them itself.

import { entryCheckers } from './entry-check.js';
import type { ConfigProblem } from './problems.js';
import { describeValue, isPlainObject, type RawEntry } from './values.js';

/** The reserved top-level name whose settings apply to every printer. */
export const DEFAULTS_NAME = 'defaults';

export interface Defaults {
  /** Keys that passed the schema; a broken default is reported once and not merged. */
  values: Record<string, unknown>;
  entry?: RawEntry;
  problems: ConfigProblem[];
}

export function isDefaultsEntry(entry: RawEntry): boolean {
  return entry.name.trim().toLowerCase() === DEFAULTS_NAME;
}

/** Validates the `defaults` entry (the last one, if written twice: the names rule reports that). */
export function readDefaults(entries: readonly RawEntry[]): Defaults {
  const entry = entries.filter(isDefaultsEntry).at(-1);
  if (entry === undefined) return { values: {}, problems: [] };
  const problems: ConfigProblem[] = [];
  const at = (keys: string[], message: string, hint: string): void => {
    const line = entry.lineOf?.(keys);
    problems.push({ ...(line === undefined ? {} : { line }), message: `${DEFAULTS_NAME}: ${message}`, hint });
  };
  // `defaults:` with nothing below reads as null: no defaults, not an error.
  if (entry.value === null || entry.value === undefined) return { values: {}, entry, problems };
  if (!isPlainObject(entry.value)) {
    at(
      [],
      `must be a mapping of settings (got ${describeValue(entry.value)})`,
      'indent the shared settings under defaults:, e.g. username: maker',
    );
    return { values: {}, entry, problems };
  }
  const values: Record<string, unknown> = { ...entry.value };
  if ('host' in values) {
    at(['host'], 'host cannot be a default', 'each printer has its own address: move host under each printer');
    delete values['host'];
  }
  const checker = entryCheckers().defaults;
  for (const issue of checker.check(values)) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        at([key], `unknown key "${key}"`, `defaults take printer keys: ${checker.keys.join(', ')}`);
        delete values[key];
      }
    } else {
      const key = String(issue.path[0] ?? '');
      at([key], `${key} is not valid (${describeValue(values[key])})`, 'see schema/printers.schema.json');
      delete values[key];
    }
  }
  return { values, entry, problems };
}

const PASSWORD_KEYS = ['password', 'password_env'];
const API_KEY_KEYS = ['api_key', 'api_key_env'];

/**
 * A printer's own settings over the defaults. A printer's own credential replaces the default one
 * of either kind (its api_key drops a default username and password; its password drops a default
 * api_key), so defaults never make a printer's credentials contradictory; a default username
 * still serves a printer that gives only its password.
 */
export function withDefaults(own: Record<string, unknown>, defaults: Record<string, unknown>): Record<string, unknown> {
  const has = (keys: string[]): boolean => keys.some((k) => k in own);
  const dropped = new Set<string>();
  if (has(API_KEY_KEYS)) for (const k of ['username', ...PASSWORD_KEYS, ...API_KEY_KEYS]) dropped.add(k);
  if (has(PASSWORD_KEYS)) for (const k of [...PASSWORD_KEYS, ...API_KEY_KEYS]) dropped.add(k);
  if ('username' in own) for (const k of API_KEY_KEYS) dropped.add(k);
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(defaults)) if (!dropped.has(key)) merged[key] = value;
  return { ...merged, ...own };
}
