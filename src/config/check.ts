// Validates config text already split into entries (by the YAML or the JSON reader): every problem
// with its line in one ConfigError, or the normalised FarmConfig. Also the JSON reader, which needs no
// YAML parser. Pure.

import { platform } from 'node:os';
import { extname, resolve } from 'node:path';
import { findJsonSyntaxError } from './json-syntax.js';
import { readJsonEntries } from './json-entries.js';
import { configErrorFor, dedupeProblems, type ConfigProblem } from './problems.js';
import { selectedMissing } from './select.js';
import type { FarmConfig } from './types.js';
import { validateEntries } from './validate.js';
import { readStateDir } from './state-dir.js';
import { describeValue, isPlainObject, type RawEntry } from './values.js';

export interface ConfigSourceOptions {
  /** How to name the file in messages; defaults to the path as given (e.g. "printers.yml"). */
  displayName?: string;
  /** The file's permission bits, to warn about secrets other users can read. */
  mode?: number;
  /** The run's -p and -x (every printer when absent): a file that fails on other problems also
   * lists the missing *_env variables of these printers, so one error names the whole fix. */
  selection?: { printers?: readonly string[]; exclude?: readonly string[] };
}

export type Env = Record<string, string | undefined>;

export interface ReadEntries {
  entries?: RawEntry[];
  problems: ConfigProblem[];
}

/** `path` picks the format: .json is JSON, anything else YAML. */
export function isJsonPath(path: string): boolean {
  return extname(path).toLowerCase() === '.json';
}

/** The text without a byte-order mark, or the problem of an empty file. */
export function configBody(text: string): { body: string; empty?: ReadEntries } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() !== '') return { body };
  return {
    body,
    empty: {
      problems: [
        { line: 1, message: 'the file is empty', hint: 'add a printer: NAME: then printer_type, host, username, password indented below' },
      ],
    },
  };
}

/**
 * Validates the entries a reader found and turns them into the FarmConfig, or throws one ConfigError.
 * A secret variable missing from `env` is no error here: that printer goes to `unresolved`. When
 * other problems fail the file, the missing variables of the selected printers join them.
 */
export function checkConfigEntries(read: ReadEntries, path: string, env: Env, options: ConfigSourceOptions = {}): FarmConfig {
  const display = options.displayName ?? path;
  if (read.entries === undefined) throw configErrorFor(display, read.problems);

  const result = validateEntries(read.entries, env);
  const state = readStateDir(read.entries, path, env['HOME'] ?? env['USERPROFILE']);
  const problems = [...read.problems, ...result.problems, ...state.problems];
  // Only `defaults`, or nothing at all: there is no printer to sync.
  if (result.printers.length === 0 && result.unresolved.length === 0 && problems.length === 0) {
    problems.push({
      message: 'no printers are configured',
      hint: 'add one: NAME: then printer_type, host, username, password indented below',
    });
  }
  if (problems.length > 0) {
    const { printers = [], exclude = [] } = options.selection ?? {};
    const missing = selectedMissing(result.printers, [...result.unresolved, ...result.lackingInvalid], printers, exclude);
    throw configErrorFor(display, dedupeProblems([...problems, ...missing]));
  }

  const warnings: string[] = [];
  const mode = options.mode;
  // Windows reports made-up permission bits, so the check would always fire there.
  if (result.clearSecrets && mode !== undefined && (mode & 0o077) !== 0 && platform() !== 'win32') {
    const bits = (mode & 0o777).toString(8);
    warnings.push(
      `${display} holds a password or API key and other users can read it (mode ${bits}): run chmod 600 ${display}, or use password_env / api_key_env`,
    );
  }
  return {
    path: resolve(path),
    printers: result.printers,
    warnings,
    ...(state.stateDir !== undefined ? { stateDir: state.stateDir } : {}),
    ...(result.unresolved.length > 0 ? { unresolved: result.unresolved.map((p) => ({ ...p, file: display })) } : {}),
  };
}

/** JSON: syntax checked as JSON (so errors say JSON), then scanned again to learn each key's line. */
export function readJson(text: string): ReadEntries {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problems: [jsonSyntaxProblem(text)] };
  }
  if (!isPlainObject(value)) {
    return {
      problems: [
        {
          line: 1,
          message: `the top level must be an object of printer names to settings (got ${describeValue(value)})`,
          hint: 'write {"mk4-1": {"printer_type": "MK4S", "host": "...", ...}}',
        },
      ],
    };
  }
  try {
    return readJsonEntries(text);
  } catch {
    // The scan failed on JSON that JSON.parse took (a bug): validate it all the same, without line numbers.
    return { entries: Object.entries(value).map(([name, v]) => ({ name, value: v })), problems: [] };
  }
}

function jsonSyntaxProblem(text: string): ConfigProblem {
  const hint = 'check commas, quotes and brackets; JSON allows no comments and no trailing commas';
  let found: ReturnType<typeof findJsonSyntaxError>;
  try {
    found = findJsonSyntaxError(text);
  } catch {
    found = undefined; // nesting too deep to scan: report without a position
  }
  if (found === undefined) return { message: 'JSON syntax error', hint };
  const before = text.slice(0, found.offset);
  const line = before.split('\n').length;
  const column = found.offset - before.lastIndexOf('\n');
  return { line, message: `JSON syntax error at column ${column}: expected ${found.expected}`, hint };
}
