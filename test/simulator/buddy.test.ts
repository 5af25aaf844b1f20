// Buddy personality over real HTTP: auth, listings with 8.3 names, uploads and their refusals, deletes.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { manualClock, startPrinter, type SimPrinter } from '../../src/simulator/index.js';
import { authed, json, send } from './client.js';

const T = { timeout: 20_000 };
const GCODE = { 'Content-Type': 'text/x.gcode' };

describe('simulated Buddy printer', () => {
  let p: SimPrinter;
  beforeEach(async () => {
    p = await startPrinter({ model: 'MK4S', name: 'mk4s-test', password: 'Secret-1' });
  });
  afterEach(async () => {
    await p.close();
  });

  it('challenges with the Printer API digest realm, no qop, a 16-hex nonce', T, async () => {
    const r = await send(p, 'GET', '/api/v1/status');
    assert.equal(r.status, 401);
    assert.match(String(r.headers['www-authenticate']), /^Digest realm="Printer API", nonce="[0-9a-f]{16}", stale=false$/);
  });

  it('accepts digest and an X-Api-Key equal to the password, refuses a wrong key with 401', T, async () => {
    assert.equal((await authed(p, 'GET', '/api/version')).status, 200);
    assert.equal((await send(p, 'GET', '/api/version', { headers: { 'X-Api-Key': 'Secret-1' } })).status, 200);
    const bad = await send(p, 'GET', '/api/version', { headers: { 'X-Api-Key': 'wrong' } });
    assert.equal(bad.status, 401);
    assert.equal(bad.headers['www-authenticate'], 'ApiKey realm="Printer API"');
    assert.deepEqual(
      p.requests().map((e) => e.auth),
      ['none', 'digest', 'api-key', 'invalid'],
    );
  });

  it('ignores the digest user name: the password alone decides', T, async () => {
    const probe = await send(p, 'GET', '/api/version');
    const { digestHeader } = await import('./client.js');
    const h = digestHeader(String(probe.headers['www-authenticate']), 'GET', '/api/v1/info', 'maker', 'Secret-1').replace(
      'username="maker"',
      'username="someone"',
    );
    const r = await send(p, 'GET', '/api/v1/info', { headers: { Authorization: h } });
    assert.equal(r.status, 200);
    assert.equal(json(r).serial, p.serial);
  });

  it('identifies itself as Buddy with upload-by-put and a stable serial', T, async () => {
    const v = json(await authed(p, 'GET', '/api/version'));
    assert.equal(v.text, 'PrusaLink');
    assert.equal(v.capabilities['upload-by-put'], true);
    const serial = json(await authed(p, 'GET', '/api/v1/info')).serial;
    const again = await startPrinter({ model: 'MK4S', name: 'mk4s-test' });
    assert.equal(again.serial, serial);
    await again.close();
  });

  it('uploads into new folders and lists 8.3 names, long display names, no sizes', T, async () => {
    const put = await authed(p, 'PUT', '/api/v1/files/usb/Parts/Benchy%20Big_0.4n.gcode', { body: 'G28\nG1 X1\n', headers: GCODE });
    assert.equal(put.status, 201);
    assert.equal(put.headers.connection, 'close');
    assert.equal(json(put).name, 'BENCHY~1.GCO');
    const root = json(await authed(p, 'GET', '/api/v1/files/usb'));
    assert.equal(root.m_timestamp, undefined);
    assert.deepEqual(
      root.children.map((c: any) => [c.name, c.display_name, c.type]),
      [['PARTS', 'Parts', 'FOLDER']],
    );
    const folder = json(await authed(p, 'GET', '/api/v1/files/usb/PARTS'));
    const child = folder.children[0];
    assert.equal(child.name, 'BENCHY~1.GCO');
    assert.equal(child.display_name, 'Benchy Big_0.4n.gcode');
    assert.equal(child.size, undefined);
    assert.equal(child.ro, false);
    assert.equal(child.m_timestamp % 2, 0);
    assert.equal(child.refs.download, '/usb/PARTS/BENCHY~1.GCO');
    const one = json(await authed(p, 'GET', '/api/v1/files/usb/PARTS/BENCHY~1.GCO'));
    assert.equal(one.size, 10);
    assert.equal(p.readFile('Parts/Benchy Big_0.4n.gcode')?.toString(), 'G28\nG1 X1\n');
    const raw = await authed(p, 'GET', '/usb/PARTS/BENCHY~1.GCO');
    assert.equal(raw.text, 'G28\nG1 X1\n');
  });

  it('resolves every path component case-insensitively, by long or short name', T, async () => {
    p.seed('Farm/Jigs/Clip.gcode', 'x');
    for (const path of ['farm/JIGS/clip.GCODE', 'FARM/jigs/CLIP~1.GCO', 'Farm/Jigs/Clip.gcode']) {
      assert.equal((await authed(p, 'GET', `/api/v1/files/usb/${path}`)).status, 200, path);
    }
  });

  it('hides dot-names and non-print files from listings', T, async () => {
    p.seed('a.gcode', '1');
    p.seed('b.bgcode', '2');
    p.seed('notes.txt', '3');
    p.seed('.hidden.gcode', '4');
    const names = json(await authed(p, 'GET', '/api/v1/files/usb'))
      .children.map((c: any) => c.display_name)
      .sort();
    assert.deepEqual(names, ['a.gcode', 'b.bgcode']);
  });

  it('refuses an existing target unless Overwrite is exactly ?1, and keeps the old file', T, async () => {
    p.seed('a.gcode', 'old');
    for (const value of [undefined, 'true', '1', '?0']) {
      const headers: Record<string, string> = { ...GCODE, ...(value ? { Overwrite: value } : {}) };
      const r = await authed(p, 'PUT', '/api/v1/files/usb/A.GCODE', { body: 'new', headers });
      assert.equal(r.status, 409, String(value));
      assert.match(r.text, /File already exists/);
    }
    assert.equal(p.readFile('a.gcode')?.toString(), 'old');
    const ok = await authed(p, 'PUT', '/api/v1/files/usb/A.gcode', { body: 'new!', headers: { ...GCODE, Overwrite: '?1' } });
    assert.equal(ok.status, 201);
    assert.deepEqual(
      p.files().map((f) => [f.path, f.size]),
      [['A.gcode', 4]],
    );
  });

  it('answers 501 for an empty file, 411 without Content-Length, 415 for a non-print name', T, async () => {
    assert.equal((await authed(p, 'PUT', '/api/v1/files/usb/e.gcode', { body: '', headers: { 'Content-Length': '0' } })).status, 501);
    assert.equal(
      (await authed(p, 'PUT', '/api/v1/files/usb/e.gcode', { body: 'x', headers: { 'Transfer-Encoding': 'chunked' } })).status,
      411,
    );
    const r = await authed(p, 'PUT', '/api/v1/files/usb/readme.txt', { body: 'x', headers: { Accept: 'application/json' } });
    assert.equal(r.status, 415);
    assert.deepEqual(json(r), { title: '415: Unsupported Media Type', message: 'Not a GCODE' });
    assert.deepEqual(p.files(), []);
  });

  it('answers 414 for a raw target over 168 bytes and cuts PUT paths at 103 bytes', T, async () => {
    const long = '/api/v1/files/usb/' + 'a'.repeat(147) + '.gcode';
    assert.equal(long.length, 171);
    assert.equal((await authed(p, 'GET', long)).status, 414);
    // "/usb/" + 93 + ".gcode" = 104 bytes: the last 'e' is cut and the name is no print file.
    const cut = await authed(p, 'PUT', '/api/v1/files/usb/' + 'b'.repeat(93) + '.gcode', { body: 'x' });
    assert.equal(cut.status, 415);
    // A cut that leaves a print extension stores the file under the truncated name.
    const name = 'c'.repeat(92) + '.gc' + 'ode';
    const stored = await authed(p, 'PUT', '/api/v1/files/usb/' + name + '.gcode', { body: 'x' });
    assert.equal(stored.status, 201);
    assert.deepEqual(
      p.files().map((f) => f.path),
      ['c'.repeat(92) + '.gcode'],
    );
  });

  it('protects the printed file: 409 on delete and overwrite, Currently-Printing on HEAD, job JSON', T, async () => {
    p.seed('parts/benchy_long_name.gcode', 'G28');
    p.setState('PRINTING', { file: 'parts/benchy_long_name.gcode' });
    const del = await authed(p, 'DELETE', '/api/v1/files/usb/PARTS/BENCHY~1.GCO');
    assert.equal(del.status, 409);
    const put = await authed(p, 'PUT', '/api/v1/files/usb/parts/benchy_long_name.gcode', { body: 'new', headers: { Overwrite: '?1' } });
    assert.equal(put.status, 409);
    assert.match(put.text, /File is busy/);
    const head = await authed(p, 'HEAD', '/api/v1/files/usb/parts/benchy_long_name.gcode');
    assert.equal(head.headers['currently-printing'], 'true');
    assert.equal(head.headers['read-only'], 'false');
    const job = json(await authed(p, 'GET', '/api/v1/job'));
    assert.equal(job.file.name, 'BENCHY~1.GCO');
    assert.equal(job.file.display_name, 'benchy_long_name.gcode');
    assert.equal(job.file.path, '/usb/PARTS');
    const status = json(await authed(p, 'GET', '/api/v1/status'));
    assert.equal(status.printer.state, 'PRINTING');
    assert.equal(status.job.id, job.id);
    p.setState('FINISHED');
    assert.equal((await authed(p, 'DELETE', '/api/v1/files/usb/parts/benchy_long_name.gcode')).status, 204);
    assert.equal((await authed(p, 'GET', '/api/v1/job')).status, 204);
    assert.equal(json(await authed(p, 'GET', '/api/v1/status')).job, undefined);
  });

  it('deletes empty folders, answers 404 for non-empty ones', T, async () => {
    p.seed('full/a.gcode', '1');
    p.seedFolder('empty');
    assert.equal((await authed(p, 'DELETE', '/api/v1/files/usb/full')).status, 404);
    assert.equal((await authed(p, 'DELETE', '/api/v1/files/usb/EMPTY')).status, 204);
    assert.deepEqual(p.folders(), ['full']);
  });

  it('creates one folder level with Create-Folder: 201, then 409, 500 without parent', T, async () => {
    const h = { 'Create-Folder': '?1', 'Content-Length': '0' };
    assert.equal((await authed(p, 'PUT', '/api/v1/files/usb/newdir', { headers: h })).status, 201);
    assert.equal((await authed(p, 'PUT', '/api/v1/files/usb/NEWDIR', { headers: h })).status, 409);
    assert.equal((await authed(p, 'PUT', '/api/v1/files/usb/no/such', { headers: h })).status, 500);
    assert.deepEqual(p.folders(), ['newdir']);
  });

  it('without a USB stick: storage unavailable, empty root listing, 507 on upload', T, async () => {
    p.seed('a.gcode', '1');
    p.setUsbPresent(false);
    const storage = json(await authed(p, 'GET', '/api/v1/storage')).storage_list[0];
    assert.equal(storage.available, false);
    const root = await authed(p, 'GET', '/api/v1/files/usb');
    assert.equal(root.status, 200);
    assert.deepEqual(json(root).children, []);
    assert.equal((await authed(p, 'PUT', '/api/v1/files/usb/b.gcode', { body: 'x' })).status, 507);
    p.setUsbPresent(true);
    assert.equal(json(await authed(p, 'GET', '/api/v1/files/usb')).children.length, 1);
  });

  it('refuses an upload while a foreign transfer holds the slot, and shows the transfer', T, async () => {
    p.setForeignTransfer(true, { path: 'connect.gcode', size: 100 });
    const r = await authed(p, 'PUT', '/api/v1/files/usb/b.gcode', { body: 'x' });
    assert.equal(r.status, 409);
    assert.match(r.text, /Another transfer in progress/);
    assert.equal(typeof json(await authed(p, 'GET', '/api/v1/status')).transfer.id, 'number');
    assert.equal((await authed(p, 'GET', '/api/v1/transfer')).status, 200);
    p.setForeignTransfer(false);
    assert.equal((await authed(p, 'GET', '/api/v1/transfer')).status, 204);
  });

  it('answers a PUT without auth before reading the body, then closes', T, async () => {
    const body = Buffer.alloc(8 * 1024 * 1024, 0x41);
    const r = await send(p, 'PUT', '/api/v1/files/usb/big.gcode', { body });
    assert.ok(r.status === 401 || r.error !== undefined, `status ${r.status} error ${r.error}`);
    const entry = p.requests().find((e) => e.method === 'PUT');
    assert.equal(entry?.status, 401);
    assert.equal(entry?.bytesIn, 0);
    assert.deepEqual(p.files(), []);
  });

  it('other storages are forbidden and .. escapes are not found', T, async () => {
    assert.equal((await authed(p, 'GET', '/api/v1/files/local')).status, 403);
    assert.equal((await authed(p, 'GET', '/api/v1/files/usb/../x')).status, 404);
  });

  it('stamps files with the FAT epoch when the clock was never set', T, async () => {
    p.setClock({ unset: true });
    await authed(p, 'PUT', '/api/v1/files/usb/t.gcode', { body: 'x' });
    assert.equal(p.files()[0]?.mTimestamp, 315532800);
  });

  it('tags folder listings with an ETag that answers 304 until something changes', T, async () => {
    p.seed('a.gcode', '1');
    const first = await authed(p, 'GET', '/api/v1/files/usb');
    const etag = String(first.headers.etag);
    assert.match(etag, /^"\d+"$/);
    assert.equal((await authed(p, 'GET', '/api/v1/files/usb', { headers: { 'If-None-Match': etag } })).status, 304);
    await authed(p, 'PUT', '/api/v1/files/usb/b.gcode', { body: 'x' });
    assert.equal((await authed(p, 'GET', '/api/v1/files/usb', { headers: { 'If-None-Match': etag } })).status, 200);
  });

  it('shows a foreign download as a read-only entry without a download link, and refuses to delete it', T, async () => {
    p.setForeignTransfer(true, { path: 'connect_job.gcode', size: 1000 });
    const entry = json(await authed(p, 'GET', '/api/v1/files/usb')).children[0];
    assert.equal(entry.ro, true);
    assert.equal(entry.refs, undefined);
    assert.equal((await authed(p, 'DELETE', '/api/v1/files/usb/connect_job.gcode')).status, 409);
  });

  it('starts a print with Print-After-Upload, and keeps the file when it cannot', T, async () => {
    const first = await authed(p, 'PUT', '/api/v1/files/usb/one.gcode', { body: 'x', headers: { 'Print-After-Upload': '?1' } });
    assert.equal(first.status, 201);
    assert.equal(json(await authed(p, 'GET', '/api/v1/job')).file.display_name, 'one.gcode');
    const second = await authed(p, 'PUT', '/api/v1/files/usb/two.gcode', { body: 'y', headers: { 'Print-After-Upload': '?1' } });
    assert.equal(second.status, 409);
    assert.deepEqual(
      p
        .files()
        .map((f) => f.path)
        .sort(),
      ['one.gcode', 'two.gcode'],
    );
  });

  it('expires nonces: an old nonce with a right answer gets stale=true', T, async () => {
    const clock = manualClock();
    const short = await startPrinter({ model: 'MK4', password: 'pw', nonceLifetimeSec: 1, now: clock.now });
    try {
      const { digestHeader } = await import('./client.js');
      const probe = await send(short, 'GET', '/api/version');
      const h = digestHeader(String(probe.headers['www-authenticate']), 'GET', '/api/v1/info', 'maker', 'pw');
      assert.equal((await send(short, 'GET', '/api/v1/info', { headers: { Authorization: h } })).status, 200);
      clock.advance(2600);
      const old = await send(short, 'GET', '/api/v1/info', { headers: { Authorization: h } });
      assert.equal(old.status, 401);
      assert.match(String(old.headers['www-authenticate']), /stale=true$/);
      const wrong = digestHeader(String(probe.headers['www-authenticate']), 'GET', '/api/v1/info', 'maker', 'nope');
      assert.match(
        String((await send(short, 'GET', '/api/v1/info', { headers: { Authorization: wrong } })).headers['www-authenticate']),
        /stale=false$/,
      );
    } finally {
      await short.close();
    }
  });

  it("reads '+' in a path as a space, so a literal plus needs %2B", T, async () => {
    assert.equal((await authed(p, 'PUT', '/api/v1/files/usb/a+b.gcode', { body: '1' })).status, 201);
    assert.equal((await authed(p, 'PUT', '/api/v1/files/usb/c%2Bd.gcode', { body: '2' })).status, 201);
    assert.deepEqual(
      p
        .files()
        .map((f) => f.path)
        .sort(),
      ['a b.gcode', 'c+d.gcode'],
    );
  });

  it('lets the auth header that comes last decide when both are sent', T, async () => {
    const probe = await send(p, 'GET', '/api/version');
    const { digestHeader } = await import('./client.js');
    const good = digestHeader(String(probe.headers['www-authenticate']), 'GET', '/api/v1/info', 'maker', 'Secret-1');
    const keyLast = await send(p, 'GET', '/api/v1/info', { headers: { Authorization: good, 'X-Api-Key': 'wrong' } });
    assert.equal(keyLast.status, 401);
    const digestLast = await send(p, 'GET', '/api/v1/info', { headers: { 'X-Api-Key': 'wrong', Authorization: good } });
    assert.equal(digestLast.status, 200);
  });
});
