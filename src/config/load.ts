// Loads printers.yml / printers.json: read the file, parse it, validate it, and throw one ConfigError
// listing every problem with its line, or return the normalised FarmConfig.

import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { platform } from 'node:os';
import { extname, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { readYamlEntries } from './document.js';
import { findJsonSyntaxError } from './json-syntax.js';
import { configErrorFor, type ConfigProblem } from './problems.js';
import type { FarmConfig } from './types.js';
import { validateEntries } from './validate.js';
import { readStateDir } from './state-dir.js';
import { describeValue, isPlainObject, type RawEntry } from './values.js';

export interface ConfigSourceOptions {
  /** How to name the file in messages; defaults to the path as given (e.g. "printers.yml"). */
  displayName?: string;
  /** The file's permission bits, to warn about secrets other users can read. */
  mode?: number;
}

type Env = Record<string, string | undefined>;

// A printer list is a few kilobytes; anything far larger is the wrong file.
const MAX_BYTES = 1024 * 1024;

/** Reads and validates the config file. Throws ConfigError; never prints. */
export async function loadConfig(path: string, env: Env, options: ConfigSourceOptions = {}): Promise<FarmConfig> {
  const display = options.displayName ?? path;
  const fail = (message: string, hint: string, cause?: unknown): ConfigError =>
    configErrorFor(display, [{ message, hint }], cause);
  let text: string;
  let mode: number;
  // Only a regular file of bounded size: opening a FIFO would block until someone writes to it,
  // and a device such as /dev/urandom never ends.
  const checkKind = (info: Stats): void => {
    if (info.isDirectory()) throw fail('is a folder, not a file', 'pass -c with the path of the printers file');
    if (!info.isFile()) throw fail(`is ${kindOf(info)}, not a regular file`, 'pass -c with the path of the printers file, a regular file of at most 1 MB');
    if (info.size > MAX_BYTES) throw fail(`is ${info.size} bytes; a printer config is far smaller`, 'check that -c names the printers file');
  };
  try {
    checkKind(await stat(path));
    // Non-blocking, in case the path was swapped for a FIFO since: the open must never hang.
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const info = await handle.stat();
      checkKind(info);
      mode = info.mode;
      const buffer = Buffer.alloc(MAX_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      if (bytesRead > MAX_BYTES) throw fail(`is over ${MAX_BYTES} bytes; a printer config is far smaller`, 'check that -c names the printers file');
      text = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw fail('config file not found', `create ${display} or pass -c PATH`, error);
    if (code === 'EACCES' || code === 'EPERM') {
      throw fail('cannot be read: permission denied', 'make the file readable by the user running link-sync', error);
    }
    if (code === 'EISDIR') throw fail('is a folder, not a file', 'pass -c with the path of the printers file', error);
    throw fail(`cannot be read (${code ?? 'unknown error'})`, 'check the path given with -c', error);
  }
  return parseConfigText(text, path, env, { displayName: display, mode: options.mode ?? mode });
}

function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a file';
}

/** Parses and validates config text; `path` picks the format (.json → JSON, else YAML). Pure. */
export function parseConfigText(text: string, path: string, env: Env, options: ConfigSourceOptions = {}): FarmConfig {
  const display = options.displayName ?? path;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const read = body.trim() === ''
    ? { problems: [{ line: 1, message: 'the file is empty', hint: 'add a printer: NAME: then printer_type, host, username, password indented below' }] }
    : extname(path).toLowerCase() === '.json'
      ? readJson(body)
      : readYamlEntries(body);
  if (read.entries === undefined) throw configErrorFor(display, read.problems);

  const result = validateEntries(read.entries, env);
  const state = readStateDir(read.entries, path, env['HOME'] ?? env['USERPROFILE']);
  const problems = [...read.problems, ...result.problems, ...state.problems];
  // Only `defaults`, or nothing at all: there is no printer to sync.
  if (result.printers.length === 0 && problems.length === 0) {
    problems.push({ message: 'no printers are configured', hint: 'add one: NAME: then printer_type, host, username, password indented below' });
  }
  if (problems.length > 0) throw configErrorFor(display, problems);

  const warnings: string[] = [];
  const mode = options.mode;
  // Windows reports made-up permission bits, so the check would always fire there.
  if (result.clearSecrets && mode !== undefined && (mode & 0o077) !== 0 && platform() !== 'win32') {
    const bits = (mode & 0o777).toString(8);
    warnings.push(
      `${display} holds a password or API key and other users can read it (mode ${bits}): run chmod 600 ${display}, or use password_env / api_key_env`,
    );
  }
  return { path: resolve(path), printers: result.printers, warnings, ...(state.stateDir !== undefined ? { stateDir: state.stateDir } : {}) };
}

/** JSON: syntax checked as JSON (so errors say JSON), then read as YAML to learn each key's line. */
function readJson(text: string): { entries?: RawEntry[]; problems: ConfigProblem[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problems: [jsonSyntaxProblem(text)] };
  }
  if (!isPlainObject(value)) {
    return { problems: [{ line: 1, message: `the top level must be an object of printer names to settings (got ${describeValue(value)})`, hint: 'write {"mk4-1": {"printer_type": "MK4S", "host": "...", ...}}' }] };
  }
  const withLines = readYamlEntries(text);
  if (withLines.entries !== undefined) return withLines;
  // Valid JSON the YAML reader refuses (rare): validate it all the same, without line numbers.
  return { entries: Object.entries(value).map(([name, v]) => ({ name, value: v })), problems: [] };
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
