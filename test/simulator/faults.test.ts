// Injected faults, the upload rate limit and the idle timeout, seen from a client.

import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { startPrinter, type SimPrinter, type SimPrinterOptions } from '../../src/simulator/index.js';
import { authed, json } from './client.js';

const T = { timeout: 20_000 };

/** A printer of this test's own, closed when the test ends. */
async function printerFor(t: TestContext, options: SimPrinterOptions): Promise<SimPrinter> {
  const p = await startPrinter(options);
  t.after(() => p.close());
  return p;
}

// Every test has its own printer: they run side by side.
describe('simulator faults', { concurrency: true }, () => {
  it('answers N requests with an injected status, then behaves again', T, async (t) => {
    const p = await printerFor(t, { model: 'XL' });
    p.inject({ kind: 'status', status: 503, times: 2, pathPrefix: '/api/v1/status' });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await authed(p, 'GET', '/api/v1/status')).status);
    assert.deepEqual(codes, [503, 503, 200]);
    assert.equal((await authed(p, 'GET', '/api/version')).status, 200);
  });

  it('slows matching responses down by the injected delay', T, async (t) => {
    const p = await printerFor(t, { model: 'MK4' });
    p.inject({ kind: 'delay', ms: 150, times: 1, method: 'GET', pathPrefix: '/api/v1/info' });
    await authed(p, 'GET', '/api/v1/info');
    const entry = p.requests().find((e) => e.target === '/api/v1/info');
    assert.ok((entry?.durationMs ?? 0) >= 140, `took ${entry?.durationMs} ms`);
  });

  it('sends truncated JSON when asked', T, async (t) => {
    const p = await printerFor(t, { model: 'MK3S' });
    p.inject({ kind: 'malformed-json', times: 1, pathPrefix: '/api/v1/storage' });
    const r = await authed(p, 'GET', '/api/v1/storage');
    assert.equal(r.status, 200);
    assert.throws(() => json(r), SyntaxError);
  });

  it('answers 507 while the storage is full', T, async (t) => {
    const p = await printerFor(t, { model: 'MINI' });
    p.inject({ kind: 'storage-full' });
    const r = await authed(p, 'PUT', '/api/v1/files/usb/a.gcode', { body: 'x' });
    assert.equal(r.status, 507);
    p.clearFaults();
    assert.equal((await authed(p, 'PUT', '/api/v1/files/usb/a.gcode', { body: 'x' })).status, 201);
  });

  it('a connection reset mid-upload on Buddy leaves the old file and frees the transfer slot', T, async (t) => {
    const p = await printerFor(t, { model: 'MK4' });
    p.seed('a.gcode', 'old');
    p.inject({ kind: 'reset-after-bytes', bytes: 4096, times: 1 });
    const r = await authed(p, 'PUT', '/api/v1/files/usb/a.gcode', { body: Buffer.alloc(100_000, 1), headers: { Overwrite: '?1' } });
    assert.equal(r.status, 0);
    assert.deepEqual(
      p.files().map((f) => [f.path, f.size]),
      [['a.gcode', 3]],
    );
    assert.equal(p.requests().find((e) => e.method === 'PUT')?.bytesIn, 4096);
    const again = await authed(p, 'PUT', '/api/v1/files/usb/a.gcode', { body: 'new', headers: { Overwrite: '?1' } });
    assert.equal(again.status, 201);
  });

  it('a stalled upload makes no progress; the printer gives up after its idle timeout and frees the slot', T, async (t) => {
    const p = await printerFor(t, { model: 'MK4', uploadIdleTimeoutMs: 400 });
    p.inject({ kind: 'stall', afterBytes: 1, times: 1 });
    const r = await authed(p, 'PUT', '/api/v1/files/usb/s.gcode', { body: Buffer.alloc(8 * 1024 * 1024, 1), abortAfterMs: 200 });
    assert.equal(r.status, 0);
    for (let i = 0; i < 100 && json(await authed(p, 'GET', '/api/v1/status')).transfer; i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(json(await authed(p, 'GET', '/api/v1/status')).transfer, undefined);
    assert.deepEqual(p.files(), []);
    assert.equal((await authed(p, 'PUT', '/api/v1/files/usb/s.gcode', { body: 'x' })).status, 201);
  });

  it('Buddy answers 408 when the client sends nothing for the idle timeout', T, async (t) => {
    const p = await printerFor(t, { model: 'MK4', uploadIdleTimeoutMs: 200 });
    const r = await authed(p, 'PUT', '/api/v1/files/usb/i.gcode', { body: Buffer.alloc(1000, 1), stopAfter: 10 });
    assert.equal(r.status, 408);
    assert.match(String(r.headers['content-type']), /text\/plain/);
    assert.deepEqual(p.files(), []);
  });

  it('limits the upload rate: 60 kB at 200 kB/s takes at least 0.25 s', T, async (t) => {
    const p = await printerFor(t, { model: 'MK3S', rateBytesPerSec: 200_000 });
    const r = await authed(p, 'PUT', '/api/v1/files/local/r.gcode', {
      body: Buffer.alloc(60_000, 1),
      headers: { 'Content-Type': 'text/x.gcode' },
    });
    assert.equal(r.status, 201);
    const entry = p.requests().find((e) => e.method === 'PUT');
    assert.ok((entry?.durationMs ?? 0) >= 250, `took ${entry?.durationMs} ms`);
    assert.equal(entry?.bytesIn, 60_000);
  });
});
