// The state folder lock: exclusive, released, taken over from a dead process, clear when held.

import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { LOCK_NAME, acquireStateLock } from '../../src/record/lock.js';
import { StateError } from '../../src/errors.js';
import { tempDir } from '../helpers/fixtures.js';

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

  it('says so when the state folder cannot be created', async () => {
    writeFileSync(path.join(tmp.dir, 'file'), 'x');
    await assert.rejects(acquireStateLock(path.join(tmp.dir, 'file', 'state')), (error: unknown) => {
      assert.ok(error instanceof StateError);
      assert.equal(error.code, 'STATE_UNWRITABLE');
      assert.match(error.hint ?? '', /--state-dir/);
      return true;
    });
  });
});
