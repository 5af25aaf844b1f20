// Validates printer entries: defaults merged in → schema (shape and types) → normalise (model,
// host, routing keys) → rules, every problem collected with its printer, key and line.

import { findModel, acceptedModelNames, modelKeys, modelKey } from './models.js';
import { normaliseHost } from './host.js';
import { entryCheckers, type ShapeIssue } from './entry-check.js';
import { closest } from './suggest.js';
import { credentialsRule, groupNamesRule, uniqueHostsRule, uniqueNamesRule, type CredentialFields } from './rules.js';
import { dedupeProblems, type ConfigProblem } from './problems.js';
import type { PrinterConfig } from './types.js';
import { isDefaultsEntry, readDefaults, withDefaults } from './defaults.js';
import { isStateDirEntry } from './state-dir.js';
import { routingFields } from './routing.js';
import { describeValue, isPlainObject, type RawEntry } from './values.js';

export { describeValue, isPlainObject, type RawEntry } from './values.js';

export interface ValidationResult {
  printers: PrinterConfig[];
  problems: ConfigProblem[];
  /** Entries valid but for a *_env variable unset or empty here, with those problems, in file order. */
  unresolved: LackingEntry[];
  /** Entries with other problems that also lack a *_env variable: those problems too are reported
   * with the file's other problems when the run selects the printer, so that one error lists the whole fix. */
  lackingInvalid: LackingEntry[];
  /** A password or API key is written in the file itself rather than read from the environment. */
  clearSecrets: boolean;
}

/** A printer entry and its missing-variable problems, with the names -p/-x select it by. */
export interface LackingEntry {
  name: string;
  groups?: string[];
  problems: ConfigProblem[];
}

type Env = Record<string, string | undefined>;

const SECRET_KEYS = new Set(['password', 'api_key']);
const LIST_KEYS = new Set(['include', 'exclude', 'groups']);

// Keys people reach for by habit, mapped to the one link-sync reads.
const SYNONYMS: Record<string, string> = {
  type: 'printer_type',
  model: 'printer_type',
  printer: 'printer_type',
  printertype: 'printer_type',
  url: 'host',
  address: 'host',
  ip: 'host',
  hostname: 'host',
  base_url: 'host',
  user: 'username',
  login: 'username',
  pass: 'password',
  passwd: 'password',
  pw: 'password',
  apikey: 'api_key',
  key: 'api_key',
  token: 'api_key',
  'api-key': 'api_key',
  x_api_key: 'api_key',
  dest: 'destination',
  folder: 'destination',
  path: 'destination',
  target: 'destination',
  src: 'source',
  group: 'groups',
  includes: 'include',
  excludes: 'exclude',
  ignore: 'exclude',
  matchmodel: 'match_model',
  'match-model': 'match_model',
  match_models: 'match_model',
};

/**
 * Validates every entry and the names across entries; returns printers only for clean entries, and
 * apart those clean but for a secret variable missing from the environment.
 * The entry named `defaults` is not a printer: its settings are merged under each printer.
 */
export function validateEntries(entries: readonly RawEntry[], env: Env): ValidationResult {
  const printers: PrinterConfig[] = [];
  const unresolved: LackingEntry[] = [];
  const lackingInvalid: LackingEntry[] = [];
  /** Every valid entry, resolved or not, in file order: for the rules across printers. */
  const valid: Array<Omit<PrinterConfig, 'auth'>> = [];
  const defaults = readDefaults(entries);
  const problems: ConfigProblem[] = [...defaults.problems];
  let clearSecrets = false;
  const printerEntries = entries.filter((e) => !isDefaultsEntry(e) && !isStateDirEntry(e));
  for (const entry of printerEntries) {
    const found = validateEntry(entry, env, defaults.values, defaults.entry);
    problems.push(...found.problems);
    const lacking = { name: entry.name, ...(found.groups ? { groups: found.groups } : {}), problems: found.missing };
    if (found.printer) {
      valid.push(found.printer);
      if (found.printer.auth) printers.push({ ...found.printer, auth: found.printer.auth });
      else unresolved.push(lacking);
    } else if (found.missing.length > 0) lackingInvalid.push(lacking);
    clearSecrets ||= found.clearSecret;
  }
  problems.push(...uniqueNamesRule(entries.map((e) => withLine(e, { name: e.name }, []))));
  const entryOf = new Map(printerEntries.map((e) => [e.name, e] as const));
  const lineOf = (name: string, key: string): number | undefined => entryOf.get(name)?.lineOf?.([key]);
  problems.push(...uniqueHostsRule(valid.map((p) => ({ name: p.name, baseUrl: p.baseUrl, line: lineOf(p.name, 'host') }))));
  problems.push(
    ...groupNamesRule(valid.map((p) => ({ name: p.name, ...(p.groups ? { groups: p.groups } : {}), line: lineOf(p.name, 'groups') }))),
  );
  return { printers, unresolved, lackingInvalid, problems: dedupeProblems(problems), clearSecrets };
}

function validateEntry(
  entry: RawEntry,
  env: Env,
  defaults: Record<string, unknown>,
  defaultsEntry: RawEntry | undefined,
): {
  /** Without auth when a secret variable is missing (the only problems then are in `missing`). */
  printer?: Omit<PrinterConfig, 'auth'> & { auth?: PrinterConfig['auth'] };
  problems: ConfigProblem[];
  /** The *_env variables unset or empty here, whether or not the entry has other problems. */
  missing: ConfigProblem[];
  /** The entry's groups when they are valid, for -p/-x. */
  groups?: string[];
  clearSecret: boolean;
} {
  const problems: ConfigProblem[] = [];
  const own = isPlainObject(entry.value) ? entry.value : {};
  // A key the printer does not set itself came from defaults: the problem is reported there.
  const at = (keys: string[], message: string, hint?: string): void => {
    const fix = hint === undefined ? {} : { hint };
    const key = keys[0];
    if (key !== undefined && !(key in own) && key in defaults && defaultsEntry) {
      problems.push(withLine(defaultsEntry, { message: `defaults: ${message}`, ...fix }, keys));
    } else {
      problems.push(withLine(entry, { printer: entry.name, message, ...fix }, keys));
    }
  };
  if (entry.name.trim() === '') at([], 'printer name is empty', 'give the printer a name, e.g. mk4-1:');

  if (!isPlainObject(entry.value)) {
    at(
      [],
      `settings must be a mapping of printer_type, host, ... (got ${describeValue(entry.value)})`,
      'indent printer_type, host, username and password under the printer name',
    );
    return { problems, missing: [], clearSecret: false };
  }
  const value = withDefaults(entry.value, defaults);

  const meant = new Set<string>();
  for (const issue of entryCheckers().printer.check(value)) shapeProblem(issue, value, at, meant);

  const text = (key: string): string | undefined => (typeof value[key] === 'string' ? (value[key] as string) : undefined);
  const typeText = text('printer_type');
  const model = typeText === undefined || typeText.trim() === '' ? undefined : findModel(typeText);
  if (typeText !== undefined && typeText.trim() !== '' && model === undefined) {
    const near = closest(modelKey(typeText), modelKeys());
    const nearName = near === undefined ? undefined : findModel(near)?.canonical;
    at(
      ['printer_type'],
      `printer_type "${typeText}" is not a known model`,
      `${nearName === undefined ? '' : `did you mean "${nearName}"? `}accepted: ${acceptedModelNames().join(', ')}`,
    );
  }

  const hostText = text('host');
  const host = hostText === undefined || hostText === '' ? undefined : normaliseHost(hostText);
  if (host && !host.ok) at(['host'], host.message, host.hint);

  // The credential rule runs only when every credential key passed the schema: a bad one is
  // already reported, a misspelt key was probably meant as one ("no credentials" would be noise),
  // and an invalid *_env value may be the secret itself, which the rule would quote as a name.
  const credentialKeys = ['username', 'password', 'password_env', 'api_key', 'api_key_env'] as const;
  const fields: CredentialFields = {};
  for (const key of credentialKeys) {
    const v = text(key);
    if (v !== undefined) fields[key] = v;
  }
  const clearSecret = fields.password !== undefined || fields.api_key !== undefined;
  let auth: PrinterConfig['auth'] | undefined;
  let missing: ConfigProblem[] = [];
  if (!credentialKeys.some((k) => meant.has(k))) {
    const outcome = credentialsRule(fields, env);
    for (const p of outcome.problems) at(p.key === undefined ? [] : [p.key], p.message, p.hint);
    // Placed (printer or defaults line) like any problem, then kept apart: they stop only a run that selects this printer.
    const placed = problems.length;
    for (const p of outcome.missing) at(p.key === undefined ? [] : [p.key], p.message, p.hint);
    missing = problems.splice(placed);
    auth = outcome.auth;
  }

  const routing = routingFields(value);
  for (const p of routing.problems) at([p.key], p.message, p.hint);
  const groups = routing.fields.groups;

  if (problems.length > 0 || !model || !host?.ok || (!auth && missing.length === 0)) {
    return { problems, missing, ...(groups ? { groups } : {}), clearSecret };
  }
  const printer = { name: entry.name, printerType: model.canonical, baseUrl: host.baseUrl, ...(auth ? { auth } : {}), ...routing.fields };
  return { printer, problems, missing, ...(groups ? { groups } : {}), clearSecret };
}

/** Turns one shape issue into a problem naming the key; values are never quoted (they may be secrets). */
function shapeProblem(
  issue: ShapeIssue,
  value: Record<string, unknown>,
  at: (keys: string[], message: string, hint?: string) => void,
  /** Keys found broken or meant (the suggestion for an unknown key). */
  meant: Set<string>,
): void {
  const key = issue.path.length > 0 ? String(issue.path[0]) : undefined;
  if (key !== undefined) meant.add(key);
  if (issue.code === 'unrecognized_keys') {
    const known = entryCheckers().printer.keys;
    for (const unknown of issue.keys) {
      const guess = SYNONYMS[unknown.toLowerCase()] ?? closest(unknown, known);
      if (guess !== undefined) meant.add(guess);
      at([unknown], `unknown key "${unknown}"`, guess ? `did you mean "${guess}"?` : `known keys: ${known.join(', ')}`);
    }
    return;
  }
  if (key === undefined) {
    at([], 'settings are not valid', `see schema/printers.schema.json`);
    return;
  }
  const actual = value[key];
  if (issue.code === 'invalid_type' && actual === undefined) {
    at([], `missing ${key}`, MISSING_HINTS[key] ?? `add ${key}:`);
  } else if (issue.code === 'invalid_type' && LIST_KEYS.has(key)) {
    const inList = issue.path.length > 1;
    at(
      [key],
      inList ? `${key} must be a list of text` : `${key} must be a list (got ${describeValue(actual)})`,
      `write it as ${key}: ["...", "..."] or one "- ..." line per item`,
    );
  } else if (issue.code === 'invalid_type' && key === 'match_model') {
    at([key], `match_model must be true or false (got ${describeValue(actual)})`, 'write match_model: true');
  } else if (issue.code === 'invalid_type') {
    at(
      [key],
      `${key} must be text (got ${describeValue(actual)})`,
      SECRET_KEYS.has(key) ? `put the value in quotes: ${key}: "..."` : `write it as text, in quotes if needed`,
    );
  } else if (issue.code === 'too_small') {
    at([key], LIST_KEYS.has(key) ? `${key} has an empty item` : `${key} is empty`, `give ${key} a value or remove the line`);
  } else if (issue.code === 'invalid_format' && key.endsWith('_env')) {
    at([key], `${key} is not an environment variable name`, 'use letters, digits and _, not starting with a digit, e.g. FARM_PASSWORD');
  } else {
    at([key], `${key} is not valid`, 'see schema/printers.schema.json');
  }
}

const MISSING_HINTS: Record<string, string> = {
  printer_type: `add printer_type: one of ${acceptedModelNames().join(', ')}`,
  host: 'add host: http://192.168.0.10, the address shown in the printer network menu',
  username: 'add username: maker, the PrusaLink default user',
  password: 'put the password in quotes, or use password_env: VARIABLE',
  api_key: 'put the API key in quotes, or use api_key_env: VARIABLE',
};

function withLine<T extends object>(entry: RawEntry, problem: T, keys: readonly string[]): T & { line?: number } {
  const line = entry.lineOf?.(keys);
  return line === undefined ? problem : { ...problem, line };
}
