// Where sync records live by default: the XDG state folder, as the Base Directory spec defines it.

import { homedir } from 'node:os';
import path from 'node:path';
import { StateError } from '../errors.js';

export interface StateDirEnv {
  env: Record<string, string | undefined>;
  /** The user's home folder when the environment does not name one (default os.homedir()). */
  home?: string;
  platform?: NodeJS.Platform;
}

/**
 * $XDG_STATE_HOME/link-sync, else ~/.local/state/link-sync. A relative XDG_STATE_HOME is ignored, as
 * the spec asks. On Windows without XDG_STATE_HOME: %LOCALAPPDATA%\link-sync\state.
 */
export function defaultStateDir({ env, home, platform = process.platform }: StateDirEnv): string {
  const pathApi = platform === 'win32' ? path.win32 : path.posix;
  const xdg = env['XDG_STATE_HOME'];
  if (xdg && pathApi.isAbsolute(xdg)) return pathApi.join(xdg, 'link-sync');
  const localAppData = env['LOCALAPPDATA'];
  if (platform === 'win32' && localAppData && pathApi.isAbsolute(localAppData)) {
    return pathApi.join(localAppData, 'link-sync', 'state');
  }
  const userHome = env['HOME'] || (home !== undefined ? home : safeHomedir());
  if (!userHome) {
    throw new StateError('STATE_UNWRITABLE', 'cannot tell where to keep the sync record: neither XDG_STATE_HOME nor HOME is set', {
      hint: 'pass --state-dir DIR, or set XDG_STATE_HOME',
    });
  }
  return pathApi.join(userHome, '.local', 'state', 'link-sync');
}

function safeHomedir(): string | undefined {
  try {
    return homedir() || undefined;
  } catch {
    return undefined;
  }
}
