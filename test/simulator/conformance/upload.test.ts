// PUT uploads: success answers, overwrite rules, the printed file, parents, and what a failed upload leaves behind.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { filesTarget } from './http-client.js';
import { conformsToSpec } from './openapi.js';
import { PERSONALITIES, asRecord, childrenOf, gcode, optionsFor, withPrinter } from './fixtures.js';

const T = { timeout: 20_000 };
const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

test('Buddy answers 201 with the file info JSON and Connection: close (deviation buddy-put-201-body)', T, (t) =>
  withPrinter(optionsFor('buddy'), async (printer, client) => {
    const body = gcode(3000);
    const res = await client.put(filesTarget('usb', 'parts/Benchy Model.gcode'), body);
    assert.equal(res.status, 201, res.text());
    assert.equal(String(res.headers.connection).toLowerCase(), 'close');
    const info = asRecord(res.json());
    await conformsToSpec(t, 'buddy GET /api/v1/files/{storage}/{path}', (oas) =>
      oas.validate('GET /api/v1/files/{storage}/{path}', 'buddy', info),
    );
    assert.equal(info.display_name, 'Benchy Model.gcode');
    assert.equal(info.size, 3000);
    assert.equal(info.type, 'PRINT_FILE');
    assert.deepEqual(printer.readFile('parts/Benchy Model.gcode'), body);
  }),
);

test('Pi answers 201 with an empty body', T, () =>
  withPrinter(optionsFor('pi'), async (printer, client) => {
    const body = gcode(3000);
    const res = await client.put(filesTarget('local', 'parts/Benchy Model.gcode'), body);
    assert.equal(res.status, 201, res.text());
    assert.equal(res.body.length, 0);
    assert.deepEqual(printer.readFile('parts/Benchy Model.gcode'), body);
  }),
);

for (const { personality } of PERSONALITIES) {
  test(`an upload creates missing parent folders and is visible in files() and the listing (${personality})`, T, () =>
    withPrinter(optionsFor(personality), async (printer, client) => {
      const body = gcode(1234);
      const res = await client.put(filesTarget(printer.storage, 'a/b/c/deep.gcode'), body);
      assert.equal(res.status, 201, res.text());
      const folders = printer.folders().map((f) => f.toLowerCase());
      for (const f of ['a', 'a/b', 'a/b/c']) assert.ok(folders.includes(f), `${f} in ${JSON.stringify(folders)}`);
      const entry = printer.files().find((f) => f.path === 'a/b/c/deep.gcode');
      assert.ok(entry !== undefined, JSON.stringify(printer.files()));
      assert.equal(entry.size, 1234);
      assert.equal(entry.sha256, sha(body));
      assert.equal(entry.storage, printer.storage);
      const single = asRecord(await client.getJson(filesTarget(printer.storage, 'a/b/c/deep.gcode')));
      assert.equal(single.size, 1234);
    }),
  );

  test(`an existing file is replaced only with Overwrite: ?1 (${personality})`, T, () =>
    withPrinter(optionsFor(personality), async (printer, client) => {
      printer.seed('keep.gcode', 'OLD\n');
      const target = filesTarget(printer.storage, 'keep.gcode');
      for (const value of [undefined, '?0', 'true', '1', 'yes']) {
        const headers: Record<string, string> = value === undefined ? {} : { Overwrite: value };
        const res = await client.put(target, 'NEW CONTENT\n', headers);
        assert.equal(res.status, 409, `Overwrite: ${String(value)} answered ${res.status}`);
        if (personality === 'buddy') assert.match(res.text(), /File already exists/);
        assert.equal(printer.readFile('keep.gcode')?.toString(), 'OLD\n');
      }
      const ok = await client.put(target, 'NEW CONTENT\n', { Overwrite: '?1' });
      assert.equal(ok.status, 201, ok.text());
      assert.equal(printer.readFile('keep.gcode')?.toString(), 'NEW CONTENT\n');
      assert.equal(printer.files().filter((f) => f.path.toLowerCase() === 'keep.gcode').length, 1);
    }),
  );

  test(`a failed overwrite leaves the old file intact (${personality})`, T, () =>
    withPrinter(optionsFor(personality), async (printer, client) => {
      printer.seed('sub/keep.gcode', 'OLD CONTENT\n');
      printer.inject({ kind: 'reset-after-bytes', bytes: 1000, times: 1 });
      const res = await client
        .put(filesTarget(printer.storage, 'sub/keep.gcode'), gcode(20_000), { Overwrite: '?1' })
        .catch((e: Error) => e);
      if (!(res instanceof Error)) assert.notEqual(res.status, 201);
      assert.equal(printer.readFile('sub/keep.gcode')?.toString(), 'OLD CONTENT\n');
      const listed = childrenOf(await client.getJson(filesTarget(printer.storage, 'sub')));
      assert.equal(listed.length, 1, JSON.stringify(listed));
      // The fault was used up: the next attempt goes through.
      const again = await client.put(filesTarget(printer.storage, 'sub/keep.gcode'), gcode(20_000), { Overwrite: '?1' });
      assert.equal(again.status, 201);
      assert.equal(printer.readFile('sub/keep.gcode')?.length, 20_000);
    }),
  );
}

test('Buddy refuses to overwrite the file being printed with 409 "File is busy"', T, () =>
  withPrinter(optionsFor('buddy'), async (printer, client) => {
    printer.seed('job.gcode', 'PRINTING\n');
    printer.setState('PRINTING', { file: 'job.gcode' });
    const res = await client.put(filesTarget('usb', 'job.gcode'), 'REPLACEMENT\n', { Overwrite: '?1' });
    assert.equal(res.status, 409);
    assert.match(res.text(), /File is busy/);
    assert.equal(printer.readFile('job.gcode')?.toString(), 'PRINTING\n');
  }),
);

test('Pi replaces the file being printed without any check', T, () =>
  withPrinter(optionsFor('pi'), async (printer, client) => {
    printer.seed('job.gcode', 'PRINTING\n');
    printer.setState('PRINTING', { file: 'job.gcode' });
    const res = await client.put(filesTarget('local', 'job.gcode'), 'REPLACEMENT\n', { Overwrite: '?1' });
    assert.equal(res.status, 201);
    assert.equal(printer.readFile('job.gcode')?.toString(), 'REPLACEMENT\n');
  }),
);

test('Buddy keeps no temp file after a dropped upload', T, () =>
  withPrinter(optionsFor('buddy'), async (printer, client) => {
    printer.inject({ kind: 'reset-after-bytes', bytes: 500 });
    await client.put(filesTarget('usb', 'drop.gcode'), gcode(10_000)).catch(() => undefined);
    assert.deepEqual(printer.files(), []);
    assert.deepEqual(childrenOf(await client.getJson('/api/v1/files/usb')), []);
  }),
);

test('Pi leaves a hidden .name.part after a dropped upload, not shown in listings', T, () =>
  withPrinter(optionsFor('pi'), async (printer, client) => {
    printer.inject({ kind: 'reset-after-bytes', bytes: 500 });
    await client.put(filesTarget('local', 'dir/drop.gcode'), gcode(10_000)).catch(() => undefined);
    const part = printer.files().find((f) => f.path === '.drop.gcode.part');
    assert.ok(part !== undefined, `files(): ${JSON.stringify(printer.files().map((f) => f.path))}`);
    assert.equal(
      printer.files().some((f) => f.path === 'dir/drop.gcode'),
      false,
    );
    const root = childrenOf(await client.getJson('/api/v1/files/local'));
    assert.equal(
      root.some((c) => String(c.name).endsWith('.part')),
      false,
      JSON.stringify(root),
    );
  }),
);

test('Buddy resolves other case and 8.3 short names for GET, PUT and DELETE', T, () =>
  withPrinter(optionsFor('buddy'), async (printer, client) => {
    printer.seed('Parts/Benchy_long_name_v2.gcode', 'ONE\n');
    const listing = childrenOf(await client.getJson('/api/v1/files/usb/PARTS'));
    const short = String(listing[0]?.name);
    assert.match(short, /^BENCHY~\d\.GCO$/);
    for (const p of ['parts/benchy_LONG_name_v2.GCODE', `PARTS/${short}`, `parts/${short.toLowerCase()}`]) {
      const res = await client.get(filesTarget('usb', p));
      assert.equal(res.status, 200, p);
      assert.equal(asRecord(res.json()).display_name, 'Benchy_long_name_v2.gcode');
    }
    const noOverwrite = await client.put(filesTarget('usb', 'PARTS/BENCHY_LONG_NAME_V2.GCODE'), 'TWO\n');
    assert.equal(noOverwrite.status, 409, 'the other-case name is the same file');
    const overwrite = await client.put(filesTarget('usb', `parts/${short}`), 'TWO\n', { Overwrite: '?1' });
    assert.equal(overwrite.status, 201, overwrite.text());
    const inParts = printer.files().filter((f) => f.path.toLowerCase().startsWith('parts/'));
    assert.equal(inParts.length, 1, JSON.stringify(inParts));
    assert.equal(printer.readFile(inParts[0]?.path ?? '')?.toString(), 'TWO\n');
    const del = await client.delete(
      filesTarget('usb', `PARTS/${String(childrenOf(await client.getJson('/api/v1/files/usb/parts'))[0]?.name)}`),
    );
    assert.equal(del.status, 204);
    assert.equal(printer.files().length, 0);
  }),
);

test('Buddy reads a raw + in the path as a space', T, () =>
  withPrinter(optionsFor('buddy'), async (printer, client) => {
    const res = await client.put('/api/v1/files/usb/a+b.gcode', 'X\n');
    assert.equal(res.status, 201, res.text());
    assert.ok(
      printer.files().some((f) => f.path === 'a b.gcode'),
      JSON.stringify(printer.files()),
    );
  }),
);

test('Pi is case-sensitive: other case is another file', T, () =>
  withPrinter(optionsFor('pi'), async (printer, client) => {
    printer.seed('Benchy.gcode', 'ONE\n');
    assert.equal((await client.get(filesTarget('local', 'benchy.gcode'))).status, 404);
    const res = await client.put(filesTarget('local', 'BENCHY.gcode'), 'TWO\n');
    assert.equal(res.status, 201);
    assert.equal(printer.files().length, 2);
  }),
);
