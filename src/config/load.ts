// Loads printers.yml / printers.json: read the file, parse it, validate it, and throw one ConfigError
// listing every problem with its line, or return the normalised FarmConfig. The YAML parser is loaded
// only for a YAML file.

import { open } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import { checkConfigEntries, configBody, isJsonPath, readJson, type ConfigSourceOptions, type Env } from './check.js';
import { configErrorFor } from './problems.js';
import type { FarmConfig } from './types.js';

export type { ConfigSourceOptions } from './check.js';

// A printer list is a few kilobytes; anything far larger is the wrong file.
const MAX_BYTES = 1024 * 1024;

/** Reads and validates the config file. Throws ConfigError; never prints. */
export async function loadConfig(path: string, env: Env, options: ConfigSourceOptions = {}): Promise<FarmConfig> {
  const display = options.displayName ?? path;
  const fail = (message: string, hint: string, cause?: unknown): ConfigError =>
    configErrorFor(display, [{ message, hint }], cause);
  let text: string;
  let mode: number;
  try {
    const handle = await open(path, 'r');
    try {
      const stat = await handle.stat();
      if (stat.isDirectory()) throw fail('is a folder, not a file', 'pass -c with the path of the printers file');
      if (stat.size > MAX_BYTES) throw fail(`is ${stat.size} bytes; a printer config is far smaller`, 'check that -c names the printers file');
      mode = stat.mode;
      text = await handle.readFile('utf8');
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
  const { body, empty } = configBody(text);
  const read = empty ?? (isJsonPath(path) ? readJson(body) : (await import('./document.js')).readYamlEntries(body));
  return checkConfigEntries(read, path, env, { displayName: display, mode: options.mode ?? mode });
}
