// The farm page bound to 127.0.0.1 answers only requests that name this machine: a web page whose own
// name was pointed at 127.0.0.1 (DNS rebinding) gets 421 and not a byte of the farm's state.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startFarmServer } from '../../src/farm-page/server.js';
import { FarmState } from '../../src/watch/farm-state.js';

/** GET `path` from the server with this Host header (fetch cannot set one). */
function get(url: string, path: string, host: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('only Host names of this machine are served on a loopback address', { timeout: 10_000 }, async () => {
  const farm = new FarmState(
    [{ name: 'mk4-bay1', printerType: 'MK4S', baseUrl: 'http://10.0.0.7', auth: { kind: 'digest', username: 'maker', password: 'pw' } }],
    '/srv/master',
  );
  const server = await startFarmServer(farm, '127.0.0.1', 0);
  try {
    const port = new URL(server.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'LOCALHOST', `127.0.0.2:${port}`]) {
      const res = await get(server.url, '/api/farm', host);
      assert.equal(res.status, 200, host);
      assert.match(res.body, /mk4-bay1/, host);
    }
    for (const host of [`attacker.example:${port}`, 'attacker.example', `127.0.0.1.attacker.example:${port}`, `[::2]:${port}`]) {
      for (const path of ['/api/farm', '/', '/api/events']) {
        const res = await get(server.url, path, host);
        assert.equal(res.status, 421, `${host} ${path}`);
        assert.doesNotMatch(res.body, /mk4-bay1|10\.0\.0\.7/, `${host} ${path}`);
      }
    }
  } finally {
    await server.close();
  }
});
