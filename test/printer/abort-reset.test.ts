// Abort means reset: an upload given up (Ctrl-C, a stall, a deadline) ends with a TCP reset, so the
// printer never receives the bytes still waiting in the kernel's buffers; an abort that came before
// the request never reaches the printer and never crashes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { PrinterError } from '../../src/errors.js';
import { generatedBody } from '../helpers/bodies.js';
import { testClient } from '../helpers/test-server.js';

const T = { timeout: 15_000 };

/** A server that reads nothing, then asks its kernel how the connection ended. */
async function pausedServer(): Promise<{
  url: string;
  connections: () => number;
  ending: () => Promise<string>;
  close: () => Promise<void>;
}> {
  let socket: Socket | undefined;
  let connections = 0;
  const server = createServer((s) => {
    connections++;
    socket = s;
    s.pause();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    // A zero-byte write sends nothing but reports a reset the kernel received (ECONNRESET); after a
    // close (FIN) it succeeds, and the kernel would go on delivering every buffered byte.
    ending: () =>
      new Promise((resolve) => {
        const s = socket!;
        s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
        s.write(Buffer.alloc(0), () => setTimeout(() => resolve('no reset'), 300));
      }),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

test('an aborted upload resets the connection, so the bytes still in buffers are discarded', T, async () => {
  const server = await pausedServer();
  const http = testClient(server.url);
  try {
    const ac = new AbortController();
    let sent = 0;
    const body = generatedBody(16 * 1024 * 1024);
    const pending = http.request({
      method: 'PUT',
      target: '/api/v1/files/usb/a.gcode',
      what: 'upload of a.gcode',
      body,
      signal: ac.signal,
      onBytes: (n) => (sent = n),
    });
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (sent > 256 * 1024) {
          clearInterval(check);
          resolve();
        }
      }, 10);
    });
    ac.abort();
    const err = await pending.catch((e: unknown) => e);
    assert.ok(err instanceof PrinterError);
    assert.equal(err.kind, 'aborted');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await server.ending(), 'ECONNRESET', 'the connection was reset, not closed');
  } finally {
    http.close();
    await server.close();
  }
});

test('a signal aborted before the request starts: no connection, a clean "interrupted" error', T, async () => {
  const server = await pausedServer();
  const http = testClient(server.url);
  try {
    const ac = new AbortController();
    ac.abort();
    for (const body of [undefined, generatedBody(1000)]) {
      const err = await http
        .request({
          method: body ? 'PUT' : 'GET',
          target: '/api/v1/status',
          what: 'reading the status',
          ...(body ? { body } : {}),
          signal: ac.signal,
        })
        .catch((e: unknown) => e);
      assert.ok(err instanceof PrinterError);
      assert.equal(err.kind, 'aborted');
    }
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(server.connections(), 0, 'nothing reached the printer');
  } finally {
    http.close();
    await server.close();
  }
});
