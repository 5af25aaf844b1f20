// The /_sim HTTP control path: every documented control changes what the printer API then answers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filesTarget, send, type RawResponse } from './http-client.js';
import { PERSONALITIES, asRecord, childrenOf, optionsFor, withPrinter } from './fixtures.js';

const T = { timeout: 20_000 };

function control(url: string, method: string, target: string, body?: unknown): Promise<RawResponse> {
  const options: Parameters<typeof send>[1] = { method, target, headers: { 'Content-Type': 'application/json' } };
  if (body !== undefined) options.body = JSON.stringify(body);
  return send(url, options);
}

for (const { personality } of PERSONALITIES) {
  test(`/_sim describes the printer without auth (${personality})`, T, () =>
    withPrinter(optionsFor(personality, { name: 'bay-1' }), async (printer) => {
      const res = await control(printer.url, 'GET', '/_sim');
      assert.equal(res.status, 200);
      const body = asRecord(res.json());
      assert.equal(body.name, 'bay-1');
      assert.equal(body.personality, personality);
      assert.equal(body.storage, printer.storage);
      assert.equal(body.serial, printer.serial);
      assert.equal(body.url, printer.url);
    }),
  );

  test(`/_sim seed, folders, files and file change and show the storage (${personality})`, T, () =>
    withPrinter(optionsFor(personality), async (printer, client) => {
      assert.equal(
        (await control(printer.url, 'POST', '/_sim/seed', { path: 'dir/a.gcode', content: 'G28\n', mTimestamp: 1_600_000_000 })).status,
        200,
      );
      assert.equal(
        (await control(printer.url, 'POST', '/_sim/seed', { path: 'b.gcode', contentBase64: Buffer.from('G1\n').toString('base64') }))
          .status,
        200,
      );
      assert.equal((await control(printer.url, 'POST', '/_sim/folders', { path: 'empty/inner' })).status, 200);
      const files = (await control(printer.url, 'GET', '/_sim/files')).json() as { path: string; size: number; mTimestamp: number }[];
      assert.deepEqual(files.map((f) => f.path).sort(), ['b.gcode', 'dir/a.gcode']);
      assert.equal(files.find((f) => f.path === 'dir/a.gcode')?.mTimestamp, 1_600_000_000);
      const folders = (await control(printer.url, 'GET', '/_sim/folders')).json() as string[];
      for (const f of ['dir', 'empty', 'empty/inner']) assert.ok(folders.includes(f), `${f} in ${JSON.stringify(folders)}`);
      const raw = await control(printer.url, 'GET', '/_sim/file?path=dir%2Fa.gcode');
      assert.equal(raw.text(), 'G28\n');
      assert.equal((await control(printer.url, 'GET', '/_sim/file?path=nope.gcode')).status, 404);
      const listed = childrenOf(await client.getJson(filesTarget(printer.storage, 'dir')));
      assert.equal(listed[0]?.display_name, 'a.gcode');
    }),
  );

  test(`/_sim state, transfer, clock and faults drive the printer API (${personality})`, T, () =>
    withPrinter(optionsFor(personality), async (printer, client) => {
      printer.seed('job.gcode', 'G28\n');
      assert.equal((await control(printer.url, 'POST', '/_sim/state', { state: 'PRINTING', file: 'job.gcode', progress: 10 })).status, 200);
      assert.equal(asRecord(asRecord(await client.getJson('/api/v1/status')).printer).state, 'PRINTING');
      assert.equal(asRecord((await control(printer.url, 'GET', '/_sim/state')).json()).state, 'PRINTING');
      await control(printer.url, 'POST', '/_sim/state', { state: 'IDLE' });

      assert.equal((await control(printer.url, 'POST', '/_sim/transfer', { running: true, path: 'x.gcode', size: 100 })).status, 200);
      assert.ok(asRecord(await client.getJson('/api/v1/status')).transfer !== undefined);
      await control(printer.url, 'POST', '/_sim/transfer', { running: false });
      assert.equal(asRecord(await client.getJson('/api/v1/status')).transfer, undefined);

      assert.equal((await control(printer.url, 'POST', '/_sim/clock', { skewSec: 86_400 })).status, 200);
      assert.equal((await client.put(filesTarget(printer.storage, 'late.gcode'), 'G28\n')).status, 201);
      const ts = printer.files().find((f) => f.path === 'late.gcode')?.mTimestamp ?? 0;
      assert.ok(ts - Date.now() / 1000 > 80_000, `m_timestamp ${ts}`);

      assert.equal(
        (await control(printer.url, 'POST', '/_sim/faults', [{ kind: 'status', status: 503, times: 1, pathPrefix: '/api/v1/info' }]))
          .status,
        200,
      );
      assert.equal(((await control(printer.url, 'GET', '/_sim/faults')).json() as unknown[]).length, 1);
      assert.equal((await client.get('/api/v1/info')).status, 503);
      await control(printer.url, 'POST', '/_sim/faults', { kind: 'status', status: 500 });
      assert.equal((await control(printer.url, 'DELETE', '/_sim/faults')).status, 200);
      assert.equal((await client.get('/api/v1/info')).status, 200);
    }),
  );

  test(`/_sim requests returns the log and DELETE clears it (${personality})`, T, () =>
    withPrinter(optionsFor(personality), async (printer, client) => {
      await client.get('/api/v1/status');
      const log = (await control(printer.url, 'GET', '/_sim/requests')).json() as { target: string }[];
      assert.ok(log.some((e) => e.target === '/api/v1/status'));
      assert.equal((await control(printer.url, 'DELETE', '/_sim/requests')).status, 200);
      assert.equal(
        printer.requests().some((e) => e.target === '/api/v1/status'),
        false,
      );
    }),
  );

  test(`/_sim answers 400 with an error for a bad body and 404 for an unknown control (${personality})`, T, () =>
    withPrinter(optionsFor(personality), async (printer) => {
      const bad = await control(printer.url, 'POST', '/_sim/state', { file: 'x.gcode' });
      assert.equal(bad.status, 400);
      assert.match(String(asRecord(bad.json()).error), /state/);
      assert.equal((await control(printer.url, 'POST', '/_sim/nothing', {})).status, 404);
    }),
  );
}

test('/_sim usb takes the Buddy USB stick out and back', T, () =>
  withPrinter(optionsFor('buddy'), async (printer, client) => {
    assert.equal((await control(printer.url, 'POST', '/_sim/usb', { present: false })).status, 200);
    const list = asRecord(await client.getJson('/api/v1/storage')).storage_list as unknown[];
    assert.equal(asRecord(list[0]).available, false);
    await control(printer.url, 'POST', '/_sim/usb', { present: true });
    assert.equal(asRecord((asRecord(await client.getJson('/api/v1/storage')).storage_list as unknown[])[0]).available, true);
  }),
);

test('Pi serves raw bytes at GET /api/files/local/<path>/raw with auth', T, () =>
  withPrinter(optionsFor('pi'), async (printer, client) => {
    const body = Buffer.from('G28\nG1 X5\n'.repeat(50));
    printer.seed('Parts/Long File.gcode', body);
    const res = await client.request('GET', '/api/files/local/Parts/Long%20File.gcode/raw');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, body);
    assert.equal((await client.request('GET', '/api/files/local/Parts/Long%20File.gcode/raw', { auth: 'none' })).status, 401);
  }),
);
