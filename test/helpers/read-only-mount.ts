// A read-only file system for one child process: a tmpfs mounted read-only over a folder in a private
// user and mount namespace, so the test needs neither root nor a real read-only disk.

import { spawnSync } from 'node:child_process';

/** A command prefix that runs its arguments with `folder` read-only and empty, for that process alone. */
export function readOnlyMount(folder: string): string[] {
  return ['unshare', '--user', '--map-root-user', '--mount', 'sh', '-c', 'mount -t tmpfs -o ro none "$0" && exec "$@"', folder];
}

/** Why the read-only tests cannot run here (a `skip` reason), else false. */
export function readOnlyMountSkip(): string | false {
  if (process.platform !== 'linux') return 'a private read-only mount needs Linux namespaces';
  const probe = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'true'], { timeout: 10_000 });
  return probe.status === 0 ? false : 'unshare cannot make a user and mount namespace here (no unshare, or namespaces disabled)';
}
