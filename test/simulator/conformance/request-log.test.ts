// The simulator's request log: what each entry records, that credentials never appear in it, and clearing it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filesTarget } from './http-client.js';
import { PERSONALITIES, clientFor, gcode, optionsFor, withPrinter } from './fixtures.js';

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
