// The state folder lock: exclusive, released, taken over from a dead process, clear when held.

import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, symlinkSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LOCK_NAME, acquireStateLock } from '../../src/record/lock.js';
import { StateError } from '../../src/errors.js';
import { repoRoot } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtures.js';
import { readOnlyMount, readOnlyMountSkip } from '../helpers/read-only-mount.js';

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('state folder lock', { timeout: 10000 }, () => {
  let tmp: { dir: string; cleanup: () => void };
  let dir: string;
  beforeEach(() => {
    tmp = tempDir('link-sync-lock-');
    dir = path.join(tmp.dir, 'state');
  });
  afterEach(() => tmp.cleanup());

  it('creates the folder and a lock file naming this process, and removes it on release', async () => {
    const lock = await acquireStateLock(dir);
    assert.equal(lock.file, path.join(dir, LOCK_NAME));
    const owner = JSON.parse(readFileSync(lock.file, 'utf8')) as { pid: number; host: string };
    assert.equal(owner.pid, process.pid);
    assert.equal(owner.host, hostname());
    await lock.release();
    assert.equal(existsSync(lock.file), false);
    const again = await acquireStateLock(dir);
    await again.release();
  });

  it('refuses a second holder with a message naming the owner and the lock file', async () => {
    const lock = await acquireStateLock(dir);
    try {
      await assert.rejects(acquireStateLock(dir), (error: unknown) => {
        assert.ok(error instanceof StateError);
        assert.equal(error.code, 'STATE_LOCKED');
        assert.match(error.message, new RegExp(`another link-sync run is using the state folder .*pid ${process.pid}`));
        assert.ok(error.hint?.includes(lock.file));
        return true;
      });
    } finally {
      await lock.release();
    }
  });

  it('takes over a lock left by a process that died on this host', async () => {
    mkdirSync(dir, { recursive: true });
    const pid = deadPid();
    writeFileSync(path.join(dir, LOCK_NAME), JSON.stringify({ pid, host: hostname(), started: '2020-01-01T00:00:00Z' }));
    const lock = await acquireStateLock(dir);
    assert.equal((JSON.parse(readFileSync(lock.file, 'utf8')) as { pid: number }).pid, process.pid);
    await lock.release();
  });

  it('takes over a lock from an earlier boot of this host, even when its pid now belongs to a live process', async () => {
    mkdirSync(dir, { recursive: true });
    // After a power cut the pid of the old run may be any live process's (here: this test's parent).
    const owner = { pid: process.ppid, host: hostname(), started: '2020-01-01T00:00:00Z', boot: 'boot-before-the-power-cut' };
    writeFileSync(path.join(dir, LOCK_NAME), JSON.stringify(owner));
    const lock = await acquireStateLock(dir, { boot: 'boot-now' });
    const mine = JSON.parse(readFileSync(lock.file, 'utf8')) as { pid: number; boot: string };
    assert.deepEqual([mine.pid, mine.boot], [process.pid, 'boot-now']);
    await lock.release();
  });

  it('refuses a lock of this boot whose process is alive', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, LOCK_NAME), JSON.stringify({ pid: process.ppid, host: hostname(), started: 'x', boot: 'boot-now' }));
    await assert.rejects(acquireStateLock(dir, { boot: 'boot-now' }), /another link-sync run is using the state folder/);
  });

  it('does not take over a lock held on another host, whose processes it cannot see', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, LOCK_NAME), JSON.stringify({ pid: deadPid(), host: 'some-other-host', started: 'x' }));
    await assert.rejects(acquireStateLock(dir), /pid \d+ on some-other-host/);
  });

  it('treats an unreadable lock as held while fresh and as abandoned once old', async () => {
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, LOCK_NAME);
    writeFileSync(file, '');
    await assert.rejects(acquireStateLock(dir), (error: unknown) => error instanceof StateError && error.code === 'STATE_LOCKED');
    const old = Date.now() / 1000 - 3600;
    utimesSync(file, old, old);
    const lock = await acquireStateLock(dir);
    await lock.release();
  });

  it('does not remove a lock it no longer owns', async () => {
    const lock = await acquireStateLock(dir);
    writeFileSync(lock.file, JSON.stringify({ pid: 1, host: 'elsewhere', started: 'x' }));
    await lock.release();
    assert.equal(existsSync(lock.file), true);
  });

  it('names the file that stands in the path of the state folder', async () => {
    writeFileSync(path.join(tmp.dir, 'file'), 'x');
    const state = path.join(tmp.dir, 'file', 'state', 'link-sync');
    await assert.rejects(acquireStateLock(state), (error: unknown) => {
      assert.ok(error instanceof StateError);
      assert.equal(error.code, 'STATE_UNWRITABLE');
      assert.equal(
        error.toLine(),
        `state folder ${state} cannot be written (${path.join(tmp.dir, 'file')} is not a folder) (${ELSEWHERE})`,
      );
      return true;
    });
  });

  // fs.mkdir({ recursive: true }) reports ENOENT here, as it does on a read-only file system.
  it('names a link to a folder that does not exist, not a missing folder', async () => {
    const state = path.join(tmp.dir, 'state');
    symlinkSync(path.join(tmp.dir, 'unmounted'), state);
    await assert.rejects(acquireStateLock(state), (error: unknown) => {
      assert.ok(error instanceof StateError);
      assert.equal(
        error.toLine(),
        `state folder ${state} cannot be written (${state} is a link to a folder that does not exist) (${ELSEWHERE})`,
      );
      return true;
    });
  });

  it('says "permission denied" for a folder the user may not write (as another user when the tests run as root)', {
    skip: process.platform === 'win32' ? 'file modes do not apply on Windows' : false,
  }, () => {
    const closed = path.join(tmp.dir, 'closed');
    mkdirSync(closed, { mode: 0o555 });
    chmodSync(closed, 0o555);
    chmodSync(tmp.dir, 0o755);
    const state = path.join(closed, 'state', 'link-sync');
    const out = lockIn(state, process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {});
    assert.equal(out, `STATE_UNWRITABLE state folder ${state} cannot be written (permission denied) (make it writable, or ${ELSEWHERE})\n`);
  });

  it('says "read-only file system" for a state folder on one, not ENOENT', { skip: readOnlyMountSkip() }, () => {
    const mount = path.join(tmp.dir, 'read-only');
    mkdirSync(mount);
    const state = path.join(mount, 'state', 'link-sync');
    const out = lockIn(state, {}, readOnlyMount(mount));
    assert.equal(out, `STATE_UNWRITABLE state folder ${state} cannot be written (read-only file system) (${ELSEWHERE})\n`);
  });
});

const ELSEWHERE = 'set --state-dir DIR, state_dir in the config, or XDG_STATE_HOME to a writable folder';

/** What taking the lock on `state` prints in a process of its own (as another user, or behind `wrap`): the error's code and line. */
function lockIn(state: string, user: { uid?: number; gid?: number }, wrap: string[] = []): string {
  const lock = pathToFileURL(path.join(repoRoot, 'dist/src/record/lock.js')).href;
  const script = `import(${JSON.stringify(lock)}).then((m) => m.acquireStateLock(${JSON.stringify(state)})).then(
    () => console.log('taken'), (e) => console.log(e.code, e.toLine()))`;
  const command = [...wrap, process.execPath, '--input-type=module', '-e', script];
  const child = spawnSync(command[0]!, command.slice(1), { encoding: 'utf8', timeout: 20_000, ...user });
  assert.equal(child.status, 0, child.stderr);
  return child.stdout;
}
