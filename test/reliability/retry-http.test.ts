// Retries, timeouts and aborts of the request layer, against small purpose-built servers on 127.0.0.1.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PrinterHttp, HttpClientOptions, RetryNotice } from '../../src/printer/http.js';
import { PrusaLinkV1 } from '../../src/printer/prusalink/v1.js';
import { DEFAULT_RETRY_POLICY } from '../../src/printer/retry.js';
import { closedPort } from '../helpers/ports.js';
import { generatedBody, printerRejection } from '../helpers/bodies.js';
import { testClient, withServer } from '../helpers/test-server.js';

const T = { timeout: 15_000 };
const FAST = { ...DEFAULT_RETRY_POLICY, retries: 3, baseDelayMs: 10, maxDelayMs: 40 };

const client = (baseUrl: string, extra: Partial<HttpClientOptions> = {}): PrinterHttp => testClient(baseUrl, { retry: FAST, ...extra });

const bodyOf = generatedBody;
const rejection = printerRejection;

test('retries a burst of 503s, honouring Retry-After, and tells about each retry', T, async () => {
  await withServer(
    (_req, res, n) => {
      if (n <= 2) {
        res.writeHead(503, { 'Retry-After': '0', 'Content-Type': 'text/plain' });
        return void res.end('busy');
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{}');
    },
    async (url) => {
      const notices: RetryNotice[] = [];
      const http = client(url, { onRetry: (n) => notices.push(n) });
      const res = await http.request({ method: 'GET', target: '/api/v1/status', what: 'reading the status' });
      http.close();
      assert.equal(res.status, 200);
      assert.equal(res.attempts, 3);
      assert.deepEqual(
        notices.map((n) => [n.retry, n.delayMs, n.reason]),
        [
          [1, 0, 'the printer answered 503'],
          [2, 0, 'the printer answered 503'],
        ],
      );
    },
  );
});

test('does not wait for a Retry-After longer than the policy allows', T, async () => {
  await withServer(
    (_req, res) => {
      res.writeHead(503, { 'Retry-After': '3600' });
      res.end();
    },
    async (url) => {
      const http = client(url);
      const res = await http.request({ method: 'GET', target: '/api/v1/status', what: 'reading the status' });
      http.close();
      assert.deepEqual([res.status, res.attempts], [503, 1]);
    },
  );
});

test('re-sends an upload refused with 409 "Another transfer in progress", re-reading the body', T, async () => {
  await withServer(
    (req, res, n) => {
      if (n === 1) {
        res.writeHead(409, { 'Content-Type': 'application/json', Connection: 'close' });
        return void res.end(JSON.stringify({ title: 'Conflict', message: 'Another transfer in progress' }));
      }
      req.resume();
      req.on('end', () => {
        res.writeHead(201);
        res.end();
      });
    },
    async (url) => {
      const opened = { count: 0 };
      const http = client(url);
      const res = await http.request({
        method: 'PUT',
        target: '/api/v1/files/usb/a.gcode',
        what: 'upload of a.gcode',
        body: bodyOf(200_000, opened),
      });
      http.close();
      assert.deepEqual([res.status, res.attempts, opened.count], [201, 2, 2]);
    },
  );
});

test('never re-sends an upload whose connection broke after it went out', T, async () => {
  let requests = 0;
  await withServer(
    (req) => {
      requests++;
      let got = 0;
      req.on('data', (c: Buffer) => {
        got += c.length;
        if (got > 50_000) req.socket.destroy();
      });
    },
    async (url) => {
      const http = client(url);
      const err = await rejection(
        http.request({ method: 'PUT', target: '/api/v1/files/usb/b.gcode', what: 'upload of b.gcode', body: bodyOf(4 * 1024 * 1024) }),
      );
      http.close();
      assert.equal(err.kind, 'unknown-outcome');
    },
  );
  assert.equal(requests, 1);
});

test('gives up on refused connections after the retries, saying how many attempts it made', T, async () => {
  const port = await closedPort();
  const notices: RetryNotice[] = [];
  const http = client(`http://127.0.0.1:${port}`, { onRetry: (n) => notices.push(n) });
  const err = await rejection(http.request({ method: 'GET', target: '/api/version', what: 'reading /api/version' }));
  http.close();
  assert.equal(err.kind, 'unreachable');
  assert.match(err.message, /ECONNREFUSED\), after 4 attempts$/);
  assert.equal(notices.length, 3);
});

test('an abort cuts the wait between attempts short', T, async () => {
  const port = await closedPort();
  const controller = new AbortController();
  const http = client(`http://127.0.0.1:${port}`, {
    retry: { ...FAST, baseDelayMs: 60_000, maxDelayMs: 60_000 },
    signal: controller.signal,
    random: () => 1,
  });
  const started = Date.now();
  setTimeout(() => controller.abort(), 100);
  const err = await rejection(http.request({ method: 'GET', target: '/api/version', what: 'reading /api/version' }));
  http.close();
  assert.equal(err.kind, 'aborted');
  assert.ok(Date.now() - started < 10_000, 'did not sit out the 60 s backoff');
});

test('an upload the printer stops taking fails after the stall timeout, as an unknown outcome', T, async () => {
  await withServer(
    (req) => {
      req.pause(); // takes nothing, answers nothing
    },
    async (url) => {
      const http = client(url, { timeouts: { stallMs: 300, responseMs: 5_000 } });
      const err = await rejection(
        http.request({ method: 'PUT', target: '/api/v1/files/usb/s.gcode', what: 'upload of s.gcode', body: bodyOf(32 * 1024 * 1024) }),
      );
      http.close();
      assert.equal(err.kind, 'unknown-outcome');
      assert.match(err.message, /no upload progress for 0\.3 s during upload of s\.gcode after \d+ of 33554432 bytes/);
    },
  );
});

test('an upload slower than its size allows fails at its deadline', T, async () => {
  await withServer(
    (req) => {
      // Reads 16 kB every 100 ms: always progressing, never fast enough.
      req.pause();
      const timer = setInterval(() => req.read(16_384) ?? req.resume(), 100);
      req.on('data', () => req.pause());
      req.on('close', () => clearInterval(timer));
    },
    async (url) => {
      // 4 MiB at 10 MB/s plus 0.3 s: 0.7 s, far below the 5 s stall limit and the 26 s the reading takes.
      const http = client(url, { timeouts: { stallMs: 5_000, uploadMinBytesPerSec: 10_000_000, uploadGraceMs: 300 } });
      const err = await rejection(
        http.request({ method: 'PUT', target: '/api/v1/files/usb/d.gcode', what: 'upload of d.gcode', body: bodyOf(4 * 1024 * 1024) }),
      );
      http.close();
      assert.equal(err.kind, 'unknown-outcome');
      assert.match(err.message, /not finished within 0\.7 s during upload of d\.gcode/);
    },
  );
});

test('a delete whose first answer was lost counts as done when the retry finds the file gone', T, async () => {
  const files = new Set(['old.gcode']);
  await withServer(
    (req, res, n) => {
      const name =
        decodeURIComponent(req.url ?? '')
          .split('/')
          .pop() ?? '';
      if (!files.has(name)) {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        return void res.end('{"title":"Not Found","message":"File not found"}');
      }
      files.delete(name);
      if (n === 1) return void req.socket.destroy(); // deleted, but the answer never leaves
      res.writeHead(204);
      res.end();
    },
    async (url) => {
      const api = new PrusaLinkV1(client(url));
      await api.remove('usb', 'old.gcode');
      api.close();
      assert.equal(files.size, 0);
    },
  );
});

test('a listing cut off before its Content-Length is a lost connection: tried again, never used as it came', T, async () => {
  await withServer(
    (_req, res, n) => {
      const whole = '{"type":"FOLDER","name":"usb","children":[{"name":"a.gcode","type":"PRINT_FILE","size":5}]}';
      if (n === 1) {
        // A valid JSON start, then the connection ends 5000 bytes short.
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '5000' });
        return void res.write('{"type":"FOLDER","name":"usb","children":[]}', () => res.socket?.destroy());
      }
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(whole) });
      res.end(whole);
    },
    async (url) => {
      const notices: RetryNotice[] = [];
      const api = new PrusaLinkV1(client(url, { onRetry: (n) => notices.push(n) }));
      const entries = await api.list('usb', '');
      api.close();
      assert.deepEqual(
        entries?.map((e) => e.name),
        ['a.gcode'],
      );
      assert.deepEqual(
        notices.map((n) => n.reason),
        ['connection lost (ECONNRESET)'],
      );
    },
  );
});

test('a chunked answer cut off before its last chunk fails as a lost connection', T, async () => {
  await withServer(
    (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"printer":{"state":"IDLE"}}', () => res.socket?.destroy());
    },
    async (url) => {
      const http = testClient(url);
      const err = await rejection(http.request({ method: 'GET', target: '/api/v1/status', what: 'reading the status' }));
      http.close();
      assert.equal(err.kind, 'unreachable');
      assert.match(err.message, /^printer p1: connection lost during reading the status: the answer broke off after 28 bytes$/);
    },
  );
});

test('an upload whose answer is cut off is an unknown outcome, never sent again', T, async () => {
  let requests = 0;
  await withServer(
    (req, res) => {
      requests++;
      req.resume();
      req.on('end', () => {
        res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': '500' });
        res.write('{"name":"C.GCO"', () => res.socket?.destroy());
      });
    },
    async (url) => {
      const http = client(url);
      const err = await rejection(
        http.request({ method: 'PUT', target: '/api/v1/files/usb/c.gcode', what: 'upload of c.gcode', body: bodyOf(100_000) }),
      );
      http.close();
      assert.equal(err.kind, 'unknown-outcome');
      assert.match(
        err.message,
        /^printer p1: connection lost during upload of c\.gcode after 100000 of 100000 bytes were sent \(ECONNRESET\)$/,
      );
    },
  );
  assert.equal(requests, 1);
});

test('an upload is stalled when the printer reports more bytes taken than the file has, and no more', { timeout: 30_000 }, async () => {
  const size = 20_000;
  await withServer(
    (req, res) => {
      if (req.method === 'PUT') return void req.pause(); // never answers
      // A count past the file's size, the same at every poll.
      const body = JSON.stringify({ transferred: 50 * size });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    },
    async (url) => {
      // Without the stall, only the upload's whole-time limit (2 s + 10 s) would end it.
      const api = new PrusaLinkV1(client(url, { timeouts: { stallMs: 300, uploadGraceMs: 10_000 } }));
      const err = await rejection(api.upload('usb', 'o.gcode', bodyOf(size), { overwrite: false }));
      api.close();
      assert.equal(err.kind, 'unknown-outcome');
      assert.match(err.message, /^printer p1: the printer took every byte but gave no answer for 0\.3 s during upload of o\.gcode/);
    },
  );
});
