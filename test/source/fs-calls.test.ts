// Which way a scan's file system calls run: synchronously while they are fast, through the thread pool once
// most calls of a window were slow, with the event loop given turns in between. The clock is a counter the
// calls move forward, so each case knows how long every call "took".

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFsCalls, type FsCall } from '../../src/source/fs-calls.js';

/** A clock, and calls that take the time they are told to take on it, counting which way each ran. */
function harness(options: { slowCallMs: number; window?: number; yieldEveryMs?: number }) {
  let clock = 0;
  const ways: Array<'sync' | 'pool'> = [];
  const call: FsCall = createFsCalls({ concurrency: 4, now: () => clock, ...options });
  const run = (tookMs: number, judged = true): Promise<string> =>
    call(
      () => {
        clock += tookMs;
        ways.push('sync');
        return 'answer';
      },
      async () => {
        ways.push('pool');
        return 'answer';
      },
      judged,
    );
  return { run, ways, call };
}

async function runAll(run: (tookMs: number, judged?: boolean) => Promise<string>, times: number[], judged = true) {
  for (const took of times) assert.equal(await run(took, judged), 'answer');
}

describe('createFsCalls', { timeout: 5000 }, () => {
  it('calls synchronously while calls are fast', async () => {
    const { run, ways } = harness({ slowCallMs: 0.1, window: 4 });
    await runAll(run, Array(20).fill(0.01));
    assert.deepEqual(new Set(ways), new Set(['sync']));
  });

  it('moves to the thread pool once over half of a window was slow', async () => {
    const { run, ways } = harness({ slowCallMs: 0.1, window: 4 });
    await runAll(run, [0.01, 0.5, 0.5, 0.5]);
    await runAll(run, [0.01, 0.01]);
    assert.deepEqual(ways, ['sync', 'sync', 'sync', 'sync', 'pool', 'pool']);
  });

  it('stays synchronous when only half of each window is slow', async () => {
    const { run, ways } = harness({ slowCallMs: 0.1, window: 4 });
    await runAll(run, [0.5, 0.01, 0.5, 0.01, 0.01, 0.5, 0.01, 0.5, 0.01]);
    assert.equal(ways.filter((way) => way === 'pool').length, 0);
  });

  it('does not judge calls that are told not to be (a long folder listing)', async () => {
    const { run, ways } = harness({ slowCallMs: 0.1, window: 4 });
    await runAll(run, Array(8).fill(0.5), false);
    await runAll(run, [0.01]);
    assert.deepEqual(new Set(ways), new Set(['sync']));
  });

  it('runs every call through the thread pool when slowCallMs is 0', async () => {
    const { run, ways } = harness({ slowCallMs: 0 });
    await runAll(run, [0.01, 0.01]);
    assert.deepEqual(ways, ['pool', 'pool']);
  });

  it('gives the event loop a turn once yieldEveryMs has passed since the last', async () => {
    for (const [yieldEveryMs, expected] of [
      [1, true],
      [1000, false],
    ] as const) {
      const { run } = harness({ slowCallMs: 10, yieldEveryMs });
      let turned = false;
      setImmediate(() => {
        turned = true;
      });
      // Calls that never yield resolve in the microtask queue, before anything the event loop holds.
      for (let i = 0; i < 10; i++) await run(0.5);
      assert.equal(turned, expected, `yieldEveryMs ${yieldEveryMs}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  });

  it('turns an error of a synchronous call into a rejection', async () => {
    const call = createFsCalls({ concurrency: 1, slowCallMs: 1 });
    const failing = call(
      () => {
        throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      },
      () => Promise.resolve('unused'),
    );
    await assert.rejects(failing, { code: 'ENOENT' });
  });
});
