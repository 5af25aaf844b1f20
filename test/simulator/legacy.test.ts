// The legacy firmware personalities over raw HTTP: PrusaLink 0.6 on a Pi and Buddy 4.4 on the MINI,
// and the 410 Gone a current Buddy gives the legacy upload.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startPrinter, type SimPrinter } from '../../src/simulator/index.js';
import { json, send } from './client.js';

const T = { timeout: 20_000 };
const KEY = 'legacy-key-123';

/** A hand-written multipart body, so these tests do not lean on the client's own builder. */
function form(
  fields: Record<string, string>,
  filename: string,
  content: string,
  boundary = 'XyZzY-0042',
): { body: Buffer; headers: Record<string, string> } {
  let text = '';
  for (const [k, v] of Object.entries(fields)) text += `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  text += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n${content}\r\n--${boundary}--\r\n`;
  return { body: Buffer.from(text), headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } };
}

describe('simulated PrusaLink 0.6 (legacy Pi)', () => {
  let p: SimPrinter;
  const key = { 'X-Api-Key': KEY, Accept: 'application/json' };
  const post = (fields: Record<string, string>, filename: string, content: string, target = '/api/files/local') => {
    const f = form(fields, filename, content);
    return send(p, 'POST', target, { body: f.body, headers: { ...key, ...f.headers } });
  };
  beforeEach(async () => {
    p = await startPrinter({ model: 'MK3S', firmware: 'legacy', password: 'pi-pass', apiKey: KEY });
  });
  afterEach(async () => {
    await p.close();
  });

  it('has no upload-by-put capability and no v1 endpoints', T, async () => {
    const version = json(await send(p, 'GET', '/api/version', { headers: key }));
    assert.equal(version.text, 'OctoPrint 1.1.0');
    assert.equal(version.capabilities, undefined);
    assert.equal(p.firmware, 'legacy');
    for (const path of ['/api/v1/status', '/api/v1/storage', '/api/v1/files/local']) {
      assert.equal((await send(p, 'GET', path, { headers: key })).status, 404, path);
    }
  });

  it('lists the whole tree, every path starting with the storage folder, G-code and folders only', T, async () => {
    p.seed('a/b/deep.gcode', 'G1\n', { mTimestamp: 1_700_000_000 });
    p.seed('a/readme.txt', 'hi');
    p.seed('top.bgcode', 'x');
    const tree = json(await send(p, 'GET', '/api/files', { headers: key }));
    const local = tree.files.find((f: { origin: string }) => f.origin === 'local');
    assert.equal(local.path, '/Prusa Link gcodes');
    const a = local.children.find((c: { name: string }) => c.name === 'a');
    assert.deepEqual(
      a.children.map((c: { name: string }) => c.name),
      ['b'],
    );
    const deep = a.children[0].children[0];
    assert.deepEqual([deep.path, deep.size, deep.date, deep.type], ['/Prusa Link gcodes/a/b/deep.gcode', 3, 1_700_000_000, 'machinecode']);
    assert.equal(
      local.children.some((c: { name: string }) => c.name === 'top.bgcode'),
      false,
    );
    assert.ok(tree.files.some((f: { origin: string; path: string }) => f.origin === 'sdcard' && f.path === '/SD Card'));
  });

  it('stores a multipart upload in `path`, creating folders, and answers with the tree', T, async () => {
    const r = await post({ path: '/new/folder', print: 'false' }, 'part ü+.gcode', 'G28\n');
    assert.equal(r.status, 201);
    assert.equal(p.readFile('new/folder/part ü+.gcode')?.toString(), 'G28\n');
    assert.equal(json(r).done, true);
    assert.ok(Array.isArray(json(r).files));
  });

  it('replaces an existing file silently, but not the one being printed', T, async () => {
    p.seed('same.gcode', 'old\n');
    assert.equal((await post({ path: '/' }, 'same.gcode', 'new\n')).status, 201);
    assert.equal(p.readFile('same.gcode')?.toString(), 'new\n');
    p.setState('PRINTING', { file: 'same.gcode' });
    const busy = await post({ path: '/' }, 'same.gcode', 'newer\n');
    assert.equal(busy.status, 409);
    assert.equal(p.readFile('same.gcode')?.toString(), 'new\n');
  });

  it('starts a print when asked to', T, async () => {
    assert.equal((await post({ path: '/', print: 'true' }, 'go.gcode', 'G28\n')).status, 201);
    const printer = json(await send(p, 'GET', '/api/printer', { headers: key }));
    assert.deepEqual([printer.state.text, printer.state.flags.printing, printer.state.flags.link_state], ['Printing', true, 'PRINTING']);
  });

  it('refuses non-G-code (415), the SD card (409) and a second transfer (409)', T, async () => {
    assert.equal((await post({}, 'model.stl', 'solid')).status, 415);
    assert.equal((await post({}, 'a.gcode', 'G1', '/api/files/sdcard')).status, 409);
    p.setForeignTransfer(true, { path: 'x.gcode', size: 10 });
    assert.equal((await post({}, 'b.gcode', 'G1')).status, 409);
    const transfer = await send(p, 'GET', '/api/transfer', { headers: key });
    assert.equal(transfer.status, 200);
    p.setForeignTransfer(false);
    assert.equal((await send(p, 'GET', '/api/transfer', { headers: key })).status, 204);
    assert.equal(p.files().length, 0);
  });

  it('deletes by the tree path, keeps a folder that is not empty, and never touches the SD card', T, async () => {
    p.seed('d/one.gcode', 'G1\n');
    p.seed('sd.gcode', 'G1\n', { storage: 'sdcard' });
    assert.equal(
      (await send(p, 'DELETE', '/api/files/local/d/one.gcode', { headers: key })).status,
      404,
      'the storage folder is part of the path',
    );
    assert.equal((await send(p, 'DELETE', '/api/files/local/Prusa%20Link%20gcodes/d', { headers: key })).status, 409);
    assert.equal((await send(p, 'DELETE', '/api/files/local/Prusa%20Link%20gcodes/d/one.gcode', { headers: key })).status, 204);
    assert.equal((await send(p, 'DELETE', '/api/files/local/Prusa%20Link%20gcodes/d', { headers: key })).status, 204);
    assert.equal((await send(p, 'DELETE', '/api/files/sdcard/SD%20Card/sd.gcode', { headers: key })).status, 409);
    assert.equal(p.readFile('sd.gcode', 'sdcard')?.toString(), 'G1\n');
  });

  it('answers one file with its size and date', T, async () => {
    p.seed('one.gcode', 'G1 X1\n', { mTimestamp: 1_700_000_123 });
    const r = json(await send(p, 'GET', '/api/files/local/Prusa%20Link%20gcodes/one.gcode', { headers: key }));
    assert.deepEqual([r.size, r.date, r.path], [6, 1_700_000_123, '/Prusa Link gcodes/one.gcode']);
    assert.equal((await send(p, 'GET', '/api/files/local/Prusa%20Link%20gcodes/none.gcode', { headers: key })).status, 404);
  });
});

describe('simulated Buddy 4.4 (legacy MINI)', () => {
  let p: SimPrinter;
  const key = { 'X-Api-Key': 'mini-pass', Accept: 'application/json' };
  const post = (fields: Record<string, string>, filename: string, content: string) => {
    const f = form(fields, filename, content);
    return send(p, 'POST', '/api/files/local', { body: f.body, headers: { ...key, ...f.headers } });
  };
  beforeEach(async () => {
    p = await startPrinter({ model: 'MINI', firmware: 'legacy', password: 'mini-pass' });
  });
  afterEach(async () => {
    await p.close();
  });

  it('takes only the API key: no digest challenge', T, async () => {
    const r = await send(p, 'GET', '/api/version');
    assert.equal(r.status, 401);
    assert.match(String(r.headers['www-authenticate']), /^ApiKey realm="Printer API"$/);
    const version = json(await send(p, 'GET', '/api/version', { headers: key }));
    assert.deepEqual([version.text, version.capabilities], ['PrusaLink MINI', undefined]);
    assert.equal((await send(p, 'GET', '/api/v1/storage', { headers: key })).status, 404);
  });

  it('lists the USB root only: 8.3 names, long display names, no size, no folders', T, async () => {
    p.seed('A Long Benchy Name.gcode', 'G1\n');
    p.seed('folder/inner.gcode', 'G1\n');
    p.seed('new.bgcode', 'x');
    for (const path of ['/api/files', '/api/files/local', '/api/files/sdcard']) {
      const tree = json(await send(p, 'GET', path, { headers: key }));
      assert.equal(tree.files.length, 1);
      assert.deepEqual([tree.files[0].name, tree.files[0].path, tree.files[0].origin], ['USB', '/usb', 'usb']);
      const children = tree.files[0].children;
      assert.equal(children.length, 1, path);
      assert.match(children[0].name, /^ALONGB~1\.GCO$/);
      assert.equal(children[0].display, 'A Long Benchy Name.gcode');
      assert.equal(children[0].size, undefined);
    }
  });

  it('stores every upload in the root whatever `path` says, and never overwrites', T, async () => {
    assert.equal((await post({ path: 'parts', print: 'false' }, 'bracket.gcode', 'G1\n')).status, 201);
    assert.equal(p.readFile('bracket.gcode')?.toString(), 'G1\n');
    assert.equal(p.readFile('parts/bracket.gcode'), undefined);
    const again = await post({}, 'BRACKET.gcode', 'G2\n');
    assert.equal(again.status, 409);
    assert.match(json(again).message, /already exists/);
    assert.equal(p.readFile('bracket.gcode')?.toString(), 'G1\n');
    assert.equal((await post({}, 'new.bgcode', 'x')).status, 415);
  });

  it('deletes by /api/files/usb/<name>, long or short', T, async () => {
    p.seed('Long To Delete.gcode', 'G1\n');
    assert.equal((await send(p, 'DELETE', '/api/files/usb/Long%20To%20Delete.gcode', { headers: key })).status, 204);
    assert.equal(p.readFile('Long To Delete.gcode'), undefined);
    assert.equal((await send(p, 'DELETE', '/api/files/usb/missing.gcode', { headers: key })).status, 404);
  });

  it('reports the printer state in flags, without link_state, and the stick in sdReady', T, async () => {
    p.setUsbPresent(false);
    const printer = json(await send(p, 'GET', '/api/printer', { headers: key }));
    assert.deepEqual([printer.state.text, printer.state.flags.operational, printer.state.flags.sdReady], ['Operational', true, false]);
    assert.equal(printer.state.flags.link_state, undefined);
  });
});

describe('legacy firmware choices', () => {
  it('answers the legacy multipart upload of a current Buddy with 410 Gone', T, async () => {
    const p = await startPrinter({ model: 'MK4', password: 'mk4-pass' });
    try {
      const f = form({}, 'a.gcode', 'G1\n');
      const r = await send(p, 'POST', '/api/files/local', { body: f.body, headers: { 'X-Api-Key': 'mk4-pass', ...f.headers } });
      assert.equal(r.status, 410);
      assert.equal(p.files().length, 0);
    } finally {
      await p.close();
    }
  });

  it('has no legacy firmware for models that never ran one', T, async () => {
    await assert.rejects(startPrinter({ model: 'MK4', firmware: 'legacy' }), /MK4 has no legacy firmware/);
  });
});
