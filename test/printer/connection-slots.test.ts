// The per-process bound on open connections: a full set queues, a release hands the slot on, an
// abort leaves the queue, and the bound follows the open-file limit.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionSlots, openFileLimit, slotsForLimit } from '../../src/printer/connection-slots.js';
import { PrinterError } from '../../src/errors.js';
import { testClient, withServer } from '../helpers/test-server.js';

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

describe('connection slots shared by printer clients', { timeout: 10_000 }, () => {
  it('a printer between requests gives its idle connection to one waiting for a slot', async () => {
    await withServer(
      (_req, res) => res.end('{}'),
      async (baseUrl, server) => {
        const slots = new ConnectionSlots(1);
        const a = testClient(baseUrl, { printer: 'a', slots });
        const b = testClient(baseUrl, { printer: 'b', slots });
        try {
          await a.request({ method: 'GET', target: '/api/version', what: 'first read' });
          // a keeps its connection open (keep-alive) and its slot: b must wait.
          let bDone = false;
          const bRead = b.request({ method: 'GET', target: '/api/version', what: 'read' }).then(() => (bDone = true));
          await new Promise((r) => setTimeout(r, 50));
          assert.equal(bDone, false, 'b got a connection while a held the only slot');
          assert.equal(slots.contended, true);
          // a's next request ends with someone waiting: a closes its idle connection and hands the slot on.
          await a.request({ method: 'GET', target: '/api/version', what: 'second read' });
          let bound: NodeJS.Timeout | undefined;
          const handedOn = await Promise.race([
            bRead.then(() => true),
            new Promise<false>((r) => {
              bound = setTimeout(() => r(false), 5_000);
            }),
          ]);
          clearTimeout(bound);
          assert.ok(handedOn, 'b still waits for a connection after a finished its requests');
          assert.equal(bDone, true);
          const open = await new Promise<number>((r) => server.getConnections((_e, count) => r(count)));
          assert.ok(open <= 1, `${open} connections open with one slot`);
        } finally {
          a.close();
          b.close();
        }
      },
    );
  });
});
