// The per-process bound on open connections: a full set queues, a release hands the slot on, an
// abort leaves the queue, and the bound follows the open-file limit.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionSlots, openFileLimit, slotsForLimit } from '../../src/printer/connection-slots.js';
import { PrinterError } from '../../src/errors.js';

describe('connection slots', { timeout: 5000 }, () => {
  it('queues past the bound and hands a released slot to the next in line', async () => {
    const slots = new ConnectionSlots(2);
    await slots.acquire('a');
    await slots.acquire('b');
    let third = false;
    const waiting = slots.acquire('c').then(() => (third = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(third, false);
    assert.equal(slots.contended, true);
    slots.release();
    await waiting;
    assert.equal(third, true);
    assert.equal(slots.contended, false);
  });

  it('an abort while waiting rejects as interrupted and leaves the queue', async () => {
    const slots = new ConnectionSlots(1);
    await slots.acquire('a');
    const stop = new AbortController();
    const waiting = slots.acquire('b', stop.signal);
    stop.abort();
    await assert.rejects(waiting, (e: unknown) => e instanceof PrinterError && e.kind === 'aborted');
    assert.equal(slots.contended, false);
  });

  it('follows the open-file limit', () => {
    const limits = (soft: string) => () =>
      `Limit                     Soft Limit           Hard Limit           Units\nMax open files            ${soft}                20000                files\n`;
    assert.equal(openFileLimit(limits('1024')), 1024);
    assert.equal(openFileLimit(limits('unlimited')), 1_000_000);
    assert.equal(
      openFileLimit(() => {
        throw new Error('no /proc');
      }),
      256,
    );
    assert.deepEqual([256, 1024, 20000].map(slotsForLimit), [42, 298, 6624]);
    assert.equal(slotsForLimit(100), 4, 'never fewer than 4');
  });
});
