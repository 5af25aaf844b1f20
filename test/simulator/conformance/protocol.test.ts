// HTTP-level habits: keep-alive, the Accept rule for error bodies, raw URL length with non-ASCII, legacy upload, print-after-upload.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { filesTarget } from './http-client.js';
import { PERSONALITIES, optionsFor, withPrinter } from './fixtures.js';
import type { SimPrinter } from './fixtures.js';

const T = { timeout: 20_000 };

/** Two GETs through a one-socket keep-alive agent; returns the local port used by each. */
async function twoGets(printer: SimPrinter, key: string): Promise<{ ports: number[]; connection: (string | undefined)[] }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const ports: number[] = [];
  const connection: (string | undefined)[] = [];
  try {
    for (let i = 0; i < 2; i += 1) {
      await new Promise<void>((resolve, reject) => {
        const req = request(`${printer.url}/api/v1/status`, { agent, headers: { 'X-Api-Key': key, Accept: 'application/json' } }, (res) => {
          ports.push(res.socket.localPort ?? -1);
          connection.push(res.headers.connection);
          res.resume();
          res.on('end', () => setTimeout(resolve, 50));
        });
        req.setTimeout(5000, () => req.destroy(new Error('timed out')));
        req.on('error', reject);
        req.end();
      });
    }
  } finally {
    agent.destroy();
  }
  return { ports, connection };
}

test('Buddy keeps a GET connection alive for the next request', T, () =>
  withPrinter(optionsFor('buddy'), async (printer) => {
    const { ports } = await twoGets(printer, printer.credentials.password);
    assert.equal(ports[0], ports[1], 'both GETs used one connection');
  }),
);

test('Pi answers one request per connection', T, () =>
  withPrinter(optionsFor('pi'), async (printer) => {
    const { ports, connection } = await twoGets(printer, printer.credentials.apiKey ?? '');
    assert.notEqual(ports[0], ports[1], 'the second GET needed a new connection');
    assert.equal(connection[0]?.toLowerCase(), 'close');
  }),
);

test('Buddy sends a JSON error only when application/json is the first Accept type', T, () =>
  withPrinter(optionsFor('buddy'), async (_p, client) => {
    const json = await client.get('/api/v1/files/usb/none.gcode', { headers: { Accept: 'application/json, text/plain' } });
    assert.equal(json.status, 404);
    assert.match(String(json.headers['content-type']), /application\/json/);
    const text = await client.get('/api/v1/files/usb/none.gcode', { headers: { Accept: 'text/plain, application/json' } });
    assert.equal(text.status, 404);
    assert.match(String(text.headers['content-type']), /text\/plain/);
    assert.match(text.text(), /^404: Not Found\n\n/);
  }),
);

test('Buddy counts the 168-byte limit on the raw, percent-encoded target', T, () =>
  withPrinter(optionsFor('buddy'), async (printer, client) => {
    // 45 × "é" is 90 decoded bytes but 270 raw URL bytes.
    const name = `${'é'.repeat(45)}.gcode`;
    const res = await client.put(filesTarget('usb', name), 'X\n');
    assert.equal(res.status, 414);
    assert.deepEqual(printer.files(), []);
  }),
);

test('Buddy answers the legacy multipart upload with 410 Gone', T, () =>
  withPrinter(optionsFor('buddy'), async (printer, client) => {
    const boundary = 'conformance-boundary';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.gcode"\r\nContent-Type: application/octet-stream\r\n\r\nG28\n\r\n--${boundary}--\r\n`;
    const res = await client.request('POST', '/api/files/local', {
      body,
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    });
    assert.equal(res.status, 410);
    assert.deepEqual(printer.files(), []);
  }),
);

test('Buddy keeps the file when Print-After-Upload cannot start a print (409)', T, () =>
  withPrinter(optionsFor('buddy'), async (printer, client) => {
    printer.seed('running.gcode', 'G28\n');
    printer.setState('PRINTING', { file: 'running.gcode' });
    const res = await client.put(filesTarget('usb', 'next.gcode'), 'G28\n', { 'Print-After-Upload': '?1' });
    assert.equal(res.status, 409);
    assert.match(res.text(), /Can't print right now/);
    assert.equal(printer.readFile('next.gcode')?.toString(), 'G28\n');
  }),
);

for (const { personality } of PERSONALITIES) {
  test(`uploading during a print is allowed for other files (${personality})`, T, () =>
    withPrinter(optionsFor(personality), async (printer, client) => {
      printer.seed('running.gcode', 'G28\n');
      printer.setState('PRINTING', { file: 'running.gcode' });
      assert.equal((await client.put(filesTarget(printer.storage, 'queued.gcode'), 'G28\n')).status, 201);
    }),
  );
}

for (const { personality } of PERSONALITIES) {
  test(`Print-After-Upload: ?1 on an idle printer starts printing the new file (${personality})`, T, () =>
    withPrinter(optionsFor(personality), async (printer, client) => {
      const res = await client.put(filesTarget(printer.storage, 'go.gcode'), 'G28\n', { 'Print-After-Upload': '?1' });
      assert.equal(res.status, 201);
      const status = (await client.getJson('/api/v1/status')) as { printer: { state: string }; job?: unknown };
      assert.equal(status.printer.state, 'PRINTING');
      assert.ok(status.job !== undefined);
    }),
  );
}

test('Buddy refuses to delete a Prusa Connect download in progress (409 "File is being transferred")', T, () =>
  withPrinter(optionsFor('buddy'), async (printer, client) => {
    printer.setForeignTransfer(true, { path: 'incoming.gcode', size: 5000 });
    const res = await client.delete(filesTarget('usb', 'incoming.gcode'));
    assert.equal(res.status, 409);
    assert.match(res.text(), /File is being transferred/);
  }),
);
