// A Buddy without its USB stick, and the printer clock behind m_timestamp (skew, unset, FAT's 2-second steps).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filesTarget } from './http-client.js';
import { PERSONALITIES, asRecord, childrenOf, heldBody, optionsFor, until, withPrinter } from './fixtures.js';
import { manualClock } from '../../../src/simulator/index.js';

const T = { timeout: 20_000 };

test('Buddy without USB: storage unavailable, root lists 200 empty, uploads 507; back when reinserted', T, () =>
  withPrinter(optionsFor('buddy'), async (printer, client) => {
    printer.seed('a.gcode', 'X');
    printer.setUsbPresent(false);
    const storage = asRecord(await client.getJson('/api/v1/storage'));
    const entry = asRecord((storage.storage_list as unknown[])[0]);
    assert.equal(entry.available, false);
    const root = await client.get('/api/v1/files/usb');
    assert.equal(root.status, 200);
    assert.deepEqual(childrenOf(root.json()), []);
    const up = await client.put(filesTarget('usb', 'b.gcode'), 'Y');
    assert.equal(up.status, 507);
    assert.match(up.text(), /Failed to write to location/);
    printer.setUsbPresent(true);
    assert.equal(asRecord((asRecord(await client.getJson('/api/v1/storage')).storage_list as unknown[])[0]).available, true);
    assert.deepEqual(
      childrenOf(await client.getJson('/api/v1/files/usb')).map((c) => c.display_name),
      ['a.gcode'],
    );
  }),
);

async function uploadedTimestamp(client: import('./http-client.js').SimClient, storage: string, name: string): Promise<number> {
  const res = await client.put(filesTarget(storage, name), 'G28\n');
  assert.equal(res.status, 201, res.text());
  const info = asRecord(await client.getJson(filesTarget(storage, name)));
  assert.equal(typeof info.m_timestamp, 'number');
  return info.m_timestamp as number;
}

for (const { personality } of PERSONALITIES) {
  test(`m_timestamp follows the printer clock, skew included (${personality})`, T, () =>
    withPrinter(optionsFor(personality, { clock: { skewSec: 3600 } }), async (printer, client) => {
      const now = Date.now() / 1000;
      const ts = await uploadedTimestamp(client, printer.storage, 'skewed.gcode');
      assert.ok(Math.abs(ts - (now + 3600)) < 30, `m_timestamp ${ts} vs host ${Math.round(now)} + 3600`);
      printer.setClock({ skewSec: -7200 });
      const later = await uploadedTimestamp(client, printer.storage, 'behind.gcode');
      assert.ok(Math.abs(later - (Date.now() / 1000 - 7200)) < 30, `m_timestamp ${later}`);
      assert.equal(printer.files().find((f) => f.path === 'behind.gcode')?.mTimestamp, later);
    }),
  );

  test(`a seeded m_timestamp is what the listing shows (${personality})`, T, () =>
    withPrinter(optionsFor(personality), async (printer, client) => {
      printer.seed('old.gcode', 'X', { mTimestamp: 1_600_000_000 });
      const kid = childrenOf(await client.getJson(`/api/v1/files/${printer.storage}`))[0];
      assert.equal(kid?.m_timestamp, 1_600_000_000);
    }),
  );
}

test('Buddy stores m_timestamp in 2-second steps', T, () => {
  // An odd second to start from, stepped by 0.7 s, so both odd and even host seconds are seen.
  const clock = manualClock(1_717_400_001_000);
  return withPrinter(optionsFor('buddy', { now: clock.now }), async (printer, client) => {
    const hostSeconds = new Set<number>();
    for (let i = 0; i < 4; i += 1) {
      hostSeconds.add(Math.floor(clock.now() / 1000) % 2);
      const ts = await uploadedTimestamp(client, 'usb', `even${i}.gcode`);
      assert.equal(ts % 2, 0, `m_timestamp ${ts}`);
      assert.ok(clock.now() / 1000 - ts < 2, `m_timestamp ${ts} is the host second rounded down to even`);
      clock.advance(700);
    }
    assert.deepEqual([...hostSeconds].sort(), [0, 1]);
    assert.ok(printer.files().every((f) => f.mTimestamp % 2 === 0));
  });
});

test('Buddy with an unset clock writes garbage dates from before 2000', T, () =>
  withPrinter(optionsFor('buddy', { clock: { unset: true } }), async (_p, client) => {
    const ts = await uploadedTimestamp(client, 'usb', 'nodate.gcode');
    assert.ok(ts < 946_684_800, `m_timestamp ${ts} is a real-looking date`);
  }),
);

test('Pi with an unset clock writes dates far from the real time', T, () =>
  withPrinter(optionsFor('pi', { clock: { unset: true } }), async (_p, client) => {
    const ts = await uploadedTimestamp(client, 'local', 'nodate.gcode');
    assert.ok(Number.isInteger(ts));
    assert.ok(Math.abs(ts - Date.now() / 1000) > 86_400, `m_timestamp ${ts} is within a day of now`);
  }),
);

test('m_timestamp is taken at upload start on Buddy and at upload end on Pi', T, async () => {
  for (const { personality } of PERSONALITIES) {
    // The printer's clock jumps 100 s while the body is held half-way, so start and end cannot be mistaken.
    const clock = manualClock(1_717_400_000_000);
    await withPrinter(optionsFor(personality, { now: clock.now }), async (printer, client) => {
      await client.fetchChallenge();
      const startSec = clock.now() / 1000;
      const content = Buffer.alloc(20_000, 0x47);
      const held = heldBody(content, 10_000);
      const upload = client.put(filesTarget(printer.storage, 'slow.gcode'), held.body, { 'Content-Length': content.length });
      await until(async () => asRecord(await client.getJson('/api/v1/status')).transfer !== undefined, 'the upload to be under way');
      clock.advance(100_000);
      const endSec = clock.now() / 1000;
      held.release();
      assert.equal((await upload).status, 201);
      const ts = printer.files().find((f) => f.path === 'slow.gcode')?.mTimestamp ?? -1;
      if (personality === 'buddy') assert.ok(ts <= startSec + 1, `Buddy m_timestamp ${ts} is after the upload start ${startSec}`);
      else assert.ok(ts >= endSec - 1, `Pi m_timestamp ${ts} is before the upload end ${endSec}`);
    });
  }
});
