// One run at a time per state folder: an exclusive lock file holding the owner's pid, host and start
// time (and boot). A lock left by a process that died on this host, or by an earlier boot of it, is
// taken over; any other lock is an error.
// Whoever holds it clears the temporary files of record saves that never finished.

import { promises as fsp } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname as osHostname } from 'node:os';
import path from 'node:path';
import { StateError } from '../errors.js';
import { folderCause } from '../local/folder-words.js';
import { makeStateFolder, stateUnwritable } from './state-folder.js';
import { removeLeftoverTemps } from './store.js';

export const LOCK_NAME = 'link-sync.lock';

/** A lock file nobody finished writing is taken as abandoned after this long (writing it takes microseconds). */
const UNREADABLE_LOCK_GRACE_MS = 30_000;

export interface StateLock {
  /** Absolute path of the lock file. */
  readonly file: string;
  /**
   * Removes the lock. A lock that cannot be removed (the state folder went read-only during the run)
   * does not fail a run that is done: it resolves the warning to show, in words.
   */
  release(): Promise<string | undefined>;
}

interface LockOwner {
  pid: number;
  host: string;
  started: string;
  /** The host's boot (Linux boot_id): a lock from an earlier boot is abandoned whatever runs under its pid now. */
  boot?: string;
}

export interface LockOptions {
  /** Is a process with this pid running on this host? (default: signal 0) */
  isAlive?: (pid: number) => boolean;
  host?: string;
  /** This boot of the host (default: Linux's boot_id; none elsewhere). */
  boot?: string;
}

/** Linux gives each boot its own id; after a power cut, a pid in an old lock may belong to any process. */
async function currentBoot(): Promise<string | undefined> {
  const id = await fsp.readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => undefined);
  return id?.trim() || undefined;
}

export async function acquireStateLock(dir: string, options: LockOptions = {}): Promise<StateLock> {
  const isAlive = options.isAlive ?? processIsAlive;
  const host = options.host ?? osHostname();
  const file = path.join(dir, LOCK_NAME);
  await makeStateFolder(dir);
  const boot = 'boot' in options ? options.boot : await currentBoot();
  const mine: LockOwner = { pid: process.pid, host, started: new Date().toISOString(), ...(boot ? { boot } : {}) };
  const text = `${JSON.stringify(mine)}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    const handle = await fsp.open(file, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw stateUnwritable(dir, error);
      return undefined;
    });
    if (handle) {
      try {
        await handle.writeFile(text);
        await handle.close();
      } catch (error) {
        // A full disk: the lock file is ours but empty, and would stop the next runs as a foreign lock.
        await handle.close().catch(() => undefined);
        await fsp.unlink(file).catch(() => undefined);
        throw stateUnwritable(dir, error);
      }
      // Held: a record's temporary file left here belongs to a run that is gone.
      await removeLeftoverTemps(dir);
      return { file, release: () => releaseLock(file, text) };
    }
    const held = await readLock(file);
    if (held === undefined) continue; // released between our two calls: try again
    const owner = parseOwner(held.text);
    const earlierBoot = owner?.boot !== undefined && boot !== undefined && owner.boot !== boot;
    const abandoned = owner
      ? owner.host === host && owner.pid !== process.pid && (earlierBoot || !isAlive(owner.pid))
      : Date.now() - held.mtimeMs > UNREADABLE_LOCK_GRACE_MS;
    if (!abandoned) throw locked(dir, file, owner);
    await takeOver(file, held.text);
  }
  throw locked(dir, file, undefined);
}

/** Moves an abandoned lock aside; if another run replaced it meanwhile, puts that one back. */
async function takeOver(file: string, staleText: string): Promise<void> {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fsp.rename(file, aside);
  } catch {
    return; // gone already: the next attempt creates ours
  }
  const moved = await fsp.readFile(aside, 'utf8').catch(() => staleText);
  if (moved !== staleText) await fsp.link(aside, file).catch(() => undefined);
  await fsp.rm(aside, { force: true });
}

async function releaseLock(file: string, text: string): Promise<string | undefined> {
  const current = await fsp.readFile(file, 'utf8').catch(() => undefined);
  if (current !== text) return undefined;
  try {
    await fsp.unlink(file);
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // Its process is gone once this run ends: the next run on this host takes the lock over.
    return `cannot remove the lock ${file} (${folderCause(error)}); the next run on this host takes it over once the state folder can be written`;
  }
}

async function readLock(file: string): Promise<{ text: string; mtimeMs: number } | undefined> {
  try {
    const [text, stat] = await Promise.all([fsp.readFile(file, 'utf8'), fsp.stat(file)]);
    return { text, mtimeMs: stat.mtimeMs };
  } catch {
    return undefined;
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const doc = JSON.parse(text) as Partial<LockOwner>;
    if (typeof doc.pid === 'number' && Number.isSafeInteger(doc.pid) && doc.pid > 0 && typeof doc.host === 'string') {
      return {
        pid: doc.pid,
        host: doc.host,
        started: typeof doc.started === 'string' ? doc.started : 'an unknown time',
        ...(typeof doc.boot === 'string' && doc.boot !== '' ? { boot: doc.boot } : {}),
      };
    }
  } catch {
    // fall through: an unreadable lock
  }
  return undefined;
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function locked(dir: string, file: string, owner: LockOwner | undefined): StateError {
  const who = owner ? ` (pid ${owner.pid} on ${owner.host}, since ${owner.started})` : '';
  return new StateError('STATE_LOCKED', `another link-sync run is using the state folder ${dir}${who}`, {
    hint: `wait for it to finish; if no link-sync is running, delete ${file}`,
  });
}
