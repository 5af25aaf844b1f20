// The request layer over real sockets: early answers to uploads, broken connections, timeouts,
// aborts, one socket per printer, stale pooled sockets. Small purpose-built servers on 127.0.0.1.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { PrinterError, SourceError } from '../../src/errors.js';
import type { UploadBody } from '../../src/printer/api.js';
import { generatedBody } from '../helpers/bodies.js';
import { testClient, withServer } from '../helpers/test-server.js';

const T = { timeout: 15_000 };

const client = testClient;

const bodyOf = generatedBody;

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  assert.fail('expected a rejection');
}

test('uses an answer that arrives before the upload body is read, even if the socket then breaks', T, async () => {
  await withServer(
    (_req, res) => {
      res.writeHead(409, { 'Content-Type': 'application/json', Connection: 'close' });
      res.end(JSON.stringify({ title: '409: Conflict', message: 'File already exists' }));
    },
    async (baseUrl) => {
      const http = client(baseUrl);
      let sent = 0;
      const res = await http.request({
        method: 'PUT',
        target: '/api/v1/files/usb/a.gcode',
        what: 'upload of a.gcode',
        body: bodyOf(64 * 1024 * 1024),
        onBytes: (n) => (sent = n),
      });
      http.close();
      assert.equal(res.status, 409);
      assert.equal(JSON.parse(res.body.toString()).message, 'File already exists');
      assert.ok(sent < 64 * 1024 * 1024, 'the rest of the body was not sent');
    },
  );
});

test('reports an upload cut off without an answer as an unknown outcome', T, async () => {
  await withServer(
    (req) => {
      let got = 0;
      req.on('data', (c: Buffer) => {
        got += c.length;
        if (got > 100_000) req.socket.destroy();
      });
    },
    async (baseUrl) => {
      const http = client(baseUrl);
      const err = await rejection(
        http.request({ method: 'PUT', target: '/api/v1/files/usb/b.gcode', what: 'upload of b.gcode', body: bodyOf(8 * 1024 * 1024) }),
      );
      http.close();
      assert.ok(err instanceof PrinterError);
      assert.equal(err.kind, 'unknown-outcome');
      assert.match(err.message, /^printer p1: connection lost during upload of b\.gcode after \d+ of 8388608 bytes/);
    },
  );
});

test('a lost upload says how much the printer had confirmed, not only what the socket took', T, async () => {
  const size = 8 * 1024 * 1024;
  await withServer(
    (req) => {
      let got = 0;
      req.on('data', (c: Buffer) => {
        got += c.length;
        // A slow printer: it stops reading, so the sender's buffers fill, then the link breaks after a poll.
        if (got > 100_000 && !req.isPaused()) {
          req.pause();
          setTimeout(() => req.socket.destroy(), 2_600);
        }
      });
    },
    async (baseUrl) => {
      const http = client(baseUrl);
      const err = await rejection(
        http.request({
          method: 'PUT',
          target: '/api/v1/files/usb/d.gcode',
          what: 'upload of d.gcode',
          body: bodyOf(size),
          transferPoll: async () => ({ transferred: 65_536, size }),
        }),
      );
      http.close();
      assert.ok(err instanceof PrinterError);
      assert.equal(err.kind, 'unknown-outcome');
      assert.match(err.message, /after (\d+) of 8388608 bytes were sent, of which the printer had confirmed 65536 \(ECONNRESET\)$/);
      const sent = Number(/after (\d+) of/.exec(err.message)![1]);
      assert.ok(sent > 65_536, `the socket took more (${sent}) than the printer confirmed`);
    },
  );
});

test('refuses a body that does not match its announced size and says it is the file', T, async () => {
  await withServer(
    (req, res) => {
      req.resume();
      req.on('end', () => res.end('{}'));
    },
    async (baseUrl) => {
      const http = client(baseUrl);
      const short: UploadBody = { size: 100, open: () => Readable.from([Buffer.alloc(40)]) };
      const err = await rejection(http.request({ method: 'PUT', target: '/x.gcode', what: 'upload of x.gcode', body: short }));
      http.close();
      assert.ok(err instanceof SourceError);
      assert.match(err.message, /40 bytes instead of 100/);
    },
  );
});

test('gives up on a printer that does not answer in time', T, async () => {
  await withServer(
    () => {
      /* never answers */
    },
    async (baseUrl) => {
      const http = client(baseUrl, { timeouts: { responseMs: 300 } });
      const err = await rejection(http.request({ method: 'GET', target: '/api/version', what: 'reading /api/version' }));
      http.close();
      assert.ok(err instanceof PrinterError);
      assert.equal(err.kind, 'unreachable');
      assert.match(err.message, /ETIMEDOUT/);
    },
  );
});

test('stops a request when the signal aborts', T, async () => {
  await withServer(
    () => {
      /* never answers */
    },
    async (baseUrl) => {
      const http = client(baseUrl);
      const ac = new AbortController();
      const pending = http.request({ method: 'GET', target: '/slow', what: 'reading /slow', signal: ac.signal });
      setTimeout(() => ac.abort(), 50);
      const err = await rejection(pending);
      http.close();
      assert.ok(err instanceof PrinterError);
      assert.equal(err.kind, 'aborted');
    },
  );
});

test('a signal aborted before the request starts rejects as aborted, sends nothing, and keeps the process alive', T, async () => {
  let requests = 0;
  await withServer(
    () => {
      requests += 1;
    },
    async (baseUrl) => {
      const http = client(baseUrl);
      const ac = new AbortController();
      ac.abort();
      const err = await rejection(http.request({ method: 'GET', target: '/never', what: 'reading /never', signal: ac.signal }));
      // An unhandled 'error' from the destroyed request would end the test process here, before this line.
      await new Promise((r) => setTimeout(r, 50));
      http.close();
      assert.ok(err instanceof PrinterError);
      assert.equal(err.kind, 'aborted');
      assert.equal(requests, 0);
    },
  );
});

test('sends one request at a time over one kept-alive socket', T, async () => {
  let active = 0;
  let maxActive = 0;
  const ports = new Set<number>();
  await withServer(
    (req, res) => {
      active++;
      maxActive = Math.max(maxActive, active);
      ports.add(req.socket.remotePort ?? 0);
      setTimeout(() => {
        active--;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ ua: req.headers['user-agent'], key: req.headers['x-api-key'] }));
      }, 10);
    },
    async (baseUrl) => {
      const http = client(baseUrl);
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => http.request({ method: 'GET', target: `/r${i}`, what: `reading /r${i}` })),
      );
      http.close();
      assert.equal(maxActive, 1);
      assert.equal(ports.size, 1, 'every request used the same connection');
      for (const r of results) assert.deepEqual(JSON.parse(r.body.toString()), { ua: 'link-sync/test', key: 'key-123456' });
    },
  );
});

test('retries a read once when the kept-alive socket was closed by the printer', T, async () => {
  let n = 0;
  await withServer(
    (req, res) => {
      n++;
      if (n === 2) return void req.socket.destroy(); // the printer dropped the idle connection
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(`{"n":${n}}`);
    },
    async (baseUrl) => {
      const http = client(baseUrl);
      const first = await http.request({ method: 'GET', target: '/a', what: 'reading /a' });
      const second = await http.request({ method: 'GET', target: '/b', what: 'reading /b' });
      http.close();
      assert.equal(first.status, 200);
      assert.deepEqual(JSON.parse(second.body.toString()), { n: 3 });
    },
  );
});

test('reports a wrong API key as an auth error without the key in the message', T, async () => {
  await withServer(
    (_req, res) => {
      res.writeHead(403, { 'Content-Type': 'text/plain' });
      res.end('Bad X-Api-Key.');
    },
    async (baseUrl) => {
      const http = client(baseUrl);
      const err = await rejection(http.request({ method: 'GET', target: '/api/version', what: 'reading /api/version' }));
      http.close();
      assert.ok(err instanceof PrinterError);
      assert.equal(err.kind, 'auth');
      assert.equal(err.message, 'printer p1: credentials refused when reading /api/version (403 Bad X-Api-Key.)');
      assert.ok(!JSON.stringify({ m: err.message, h: err.hint }).includes('key-123456'));
    },
  );
});

test('reports a closed port as unreachable', T, async () => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  const http = client(`http://127.0.0.1:${port}`);
  const err = await rejection(http.request({ method: 'GET', target: '/api/version', what: 'reading /api/version' }));
  http.close();
  assert.ok(err instanceof PrinterError);
  assert.equal(err.kind, 'unreachable');
  assert.match(err.message, /ECONNREFUSED/);
});

/** A body read into the caller's buffers: byte i is i % 251; counts opens, closes and reads. */
function readerBodyOf(size: number, actual = size): UploadBody & { stats: { opened: number; closed: number; reads: number } } {
  const stats = { opened: 0, closed: 0, reads: 0 };
  return {
    size,
    stats,
    open(): Readable {
      throw new Error('the stream is not used when a reader is offered');
    },
    openReader() {
      stats.opened++;
      let at = 0;
      return {
        read: async (into: Buffer) => {
          stats.reads++;
          await new Promise<void>((r) => setImmediate(r));
          const n = Math.min(into.length, actual - at);
          for (let i = 0; i < n; i++) into[i] = (at + i) % 251;
          at += n;
          return n;
        },
        close: () => void stats.closed++,
      };
    },
  };
}

test('sends a reader body whole and in order through reused buffers, then closes the reader', T, async () => {
  const size = 3 * 65536 + 1234;
  await withServer(
    (req, res) => {
      let at = 0;
      let wrong = 0;
      req.on('data', (c: Buffer) => {
        for (const b of c) if (b !== at++ % 251) wrong++;
      });
      req.on('end', () => res.end(JSON.stringify({ at, wrong })));
    },
    async (baseUrl) => {
      const http = client(baseUrl);
      const body = readerBodyOf(size);
      const progress: number[] = [];
      const res = await http.request({
        method: 'PUT',
        target: '/r.gcode',
        what: 'upload of r.gcode',
        body,
        onBytes: (n) => progress.push(n),
      });
      http.close();
      assert.deepEqual(JSON.parse(res.body.toString()), { at: size, wrong: 0 });
      assert.equal(progress.at(-1), size);
      assert.deepEqual(body.stats, { opened: 1, closed: 1, reads: 5 });
    },
  );
});

test('stops reading a reader body at an early answer and closes it', T, async () => {
  await withServer(
    (_req, res) => {
      res.writeHead(409, { 'Content-Type': 'application/json', Connection: 'close' });
      res.end(JSON.stringify({ title: '409: Conflict', message: 'File already exists' }));
    },
    async (baseUrl) => {
      const http = client(baseUrl);
      const body = readerBodyOf(64 * 1024 * 1024);
      const res = await http.request({ method: 'PUT', target: '/e.gcode', what: 'upload of e.gcode', body });
      http.close();
      assert.equal(res.status, 409);
      assert.ok(body.stats.reads < 1024, `reads: ${body.stats.reads}`);
      assert.equal(body.stats.closed, 1);
    },
  );
});

test('refuses a reader body shorter than announced and says it is the file', T, async () => {
  await withServer(
    (req, res) => {
      req.resume();
      req.on('end', () => res.end('{}'));
    },
    async (baseUrl) => {
      const http = client(baseUrl);
      const body = readerBodyOf(100_000, 40_000);
      const err = await rejection(http.request({ method: 'PUT', target: '/s.gcode', what: 'upload of s.gcode', body }));
      http.close();
      assert.ok(err instanceof SourceError);
      assert.match(err.message, /40000 bytes instead of 100000/);
      assert.equal(body.stats.closed, 1);
    },
  );
});

test('sends a small reader body whole, and refuses one that grew past its announced size', T, async () => {
  await withServer(
    (req, res) => {
      let at = 0;
      let wrong = 0;
      req.on('data', (c: Buffer) => {
        for (const b of c) if (b !== at++ % 251) wrong++;
      });
      req.on('end', () => res.end(JSON.stringify({ at, wrong })));
      req.on('error', () => undefined);
    },
    async (baseUrl) => {
      const http = client(baseUrl);
      const exact = readerBodyOf(20_000);
      const res = await http.request({ method: 'PUT', target: '/small.gcode', what: 'upload of small.gcode', body: exact });
      assert.deepEqual(JSON.parse(res.body.toString()), { at: 20_000, wrong: 0 });
      assert.deepEqual(exact.stats, { opened: 1, closed: 1, reads: 2 });
      for (const grown of [20_001, 20_000 + 70_000]) {
        const body = readerBodyOf(20_000, grown);
        const err = await rejection(http.request({ method: 'PUT', target: '/grown.gcode', what: 'upload of grown.gcode', body }));
        assert.ok(err instanceof SourceError, `grown to ${grown}`);
        assert.match(err.message, /the file changed while it was being sent/);
        assert.equal(body.stats.closed, 1);
      }
      http.close();
    },
  );
});

test('gives up on a printer that stops taking a reader body, and closes the reader', T, async () => {
  await withServer(
    (req) => req.pause(),
    async (baseUrl) => {
      const http = client(baseUrl, { timeouts: { stallMs: 300 } });
      const body = readerBodyOf(256 * 1024 * 1024);
      const err = await rejection(http.request({ method: 'PUT', target: '/t.gcode', what: 'upload of t.gcode', body }));
      http.close();
      assert.ok(err instanceof PrinterError);
      assert.match(err.message, /no upload progress/);
      assert.equal(body.stats.closed, 1);
    },
  );
});

test('stops a reader upload when the signal aborts, and closes the reader', T, async () => {
  await withServer(
    (req) => req.pause(),
    async (baseUrl) => {
      const http = client(baseUrl);
      const ac = new AbortController();
      const body = readerBodyOf(256 * 1024 * 1024);
      const pending = http.request({ method: 'PUT', target: '/a.gcode', what: 'upload of a.gcode', body, signal: ac.signal });
      setTimeout(() => ac.abort(), 100);
      const err = await rejection(pending);
      http.close();
      assert.ok(err instanceof PrinterError);
      assert.equal(err.kind, 'aborted');
      assert.equal(body.stats.closed, 1);
    },
  );
});
