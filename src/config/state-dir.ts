// The reserved top-level `state_dir` entry: where the sync records live, so cron and interactive
// runs share one record whatever their environment. --state-dir wins over it.

import { dirname, resolve } from 'node:path';
import type { ConfigProblem } from './problems.js';
import { describeValue, type RawEntry } from './values.js';

export const STATE_DIR_NAME = 'state_dir';

export function isStateDirEntry(entry: RawEntry): boolean {
  return entry.name.trim().toLowerCase() === STATE_DIR_NAME;
}

/**
 * The folder named by `state_dir`, absolute: `~/` is the home folder, a relative path is taken from
 * the config file's folder (not the working folder, which differs between cron and a shell).
 */
export function readStateDir(
  entries: readonly RawEntry[],
  configPath: string,
  home: string | undefined,
): { stateDir?: string; problems: ConfigProblem[] } {
  const entry = entries.filter(isStateDirEntry).at(-1);
  if (entry === undefined) return { problems: [] };
  const line = entry.lineOf?.([]);
  const at = (message: string, hint: string): ConfigProblem => ({
    ...(line === undefined ? {} : { line }),
    message: `state_dir: ${message}`,
    hint,
  });
  if (typeof entry.value !== 'string' || entry.value.trim() === '') {
    return {
      problems: [at(`must be a folder path (got ${describeValue(entry.value)})`, 'write e.g. state_dir: ~/.local/state/link-sync')],
    };
  }
  const raw = entry.value.trim();
  if (raw === '~' || raw.startsWith('~/')) {
    if (!home) return { problems: [at('starts with ~ but HOME is not set', 'write an absolute path')] };
    return { stateDir: resolve(home, raw.slice(2)), problems: [] };
  }
  return { stateDir: resolve(dirname(resolve(configPath)), raw), problems: [] };
}
