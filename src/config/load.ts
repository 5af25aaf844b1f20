// Loads printers.yml / printers.json: read the file, parse it, validate it, and throw one ConfigError
// listing every problem with its line, or return the normalised FarmConfig. The YAML parser is loaded
// only for a YAML file.

import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
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
  const fail = (message: string, hint: string, cause?: unknown): ConfigError => configErrorFor(display, [{ message, hint }], cause);
  let text: string;
  let mode: number;
  // Only a regular file of bounded size: opening a FIFO would block until someone writes to it,
  // and a device such as /dev/urandom never ends.
  const checkKind = (info: Stats): void => {
    if (info.isDirectory()) throw fail('is a folder, not a file', 'pass -c with the path of the printers file');
    if (!info.isFile())
      throw fail(`is ${kindOf(info)}, not a regular file`, 'pass -c with the path of the printers file, a regular file of at most 1 MB');
    if (info.size > MAX_BYTES)
      throw fail(`is ${info.size} bytes; a printer config is far smaller`, 'check that -c names the printers file');
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
      if (bytesRead > MAX_BYTES)
        throw fail(`is over ${MAX_BYTES} bytes; a printer config is far smaller`, 'check that -c names the printers file');
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
  const { body, empty } = configBody(text);
  const read = empty ?? (isJsonPath(path) ? readJson(body) : (await import('./document.js')).readYamlEntries(body));
  return checkConfigEntries(read, path, env, { ...options, displayName: display, mode: options.mode ?? mode });
}

/** The config as the caller gave it: a path to read and check (shown as `displayName` in errors), or one already loaded. */
export async function configFrom(
  config: string | FarmConfig,
  env: Env,
  { displayName, selection }: Pick<ConfigSourceOptions, 'displayName' | 'selection'> = {},
): Promise<FarmConfig> {
  if (typeof config !== 'string') return config;
  return loadConfig(config, env, { ...(displayName ? { displayName } : {}), ...(selection ? { selection } : {}) });
}

function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a file';
}
