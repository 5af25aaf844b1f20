// A folder that refuses new files and renames, for one test: mode 555 for a normal user; as root,
// which ignores modes, the immutable flag.

import { chmodSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export type Locked = { ok: true; unlock: () => void } | { ok: false; why: string };

export function lockFolder(dir: string): Locked {
  if (process.getuid?.() !== 0) {
    chmodSync(dir, 0o555);
    return { ok: true, unlock: () => chmodSync(dir, 0o755) };
  }
  try {
    execFileSync('chattr', ['+i', dir], { stdio: 'ignore' });
  } catch {
    return { ok: false, why: 'running as root, where modes do not stop writes, and chattr +i is not available here' };
  }
  return { ok: true, unlock: () => void execFileSync('chattr', ['-i', dir], { stdio: 'ignore' }) };
}
