// Injected faults and the upload rate limit: each fault does what it says, for as many requests as it says, and then stops.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { filesTarget } from './http-client.js';
import { PERSONALITIES, gcode, optionsFor, withPrinter } from './fixtures.js';

const T = { timeout: 30_000 };

// Every test has its own printer and most wait on rates, delays and stalls: they run side by side.
describe('injected faults and the upload rate', { concurrency: true }, () => {
  for (const { personality } of PERSONALITIES) {
    test(`an upload of N bytes at R bytes/s takes at least about N/R (${personality})`, T, () =>
      withPrinter(optionsFor(personality, { rateBytesPerSec: 50_000 }), async (printer, client) => {
        await client.fetchChallenge();
        const started = Date.now();
        const res = await client.put(filesTarget(printer.storage, 'rated.gcode'), gcode(100_000));
        const elapsed = Date.now() - started;
        assert.equal(res.status, 201);
        // 2 s in theory; a lower bound only, with slack for the first burst.
        assert.ok(elapsed >= 1500, `took ${elapsed} ms`);
      }),
    );

    test(`reset-after-bytes cuts the socket mid-body, once per "times" (${personality})`, T, () =>
      withPrinter(optionsFor(personality), async (printer, client) => {
        printer.inject({ kind: 'reset-after-bytes', bytes: 2000, times: 2 });
        for (let i = 0; i < 2; i += 1) {
          const res = await client.put(filesTarget(printer.storage, 'cut.gcode'), gcode(50_000)).catch((e: Error) => e);
          assert.ok(res instanceof Error || res.status !== 201, `attempt ${i + 1} was not cut`);
        }
        assert.equal(
          printer.files().some((f) => f.path === 'cut.gcode'),
          false,
        );
        assert.equal((await client.put(filesTarget(printer.storage, 'cut.gcode'), gcode(50_000))).status, 201);
        const log = printer.requests().filter((r) => r.method === 'PUT');
        assert.ok(
          log.slice(0, 2).every((r) => r.bytesIn < 50_000),
          JSON.stringify(log.map((r) => r.bytesIn)),
        );
      }),
    );

    test(`a status fault answers N matching requests and then stops (${personality})`, T, () =>
      withPrinter(optionsFor(personality), async (printer, client) => {
        printer.inject({ kind: 'status', status: 503, times: 2, pathPrefix: '/api/v1/status' });
        assert.equal((await client.get('/api/v1/info')).status, 200, 'other paths are untouched');
        assert.equal((await client.get('/api/v1/status')).status, 503);
        assert.equal((await client.get('/api/v1/status')).status, 503);
        assert.equal((await client.get('/api/v1/status')).status, 200);
      }),
    );

    test(`a status fault can target one method (${personality})`, T, () =>
      withPrinter(optionsFor(personality), async (printer, client) => {
        printer.inject({ kind: 'status', status: 500, method: 'PUT' });
        assert.equal((await client.get('/api/v1/status')).status, 200);
        assert.equal((await client.put(filesTarget(printer.storage, 'x.gcode'), 'X')).status, 500);
        assert.equal((await client.put(filesTarget(printer.storage, 'x.gcode'), 'X')).status, 500, 'no times: until cleared');
        printer.clearFaults();
        assert.equal((await client.put(filesTarget(printer.storage, 'x.gcode'), 'X')).status, 201);
      }),
    );

    test(`a delay fault holds the response at least that long (${personality})`, T, () =>
      withPrinter(optionsFor(personality), async (printer, client) => {
        await client.fetchChallenge();
        printer.inject({ kind: 'delay', ms: 600, times: 1, pathPrefix: '/api/v1/info' });
        const started = Date.now();
        assert.equal((await client.get('/api/v1/info')).status, 200);
        assert.ok(Date.now() - started >= 550, `answered after ${Date.now() - started} ms`);
      }),
    );

    test(`malformed-json truncates JSON bodies, then stops (${personality})`, T, () =>
      withPrinter(optionsFor(personality), async (printer, client) => {
        printer.inject({ kind: 'malformed-json', times: 1, pathPrefix: '/api/v1/status' });
        const bad = await client.get('/api/v1/status');
        assert.throws(() => JSON.parse(bad.text()));
        const good = await client.get('/api/v1/status');
        assert.doesNotThrow(() => JSON.parse(good.text()));
      }),
    );
  }

  test('storage-full: Buddy 507 before the body, until cleared', T, () =>
    withPrinter(optionsFor('buddy'), async (printer, client) => {
      printer.inject({ kind: 'storage-full' });
      const res = await client.put(filesTarget('usb', 'full.gcode'), gcode(5000));
      assert.equal(res.status, 507);
      assert.match(res.text(), /USB drive full/);
      assert.deepEqual(printer.files(), []);
      printer.clearFaults();
      assert.equal((await client.put(filesTarget('usb', 'full.gcode'), gcode(5000))).status, 201);
    }),
  );

  test('storage-full: Pi 500 after the body, target untouched', T, () =>
    withPrinter(optionsFor('pi'), async (printer, client) => {
      printer.seed('full.gcode', 'OLD');
      printer.inject({ kind: 'storage-full' });
      const res = await client.put(filesTarget('local', 'full.gcode'), gcode(5000), { Overwrite: '?1' });
      assert.equal(res.status, 500);
      assert.equal(printer.readFile('full.gcode')?.toString(), 'OLD');
    }),
  );

  test('Pi: an upload larger than the free space is a 500 after the body, target untouched', T, () =>
    withPrinter(optionsFor('pi', { totalSpace: 8_000 }), async (printer, client) => {
      printer.seed('full.gcode', 'OLD');
      assert.equal((await client.put(filesTarget('local', 'fits.gcode'), gcode(5_000))).status, 201);
      const res = await client.put(filesTarget('local', 'full.gcode'), gcode(3_000), { Overwrite: '?1' });
      assert.equal(res.status, 500);
      assert.equal(printer.requests().filter((r) => r.method === 'PUT')[1]?.bytesIn, 3_000, 'the whole body was taken');
      assert.equal(printer.readFile('full.gcode')?.toString(), 'OLD');
    }),
  );

  test('Buddy aborts a stalled upload with 408 after the idle timeout', T, () =>
    withPrinter(optionsFor('buddy', { uploadIdleTimeoutMs: 500 }), async (printer, client) => {
      printer.inject({ kind: 'stall', afterBytes: 1000, times: 1 });
      const res = await client.put(filesTarget('usb', 'stall.gcode'), gcode(20_000), {}, { timeoutMs: 10_000 }).catch((e: Error) => e);
      if (!(res instanceof Error)) {
        assert.equal(res.status, 408);
        // Errors raised while the body streams are text/plain whatever Accept says.
        assert.match(String(res.headers['content-type']), /text\/plain/);
      }
      assert.deepEqual(printer.files(), []);
      const log = printer.requests().find((r) => r.method === 'PUT');
      assert.equal(log?.status, 408);
    }),
  );

  test('a timed stall pauses the body and then lets the upload finish', T, async () => {
    for (const { personality } of PERSONALITIES) {
      await withPrinter(optionsFor(personality), async (printer, client) => {
        await client.fetchChallenge();
        printer.inject({ kind: 'stall', afterBytes: 1000, ms: 700, times: 1 });
        const started = Date.now();
        const res = await client.put(filesTarget(printer.storage, 'pause.gcode'), gcode(20_000));
        assert.equal(res.status, 201, personality);
        assert.ok(Date.now() - started >= 600, `${personality}: took ${Date.now() - started} ms`);
        assert.equal(printer.readFile('pause.gcode')?.length, 20_000);
      });
    }
  });
});
