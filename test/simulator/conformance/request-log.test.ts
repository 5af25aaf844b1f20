// The simulator's request log: what each entry records, that credentials never appear in it, and clearing it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filesTarget } from './http-client.js';
import { manualClock } from '../../../src/simulator/index.js';
import { PERSONALITIES, asRecord, clientFor, gcode, heldBody, optionsFor, until, withPrinter } from './fixtures.js';

const T = { timeout: 20_000 };

for (const { personality } of PERSONALITIES) {
  test(`the request log records method, raw target, status, auth outcome, key headers and body bytes (${personality})`, T, () =>
    withPrinter(optionsFor(personality), async (printer, client) => {
      const before = Date.now();
      await client.fetchChallenge();
      await client.get('/api/v1/status');
      await clientFor(printer).get('/api/v1/info', { auth: 'apikey' });
      await clientFor(printer, { password: 'wrong-password' }).get('/api/v1/storage');
      const target = filesTarget(printer.storage, 'log dir/a b.gcode');
      const put = await client.put(target, gcode(500), { Overwrite: '?1' });
      assert.equal(put.status, 201);
      const log = printer.requests();
      const find = (method: string, t: string, status: number) =>
        log.find((e) => e.method === method && e.target === t && e.status === status);
      assert.equal(find('GET', '/api/version', 401)?.auth, 'none');
      assert.equal(find('GET', '/api/v1/status', 200)?.auth, 'digest');
      assert.equal(find('GET', '/api/v1/info', 200)?.auth, 'api-key');
      assert.equal(find('GET', '/api/v1/storage', 401)?.auth, 'invalid');
      const up = find('PUT', target, 201);
      assert.ok(up !== undefined, JSON.stringify(log.map((e) => `${e.method} ${e.target} ${e.status}`)));
      assert.ok(target.includes('%20'), 'the logged target is the raw, encoded one');
      assert.equal(up.bytesIn, 500);
      assert.equal(up.headers.overwrite, '?1');
      assert.equal(up.headers['content-length'], '500');
      assert.equal(up.headers['content-type'], 'text/x.gcode');
      assert.equal(up.headers['user-agent'], client.userAgent);
      for (const e of log) {
        assert.ok(e.startedAt >= before - 1000 && e.startedAt <= Date.now(), `startedAt ${e.startedAt}`);
        assert.ok(e.durationMs >= 0);
        assert.equal(e.headers.authorization, undefined);
        assert.equal(e.headers['x-api-key'], undefined);
      }
      const dump = JSON.stringify(log);
      assert.equal(dump.includes(printer.credentials.password), false, 'the password is not in the log');
      if (printer.credentials.apiKey !== undefined) assert.equal(dump.includes(printer.credentials.apiKey), false);
      assert.equal(dump.includes('response='), false, 'no digest response in the log');
      printer.clearRequests();
      assert.deepEqual(printer.requests(), []);
    }),
  );
}

for (const { personality } of PERSONALITIES) {
  test(`the request log, transfer and job times follow the printer's now option, not the host clock (${personality})`, T, () => {
    // A clock far from the real time that moves only when told to.
    const start = 1_600_000_000_000;
    const clock = manualClock(start);
    return withPrinter(optionsFor(personality, { now: clock.now }), async (printer, client) => {
      await client.get('/api/v1/status');
      const first = printer.requests().find((e) => e.target === '/api/v1/status');
      assert.equal(first?.startedAt, start);
      assert.equal(first?.durationMs, 0);

      const content = gcode(4000);
      const held = heldBody(content, 1000);
      const target = filesTarget(printer.storage, 'held.gcode');
      const upload = client.put(target, held.body, { 'Content-Length': content.length });
      await until(() => printer.transfer() !== undefined, 'the upload to be under way');
      clock.advance(30_000);
      const transfer = asRecord(await client.getJson('/api/v1/transfer'));
      assert.equal(transfer.time_transferring, 30);
      held.release();
      assert.equal((await upload).status, 201);
      const put = printer.requests().find((e) => e.method === 'PUT');
      assert.equal(put?.startedAt, start);
      assert.equal(put?.durationMs, 30_000);

      printer.setState('PRINTING', { file: 'held.gcode' });
      clock.advance(90_000);
      const job = asRecord(await client.getJson('/api/v1/job'));
      assert.equal(job.time_printing, 90);
    });
  });
}
