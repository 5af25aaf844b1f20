// Folder listings and single-file answers: short and long names, what is hidden, sizes, HEAD headers, raw download, caching.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filesTarget, firstHeader } from './http-client.js';
import { conformsToSpec } from './openapi.js';
import { PERSONALITIES, asRecord, childrenOf, optionsFor, withPrinter } from './fixtures.js';
import type { SimPrinter } from './fixtures.js';

const T = { timeout: 20_000 };
const SFN = /^[A-Z0-9_~$!#%&'(){}^@-]{1,8}(\.[A-Z0-9_~$!#%&'(){}^@-]{1,3})?$/;

function seedMix(printer: SimPrinter): void {
  printer.seed('benchy_0.4n_0.2mm_PLA_MK4S_45m.bgcode', 'A'.repeat(100));
  printer.seed('benchy_0.4n_0.2mm_PETG_MK4S_45m.bgcode', 'B'.repeat(200));
  printer.seed('Cube.gcode', 'C'.repeat(300));
  printer.seed('.hidden.gcode', 'H');
  printer.seed('notes.txt', 'N');
  printer.seed('Parts/inner.gcode', 'I'.repeat(40));
  printer.seed('Parts/deeper/x.gcode', 'X'.repeat(2));
  printer.seedFolder('Empty Folder');
}

test('Buddy root listing: 8.3 names with ~N, long display_name, ro, no size, hidden and non-print files left out', T, (t) =>
  withPrinter(optionsFor('buddy'), async (printer, client) => {
    seedMix(printer);
    const root = asRecord(await client.getJson('/api/v1/files/usb'));
    await conformsToSpec(t, 'buddy GET /api/v1/files/{storage}', (oas) => oas.validate('GET /api/v1/files/{storage}', 'buddy', root));
    assert.equal(root.type, 'FOLDER');
    assert.equal(root.m_timestamp, undefined, 'the FAT root has no m_timestamp');
    const kids = childrenOf(root);
    const byDisplay = new Map(kids.map((k) => [String(k.display_name), k]));
    assert.deepEqual([...byDisplay.keys()].sort(), [
      'Cube.gcode',
      'Empty Folder',
      'Parts',
      'benchy_0.4n_0.2mm_PETG_MK4S_45m.bgcode',
      'benchy_0.4n_0.2mm_PLA_MK4S_45m.bgcode',
    ]);
    for (const k of kids) {
      assert.match(String(k.name), SFN, `short name ${String(k.name)}`);
      assert.equal(k.size, undefined, `${String(k.display_name)} has no size in a listing`);
      assert.equal(k.ro, false);
      assert.equal(k.read_only, undefined);
      assert.equal(typeof k.m_timestamp, 'number');
    }
    const shorts = ['benchy_0.4n_0.2mm_PLA_MK4S_45m.bgcode', 'benchy_0.4n_0.2mm_PETG_MK4S_45m.bgcode'].map((n) =>
      String(byDisplay.get(n)?.name),
    );
    for (const s of shorts) assert.match(s, /^BENCHY~\d\.BGC$/);
    assert.notEqual(shorts[0], shorts[1]);
    // A 5-letter extension loses information, so even a short body gets a numeric tail.
    assert.equal(byDisplay.get('Cube.gcode')?.name, 'CUBE~1.GCO');
    assert.equal(byDisplay.get('Parts')?.type, 'FOLDER');
    const refs = asRecord(byDisplay.get('Cube.gcode')?.refs);
    assert.equal(refs.download, '/usb/CUBE~1.GCO');
    assert.equal(byDisplay.get('Parts')?.name, 'PARTS');
  }),
);

test('Pi root listing: real names, sizes, read_only, dot-files hidden, other files typed FILE', T, (t) =>
  withPrinter(optionsFor('pi'), async (printer, client) => {
    seedMix(printer);
    const root = asRecord(await client.getJson('/api/v1/files/local'));
    await conformsToSpec(t, 'pi GET /api/v1/files/{storage}', (oas) => oas.validate('GET /api/v1/files/{storage}', 'pi', root));
    assert.equal(typeof root.m_timestamp, 'number');
    const kids = childrenOf(root);
    const byName = new Map(kids.map((k) => [String(k.name), k]));
    assert.deepEqual([...byName.keys()].sort(), [
      'Cube.gcode',
      'Empty Folder',
      'Parts',
      'benchy_0.4n_0.2mm_PETG_MK4S_45m.bgcode',
      'benchy_0.4n_0.2mm_PLA_MK4S_45m.bgcode',
      'notes.txt',
    ]);
    for (const k of kids) {
      assert.equal(k.display_name, k.name);
      assert.equal(k.read_only, false);
      assert.equal(k.ro, undefined);
    }
    assert.equal(byName.get('Cube.gcode')?.type, 'PRINT_FILE');
    assert.equal(byName.get('Cube.gcode')?.size, 300);
    assert.equal(byName.get('notes.txt')?.type, 'FILE');
    assert.equal(byName.get('benchy_0.4n_0.2mm_PLA_MK4S_45m.bgcode')?.type, 'FILE', 'Pi has no bgcode print type');
    assert.equal(byName.get('Parts')?.type, 'FOLDER');
    assert.equal(byName.get('Parts')?.size, 42, 'a Pi folder size is the sum of its files (deviation pi-folder-size)');
  }),
);

for (const { personality } of PERSONALITIES) {
  test(`a sub-folder lists one level only, with m_timestamp (${personality})`, T, (t) =>
    withPrinter(optionsFor(personality), async (printer, client) => {
      seedMix(printer);
      const folder = asRecord(await client.getJson(filesTarget(printer.storage, personality === 'buddy' ? 'PARTS' : 'Parts')));
      await conformsToSpec(t, `${personality} GET /api/v1/files/{storage}/{path}`, (oas) =>
        oas.validate('GET /api/v1/files/{storage}/{path}', personality, folder),
      );
      assert.equal(typeof folder.m_timestamp, 'number');
      const kids = childrenOf(folder);
      assert.deepEqual(kids.map((k) => String(k.display_name)).sort(), ['deeper', 'inner.gcode']);
      const deeper = kids.find((k) => k.display_name === 'deeper');
      assert.equal(deeper?.children, undefined, 'no recursion');
      const recursive = asRecord(await client.getJson(`${filesTarget(printer.storage, 'Parts')}?recursive=true`));
      assert.equal(childrenOf(recursive).find((k) => k.display_name === 'deeper')?.children, undefined);
    }),
  );

  test(`a single file GET has size and matches the spec (${personality})`, T, (t) =>
    withPrinter(optionsFor(personality), async (printer, client) => {
      seedMix(printer);
      const file = asRecord(await client.getJson(filesTarget(printer.storage, 'Parts/inner.gcode')));
      await conformsToSpec(t, `${personality} GET /api/v1/files/{storage}/{path}`, (oas) =>
        oas.validate('GET /api/v1/files/{storage}/{path}', personality, file),
      );
      assert.equal(file.size, 40);
      assert.equal(file.type, 'PRINT_FILE');
      assert.equal(file.display_name, 'inner.gcode');
      assert.equal((await client.get(filesTarget(printer.storage, 'Parts/missing.gcode'))).status, 404);
      assert.equal((await client.get(filesTarget(printer.storage, 'NoSuchFolder'))).status, 404);
    }),
  );

  test(`HEAD answers 200 with the file headers and no body, 404 when missing (${personality})`, T, (t) =>
    withPrinter(optionsFor(personality), async (printer, client) => {
      printer.seed('a.gcode', 'G28\n');
      printer.seed('b.gcode', 'G28\n');
      const target = filesTarget(printer.storage, 'a.gcode');
      const idle = await client.head(target);
      assert.equal(idle.status, 200);
      assert.equal(idle.body.length, 0);
      await conformsToSpec(t, 'HEAD headers', (oas) => oas.validateHeadHeaders(personality, idle.headers));
      const printedHeader = personality === 'buddy' ? 'currently-printing' : 'currently-printed';
      assert.equal(firstHeader(idle.headers[printedHeader])?.toLowerCase(), 'false');
      printer.setState('PRINTING', { file: 'a.gcode' });
      const busy = await client.head(target);
      assert.equal(firstHeader(busy.headers[printedHeader])?.toLowerCase(), 'true');
      assert.equal(
        firstHeader((await client.head(filesTarget(printer.storage, 'b.gcode'))).headers[printedHeader])?.toLowerCase(),
        'false',
      );
      assert.equal((await client.head(filesTarget(printer.storage, 'missing.gcode'))).status, 404);
    }),
  );
}

test('Buddy HEAD sends no Content-Length', T, () =>
  withPrinter(optionsFor('buddy'), async (printer, client) => {
    printer.seed('a.gcode', 'G28\n');
    const res = await client.head('/api/v1/files/usb/a.gcode');
    assert.equal(res.headers['content-length'], undefined);
    assert.equal(res.headers['read-only'], 'false');
  }),
);

test('Buddy serves raw bytes at GET /usb/<path>, by long or short name, with auth', T, () =>
  withPrinter(optionsFor('buddy'), async (printer, client) => {
    const body = Buffer.from('G28\nG1 X1\n'.repeat(100));
    printer.seed('Parts/Long File Name.gcode', body);
    const byLong = await client.request('GET', '/usb/Parts/Long%20File%20Name.gcode');
    assert.equal(byLong.status, 200);
    assert.deepEqual(byLong.body, body);
    const short = String(childrenOf(await client.getJson('/api/v1/files/usb/Parts'))[0]?.name);
    const byShort = await client.request('GET', `/usb/PARTS/${short}`);
    assert.deepEqual(byShort.body, body);
    assert.equal((await client.request('GET', '/usb/Parts/Long%20File%20Name.gcode', { auth: 'none' })).status, 401);
  }),
);

test('Buddy collapses // and refuses ../ with 404', T, () =>
  withPrinter(optionsFor('buddy'), async (printer, client) => {
    printer.seed('Parts/a.gcode', 'X');
    assert.equal((await client.get('/api/v1/files/usb//Parts//a.gcode')).status, 200);
    assert.equal((await client.get('/api/v1/files/usb/Parts/../Parts/a.gcode')).status, 404);
  }),
);

test('Buddy folder ETag gives 304 on If-None-Match and changes after an upload', T, () =>
  withPrinter(optionsFor('buddy'), async (printer, client) => {
    printer.seed('a.gcode', 'X');
    const first = await client.get('/api/v1/files/usb');
    const etag = firstHeader(first.headers.etag);
    assert.match(etag ?? '', /^"\d+"$/);
    const again = await client.get('/api/v1/files/usb', { headers: { 'If-None-Match': etag ?? '' } });
    assert.equal(again.status, 304);
    assert.equal((await client.put(filesTarget('usb', 'b.gcode'), 'Y')).status, 201);
    const changed = await client.get('/api/v1/files/usb', { headers: { 'If-None-Match': etag ?? '' } });
    assert.equal(changed.status, 200);
    assert.notEqual(firstHeader(changed.headers.etag), etag);
  }),
);

test('Pi listing carries a weak ETag and Last-Modified and honours If-None-Match', T, () =>
  withPrinter(optionsFor('pi'), async (printer, client) => {
    printer.seed('a.gcode', 'X');
    const first = await client.get('/api/v1/files/local');
    const etag = firstHeader(first.headers.etag) ?? '';
    assert.match(etag, /^W\//);
    assert.ok(first.headers['last-modified'] !== undefined);
    assert.equal((await client.get('/api/v1/files/local', { headers: { 'If-None-Match': etag } })).status, 304);
  }),
);

test('Buddy shows a Prusa Connect download as a read-only entry without a download ref', T, () =>
  withPrinter(optionsFor('buddy'), async (printer, client) => {
    printer.setForeignTransfer(true, { path: 'incoming.gcode', size: 5000 });
    const kids = childrenOf(await client.getJson('/api/v1/files/usb'));
    const partial = kids.find((k) => k.display_name === 'incoming.gcode');
    assert.ok(partial !== undefined, JSON.stringify(kids));
    assert.equal(partial.ro, true);
    assert.equal(asRecord(partial.refs ?? {}).download, undefined);
  }),
);

test('Buddy: a long folder is descended by its short name, and refs use short paths', T, () =>
  withPrinter(optionsFor('buddy'), async (printer, client) => {
    printer.seed('Functional Parts/Long bracket file.gcode', 'G28\n');
    const folder = childrenOf(await client.getJson('/api/v1/files/usb'))[0];
    assert.equal(folder?.display_name, 'Functional Parts');
    const folderShort = String(folder?.name);
    assert.match(folderShort, /^FUNCTI~\d$/);
    const inner = childrenOf(await client.getJson(`/api/v1/files/usb/${encodeURIComponent(folderShort)}`));
    const file = inner[0];
    assert.equal(file?.display_name, 'Long bracket file.gcode');
    const fileShort = String(file?.name);
    assert.equal(asRecord(file?.refs).download, `/usb/${folderShort}/${fileShort}`);
    for (const p of [
      `${folderShort}/Long bracket file.gcode`,
      `Functional Parts/${fileShort}`,
      `functional parts/LONG BRACKET FILE.GCODE`,
    ]) {
      assert.equal((await client.get(filesTarget('usb', p))).status, 200, p);
    }
  }),
);
