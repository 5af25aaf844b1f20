// DELETE rules and Create-Folder on both personalities.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filesTarget } from './http-client.js';
import { PERSONALITIES, optionsFor, withPrinter } from './fixtures.js';

const T = { timeout: 20_000 };

for (const { personality } of PERSONALITIES) {
  test(`DELETE: a file 204, then 404; an empty folder 204 (${personality})`, T, () =>
    withPrinter(optionsFor(personality), async (printer, client) => {
      printer.seed('dir/a.gcode', 'X');
      printer.seedFolder('empty');
      assert.equal((await client.delete(filesTarget(printer.storage, 'dir/a.gcode'))).status, 204);
      assert.deepEqual(printer.files(), []);
      assert.equal((await client.delete(filesTarget(printer.storage, 'dir/a.gcode'))).status, 404);
      assert.equal((await client.delete(filesTarget(printer.storage, 'empty'))).status, 204);
      assert.equal(printer.folders().includes('empty'), false);
    }),
  );

  test(`DELETE of the file being printed is 409; once FINISHED it is 204 (${personality})`, T, () =>
    withPrinter(optionsFor(personality), async (printer, client) => {
      printer.seed('job.gcode', 'X');
      for (const state of ['PRINTING', 'PAUSED']) {
        printer.setState(state, { file: 'job.gcode' });
        const res = await client.delete(filesTarget(printer.storage, 'job.gcode'));
        assert.equal(res.status, 409, `${state}: ${res.text()}`);
        assert.match(res.text(), personality === 'buddy' ? /File is busy/ : /File is currently printed/);
      }
      assert.equal(printer.files().length, 1);
      printer.setState('FINISHED', { file: 'job.gcode' });
      assert.equal((await client.delete(filesTarget(printer.storage, 'job.gcode'))).status, 204);
      assert.deepEqual(printer.files(), []);
    }),
  );

  test(`another file can be deleted during a print (${personality})`, T, () =>
    withPrinter(optionsFor(personality), async (printer, client) => {
      printer.seed('job.gcode', 'X');
      printer.seed('other.gcode', 'Y');
      printer.setState('PRINTING', { file: 'job.gcode' });
      assert.equal((await client.delete(filesTarget(printer.storage, 'other.gcode'))).status, 204);
    }),
  );
}

test('Buddy: a non-empty folder gives 404, with or without Force (deviation buddy-delete-nonempty-404)', T, () =>
  withPrinter(optionsFor('buddy'), async (printer, client) => {
    printer.seed('full/a.gcode', 'X');
    assert.equal((await client.delete(filesTarget('usb', 'full'))).status, 404);
    assert.equal((await client.delete(filesTarget('usb', 'full'), { Force: '?1' })).status, 404);
    assert.equal(printer.files().length, 1);
  }),
);

test('Pi: a non-empty folder gives 409 "Directory is not empty"; Force: ?1 deletes it all', T, () =>
  withPrinter(optionsFor('pi'), async (printer, client) => {
    printer.seed('full/a.gcode', 'X');
    printer.seed('full/sub/b.gcode', 'Y');
    const res = await client.delete(filesTarget('local', 'full'));
    assert.equal(res.status, 409);
    assert.match(res.text(), /Directory is not empty/);
    assert.equal((await client.delete(filesTarget('local', 'full'), { Force: 'true' })).status, 409, 'only ?1 means true');
    assert.equal((await client.delete(filesTarget('local', 'full'), { Force: '?1' })).status, 204);
    assert.deepEqual(printer.files(), []);
    assert.equal(
      printer.folders().some((f) => f.startsWith('full')),
      false,
    );
  }),
);

test('Buddy Create-Folder: 201, then 409 when it exists, 500 when the parent is missing', T, () =>
  withPrinter(optionsFor('buddy'), async (printer, client) => {
    const make = (p: string, value = '?1') => client.put(filesTarget('usb', p), Buffer.alloc(0), { 'Create-Folder': value });
    assert.equal((await make('NewDir')).status, 201);
    assert.ok(printer.folders().includes('NewDir'), JSON.stringify(printer.folders()));
    const again = await make('newdir');
    assert.equal(again.status, 409);
    assert.match(again.text(), /Already exists/);
    const orphan = await make('missing/child');
    assert.equal(orphan.status, 500);
    assert.equal(
      printer.folders().some((f) => f.toLowerCase().startsWith('missing')),
      false,
    );
  }),
);

test(
  'Buddy before 5.1 ignores Create-Folder: the empty PUT is an upload (501) and no folder is made; 5.1 lists it by its 8.3 name',
  T,
  async () => {
    await withPrinter(optionsFor('buddy', { createFolder: false }), async (printer, client) => {
      const res = await client.put(filesTarget('usb', 'Customers'), Buffer.alloc(0), { 'Create-Folder': '?1' });
      assert.equal(res.status, 501);
      assert.match(res.text(), /0-sized files aren't implemented/);
      assert.deepEqual(printer.folders(), []);
    });
    await withPrinter(optionsFor('buddy'), async (_printer, client) => {
      const make = (p: string) => client.put(filesTarget('usb', p), Buffer.alloc(0), { 'Create-Folder': '?1' });
      assert.equal((await make('Customers')).status, 201);
      assert.equal((await make('CUSTOM~1/Acme Corporation')).status, 201);
      const listing = (await client.getJson(filesTarget('usb', 'CUSTOM~1'))) as { children: Array<Record<string, unknown>> };
      assert.deepEqual(
        listing.children.map((c) => [c['name'], c['display_name'], c['type']]),
        [['ACMECO~1', 'Acme Corporation', 'FOLDER']],
      );
    });
  },
);

test('Pi Create-Folder works like mkdir -p and answers 201 when it exists', T, () =>
  withPrinter(optionsFor('pi'), async (printer, client) => {
    const make = (p: string) => client.put(filesTarget('local', p), Buffer.alloc(0), { 'Create-Folder': '?1' });
    assert.equal((await make('x/y/z')).status, 201);
    for (const f of ['x', 'x/y', 'x/y/z']) assert.ok(printer.folders().includes(f), f);
    assert.equal((await make('x/y/z')).status, 201);
  }),
);

test('Create-Folder: true is not ?1, so no folder is made', T, async () => {
  for (const { personality } of PERSONALITIES) {
    await withPrinter(optionsFor(personality), async (printer, client) => {
      const res = await client.put(filesTarget(printer.storage, 'notafolder'), Buffer.alloc(0), { 'Create-Folder': 'true' });
      assert.notEqual(res.status, 201, personality);
      assert.equal(printer.folders().includes('notafolder'), false, personality);
    });
  }
});
