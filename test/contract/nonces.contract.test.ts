// The PrinterApi contract, part two: digest nonces that die during a run, on every printer that has
// digest auth (Buddy 4.4 takes only an API key).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock, startPrinter, type SimPrinter } from '../../src/simulator/index.js';
import { FLAVOURS } from './flavours.js';
import { apiFor, body } from './support.js';

const T = { timeout: 20_000 };

for (const flavour of FLAVOURS) {
  const nonceSkip = flavour.auth === 'digest' ? undefined : 'Buddy 4.4 takes only an API key';
  describe(`PrinterApi contract: ${flavour.label} with short-lived nonces${nonceSkip ? ` (skipped: ${nonceSkip})` : ''}`, {
    skip: nonceSkip,
  }, () => {
    let sim: SimPrinter;
    const clock = manualClock();
    before(async () => {
      sim = await startPrinter({ ...flavour.options, password: 'correct-horse-7', nonceLifetimeSec: 1, now: clock.now });
    });
    after(async () => {
      await sim.close();
    });

    test('renews a stale nonce once and carries on, re-sending an upload body', T, async () => {
      const api = apiFor(sim);
      try {
        await api.storages();
        // What happened before the first expiry (the dialect probe, the storage list) is not the point.
        sim.clearRequests();
        clock.advance(2_300); // long enough for the nonce to die on both personalities
        await api.list(sim.storage, '');
        clock.advance(2_300);
        const b = body('G28\n'.repeat(500));
        await api.upload(sim.storage, 'stale/after-expiry.gcode', b, { overwrite: true });
        assert.equal(sim.readFile('stale/after-expiry.gcode')?.toString(), 'G28\n'.repeat(500));
        assert.equal(b.opened, 2, 'the body was opened again for the renewed nonce');
      } finally {
        api.close();
      }
      const log = sim.requests().map((r) => `${r.method} ${r.status}`);
      const m = flavour.uploadMethod;
      assert.deepEqual(log, ['GET 401', 'GET 200', `${m} 401`, `${m} 201`]);
    });
  });
}
