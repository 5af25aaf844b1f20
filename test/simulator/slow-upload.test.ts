// A slow simulated printer: uploads taken at its rate while the client runs ahead, transfer progress
// from bytes taken, a reset drops the upload, a clean close completes it; trickle and endless faults.

import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { startPrinter, type SimPrinter, type SimPrinterOptions } from '../../src/simulator/index.js';
import { send } from './client.js';

const T = { timeout: 30_000 };
const RATE = 50_000;

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function keyHeaders(p: SimPrinter): Record<string, string> {
  return { 'X-Api-Key': p.credentials.apiKey ?? p.credentials.password, Accept: 'application/json' };
}

function storagePath(p: SimPrinter, path: string): string {
  return `/api/v1/files/${p.storage}/${path}`;
}

/** A PUT written straight onto a socket, so the test decides how the connection ends. */
function rawPut(p: SimPrinter, path: string, body: Buffer, overwrite: boolean): { socket: Socket; answer: Promise<string> } {
  const socket = connect(p.port, '127.0.0.1');
  const head = [
    `PUT ${storagePath(p, path)} HTTP/1.1`,
    'Host: 127.0.0.1',
    `X-Api-Key: ${p.credentials.apiKey ?? p.credentials.password}`,
    'Content-Type: text/x.gcode',
    `Content-Length: ${body.length}`,
    ...(overwrite ? ['Overwrite: ?1'] : []),
    '',
    '',
  ].join('\r\n');
  socket.write(head);
  socket.write(body);
  let text = '';
  socket.setEncoding('latin1').on('data', (d: string) => (text += d));
  const answer = new Promise<string>((resolve) => {
    socket.on('close', () => resolve(text));
    socket.on('error', () => undefined);
  });
  return { socket, answer };
}

async function waitFor(what: string, test: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A printer of this test's own, closed when the test ends. */
async function printerFor(t: TestContext, options: SimPrinterOptions): Promise<SimPrinter> {
  const p = await startPrinter(options);
  t.after(() => p.close());
  return p;
}

const PERSONALITIES: Array<[string, SimPrinterOptions]> = [
  ['Buddy', { model: 'MK4', rateBytesPerSec: RATE }],
  ['Pi', { model: 'MK3S', rateBytesPerSec: RATE, apiKey: 'pi-key-123' }],
];

// Every test has its own printer and mostly waits for it: the tests of this file run side by side.
describe('slow printers and slow-answer faults', { concurrency: true }, () => {
  for (const [label, options] of PERSONALITIES) {
    describe(`a slow ${label} printer`, () => {
      it('takes the body at its rate and reports bytes taken, not bytes the kernel holds', T, async (t) => {
        const p = await printerFor(t, options);
        const body = Buffer.alloc(300_000, 0x47);
        const started = Date.now();
        const put = rawPut(p, 'slow.gcode', body, false);
        await waitFor('the transfer to start', () => (p.transfer()?.transferred ?? 0) > 0);
        await new Promise((r) => setTimeout(r, 1000));
        const taken = p.transfer()!.transferred;
        const elapsed = (Date.now() - started) / 1000;
        // The client wrote all 300 kB into its socket at once; the printer took only its rate's worth.
        assert.ok(taken <= RATE * elapsed + 16_384, `took ${taken} bytes in ${elapsed} s`);
        assert.ok(taken < body.length);
        const status = await send(p, 'GET', '/api/v1/status', { headers: keyHeaders(p) });
        const transfer = (JSON.parse(status.text) as { transfer: Record<string, unknown> }).transfer;
        const field = label === 'Buddy' ? 'transferred' : 'data_transferred';
        assert.equal(typeof transfer[field], 'number', `status transfer has ${field}: ${status.text}`);
        assert.ok((transfer[field] as number) <= body.length);
        const polled = await send(p, 'GET', '/api/v1/transfer', { headers: keyHeaders(p) });
        assert.equal(polled.status, 200);
        const info = JSON.parse(polled.text) as { transferred: number; size: number };
        assert.equal(info.size, body.length);
        assert.ok(info.transferred < body.length);
        put.socket.resetAndDestroy();
        await put.answer;
      });

      it('drops an upload ended by a TCP reset at once and keeps the old file', T, async (t) => {
        const p = await printerFor(t, options);
        p.seed('keep.gcode', 'old content\n');
        const before = p.files();
        const put = rawPut(p, 'keep.gcode', Buffer.alloc(300_000, 0x41), true);
        await waitFor('the transfer to move', () => (p.transfer()?.transferred ?? 0) > 20_000);
        put.socket.resetAndDestroy();
        await waitFor('the transfer to end after the reset', () => p.transfer() === undefined, 2_000);
        const kept = p.files().find((f) => f.path === 'keep.gcode');
        assert.equal(kept?.sha256, before.find((f) => f.path === 'keep.gcode')?.sha256);
        assert.equal(p.readFile('keep.gcode')?.toString(), 'old content\n');
        if (label === 'Buddy')
          assert.deepEqual(
            p.files().map((f) => f.path),
            ['keep.gcode'],
            'the temp file is gone',
          );
      });

      it('completes an upload whose client sent every byte and then closed its side', T, async (t) => {
        const p = await printerFor(t, options);
        const body = Buffer.alloc(50_000, 0x42); // 1 s at the printer's rate, all of it in the kernel's buffers at once
        const put = rawPut(p, 'fin.gcode', body, false);
        put.socket.end(); // FIN after the whole body: the printer still reads what was buffered
        const answer = await put.answer;
        assert.match(answer, /^HTTP\/1\.[01] 201/);
        assert.equal(p.files().find((f) => f.path === 'fin.gcode')?.sha256, sha(body));
      });
    });
  }

  describe('slow-answer and endless-listing faults', () => {
    it('trickles a matching answer one byte at a time', T, async (t) => {
      const p = await printerFor(t, { model: 'MK4' });
      p.inject({ kind: 'trickle', intervalMs: 5, times: 1, pathPrefix: '/api/version' });
      const pieces: Buffer[] = [];
      const status = await new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: p.port, path: '/api/version', headers: keyHeaders(p), agent: false }, (res) => {
          res.on('data', (d: Buffer) => pieces.push(d));
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(status, 200);
      const text = Buffer.concat(pieces).toString('utf8');
      assert.equal((JSON.parse(text) as { api: string }).api, '2.0.0');
      assert.equal(pieces.length, Buffer.byteLength(text), 'one byte per piece');
    });

    for (const model of ['MK4', 'MK3S'] as const) {
      it(`${model}: lists one more folder in every folder listed`, T, async (t) => {
        const p = await printerFor(t, { model, ...(model === 'MK3S' ? { apiKey: 'k-123456' } : {}) });
        p.inject({ kind: 'endless-listing' });
        let target = storagePath(p, '');
        for (let depth = 0; depth < 5; depth++) {
          const reply = await send(p, 'GET', target, { headers: keyHeaders(p) });
          assert.equal(reply.status, 200, reply.text);
          const listing = JSON.parse(reply.text) as { children: Array<{ type: string; name: string; display_name?: string }> };
          const next = listing.children.find((c) => c.type === 'FOLDER');
          assert.ok(next, `level ${depth} holds a folder`);
          target = `${target.replace(/\/$/, '')}/${next.name}`;
        }
      });
    }

    it('Buddy reports the X and Y axes while not printing', T, async (t) => {
      const p = await printerFor(t, { model: 'MK4' });
      const reply = await send(p, 'GET', '/api/v1/status', { headers: keyHeaders(p) });
      const printer = (JSON.parse(reply.text) as { printer: Record<string, unknown> }).printer;
      assert.equal(typeof printer['axis_x'], 'number');
      assert.equal(typeof printer['axis_y'], 'number');
    });
  });
});
