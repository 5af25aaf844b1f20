// Who the printer says it is and what state it is in: /api/version, /api/v1/info, /api/v1/status, /api/v1/storage, /api/v1/job.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { startFarm, startPrinter } from '../../../src/simulator/index.js';
import { conformsToSpec } from './openapi.js';
import { PERSONALITIES, asRecord, clientFor, optionsFor, withPrinter } from './fixtures.js';

const T = { timeout: 20_000 };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

test('Buddy /api/version: bare "PrusaLink", upload-by-put, no firmware field', T, (t) =>
  withPrinter(optionsFor('buddy'), async (_p, client) => {
    const v = asRecord(await client.getJson('/api/version'));
    assert.equal(v.text, 'PrusaLink');
    assert.equal(v.api, '2.0.0');
    assert.deepEqual(v.capabilities, { 'upload-by-put': true });
    assert.equal(v.firmware, undefined);
    assert.equal(v.original, undefined);
    await conformsToSpec(t, 'Buddy /api/version', (oas) => oas.validate('GET /api/version', 'buddy', v));
  }),
);

test('Pi /api/version: "PrusaLink <ver>", original, firmware and sdk, upload-by-put', T, (t) =>
  withPrinter(optionsFor('pi'), async (_p, client) => {
    const v = asRecord(await client.getJson('/api/version'));
    assert.match(String(v.text), /^PrusaLink \d+\.\d+\.\d+/);
    assert.equal(v.original, 'PrusaLink I3MK3S');
    assert.equal(typeof v.firmware, 'string');
    assert.equal(typeof v.sdk, 'string');
    assert.equal(asRecord(v.capabilities)['upload-by-put'], true);
    await conformsToSpec(t, 'Pi /api/version', (oas) => oas.validate('GET /api/version', 'pi', v));
  }),
);

for (const { personality } of PERSONALITIES) {
  test(`/api/v1/info has a serial that survives a restart with the same options (${personality})`, T, async (t) => {
    const port = await freePort();
    const options = optionsFor(personality, { name: 'bay-7', port });
    const first = await startPrinter(options);
    let serial1: unknown;
    try {
      const info = asRecord(await clientFor(first).getJson('/api/v1/info'));
      serial1 = info.serial;
      assert.equal(typeof serial1, 'string');
      assert.ok(String(serial1).length > 0);
      assert.equal(serial1, first.serial);
      await conformsToSpec(t, `${personality} /api/v1/info`, (oas) => oas.validate('GET /api/v1/info', personality, info));
    } finally {
      await first.close();
    }
    const second = await startPrinter(options);
    try {
      const info = asRecord(await clientFor(second).getJson('/api/v1/info'));
      assert.equal(info.serial, serial1);
    } finally {
      await second.close();
    }
  });

  test(`/api/v1/status: printer.state IDLE, no job and no transfer when idle (${personality})`, T, (t) =>
    withPrinter(optionsFor(personality), async (_p, client) => {
      const s = asRecord(await client.getJson('/api/v1/status'));
      assert.equal(asRecord(s.printer).state, 'IDLE');
      assert.equal(s.job, undefined);
      assert.equal(s.transfer, undefined);
      await conformsToSpec(t, `${personality} /api/v1/status`, (oas) => oas.validate('GET /api/v1/status', personality, s));
      const job = await client.get('/api/v1/job');
      assert.equal(job.status, 204);
    }),
  );

  test(`/api/v1/status and /api/v1/job show the job only while printing (${personality})`, T, (t) =>
    withPrinter(optionsFor(personality), async (printer, client) => {
      printer.seed('prints/cube.gcode', 'G28\n');
      printer.setState('PRINTING', { file: 'prints/cube.gcode', progress: 42 });
      const s = asRecord(await client.getJson('/api/v1/status'));
      assert.equal(asRecord(s.printer).state, 'PRINTING');
      assert.ok(s.job !== undefined, 'status has a job while printing');
      await conformsToSpec(t, `${personality} /api/v1/status while printing`, (oas) => oas.validate('GET /api/v1/status', personality, s));
      const job = asRecord(await client.getJson('/api/v1/job'));
      await conformsToSpec(t, `${personality} /api/v1/job`, (oas) => oas.validate('GET /api/v1/job', personality, job));
      assert.equal(job.state, 'PRINTING');
      const file = asRecord(job.file);
      assert.equal(file.display_name, 'cube.gcode');
      printer.setState('IDLE');
      const after = asRecord(await client.getJson('/api/v1/status'));
      assert.equal(after.job, undefined);
    }),
  );
}

test('Buddy status storage is one object {path:"/usb/", name:"usb", read_only:false}', T, () =>
  withPrinter(optionsFor('buddy'), async (_p, client) => {
    const s = asRecord(await client.getJson('/api/v1/status'));
    const storage = asRecord(s.storage);
    assert.equal(storage.path, '/usb/');
    assert.equal(storage.name, 'usb');
    assert.equal(storage.read_only, false);
  }),
);

test('Pi status storage is an array naming the local storage', T, () =>
  withPrinter(optionsFor('pi'), async (_p, client) => {
    const s = asRecord(await client.getJson('/api/v1/status'));
    assert.ok(Array.isArray(s.storage), `storage is ${JSON.stringify(s.storage)}`);
    const paths = (s.storage as unknown[]).map((x) => asRecord(x).path);
    assert.ok(paths.includes('/local'), JSON.stringify(paths));
  }),
);

test('Buddy /api/v1/storage: one USB entry at "/usb/" without free_space', T, (t) =>
  withPrinter(optionsFor('buddy'), async (_p, client) => {
    const body = asRecord(await client.getJson('/api/v1/storage'));
    await conformsToSpec(t, 'Buddy /api/v1/storage', (oas) => oas.validate('GET /api/v1/storage', 'buddy', body));
    assert.deepEqual(body.storage_list, [{ path: '/usb/', name: 'usb', type: 'USB', read_only: false, available: true }]);
  }),
);

test('Pi /api/v1/storage: writable LOCAL with space figures, and SDCARD', T, (t) =>
  withPrinter(optionsFor('pi'), async (_p, client) => {
    const body = asRecord(await client.getJson('/api/v1/storage'));
    await conformsToSpec(t, 'Pi /api/v1/storage', (oas) => oas.validate('GET /api/v1/storage', 'pi', body));
    const list = (body.storage_list as unknown[]).map(asRecord);
    const local = list.find((s) => s.path === '/local');
    assert.ok(local !== undefined, JSON.stringify(list));
    assert.equal(local.type, 'LOCAL');
    assert.equal(local.available, true);
    assert.equal(local.read_only, false);
    assert.equal(typeof local.free_space, 'number');
    assert.equal(typeof local.total_space, 'number');
    const sd = list.find((s) => s.path === '/sdcard');
    assert.ok(sd !== undefined, 'an SDCARD entry is listed');
    assert.equal(sd.type, 'SDCARD');
  }),
);

test('a farm gives every printer its own port and serial, and close() stops them all', T, async () => {
  const farm = await startFarm([optionsFor('buddy'), optionsFor('pi'), optionsFor('buddy', { model: 'XL' })]);
  const urls = farm.printers.map((p) => p.url);
  try {
    assert.equal(new Set(farm.printers.map((p) => p.port)).size, 3);
    assert.equal(new Set(farm.printers.map((p) => p.serial)).size, 3);
    assert.deepEqual(
      farm.printers.map((p) => p.personality),
      ['buddy', 'pi', 'buddy'],
    );
    for (const p of farm.printers) assert.equal(asRecord(await clientFor(p).getJson('/api/v1/info')).serial, p.serial);
  } finally {
    await farm.close();
  }
  for (const url of urls) {
    await assert.rejects(fetch(`${url}/api/version`, { signal: AbortSignal.timeout(3000) }));
  }
});

test('Buddy may report state UNKNOWN, which the spec does not list (deviation buddy-state-unknown)', T, (t) =>
  withPrinter(optionsFor('buddy'), async (printer, client) => {
    printer.setState('UNKNOWN');
    const s = asRecord(await client.getJson('/api/v1/status'));
    assert.equal(asRecord(s.printer).state, 'UNKNOWN');
    await conformsToSpec(t, 'Buddy status in UNKNOWN', (oas) => oas.validate('GET /api/v1/status', 'buddy', s));
  }),
);

for (const { personality } of PERSONALITIES) {
  test(`status shows every non-idle state the printer is put in (${personality})`, T, (t) =>
    withPrinter(optionsFor(personality), async (printer, client) => {
      for (const state of ['BUSY', 'ATTENTION', 'ERROR', 'FINISHED', 'STOPPED', 'IDLE']) {
        printer.setState(state);
        const s = asRecord(await client.getJson('/api/v1/status'));
        assert.equal(asRecord(s.printer).state, state);
        await conformsToSpec(t, `${personality} status in ${state}`, (oas) => oas.validate('GET /api/v1/status', personality, s));
      }
    }),
  );
}
