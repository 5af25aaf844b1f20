// Pi personality over real HTTP: MD5-sess digest bound to the User-Agent, separate API key,
// real names with sizes, upload checks, .part leftovers, Force deletes.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startPrinter, type SimPrinter } from '../../src/simulator/index.js';
import { authed, digestHeader, json, send } from './client.js';

const T = { timeout: 20_000 };
const GCODE = { 'Content-Type': 'text/x.gcode' };

describe('simulated Pi printer', () => {
  let p: SimPrinter;
  beforeEach(async () => {
    p = await startPrinter({ model: 'MK3S', name: 'mk3s-test', username: 'farm', password: 'pi-pass', apiKey: 'key-1234567' });
  });
  afterEach(async () => {
    await p.close();
  });

  it('challenges with MD5-sess, qop=auth, an opaque, and accepts a correct answer', T, async () => {
    const r = await send(p, 'GET', '/api/v1/status');
    assert.equal(r.status, 401);
    assert.match(
      String(r.headers['www-authenticate']),
      /^Digest realm="Administrator",qop="auth",algorithm="MD5-sess",nonce="[0-9a-f]{64}",opaque="[0-9a-f]{64}"$/,
    );
    assert.match(String(r.headers['content-type']), /text\/html/);
    assert.equal((await authed(p, 'GET', '/api/v1/status')).status, 200);
  });

  it('binds the nonce to the User-Agent: another agent gets 401 stale=true', T, async () => {
    const probe = await send(p, 'GET', '/api/version', { headers: { 'User-Agent': 'agent-A' } });
    const h = digestHeader(String(probe.headers['www-authenticate']), 'GET', '/api/v1/info', 'farm', 'pi-pass');
    assert.equal((await send(p, 'GET', '/api/v1/info', { headers: { 'User-Agent': 'agent-A', Authorization: h } })).status, 200);
    const other = await send(p, 'GET', '/api/v1/info', { headers: { 'User-Agent': 'agent-B', Authorization: h } });
    assert.equal(other.status, 401);
    assert.match(String(other.headers['www-authenticate']), /,stale=true$/);
  });

  it('checks the user name and password', T, async () => {
    const probe = await send(p, 'GET', '/api/version');
    const wrongUser = digestHeader(String(probe.headers['www-authenticate']), 'GET', '/api/version', 'maker', 'pi-pass');
    assert.equal((await send(p, 'GET', '/api/version', { headers: { Authorization: wrongUser } })).status, 401);
    const wrongPass = digestHeader(String(probe.headers['www-authenticate']), 'GET', '/api/version', 'farm', 'nope');
    assert.equal((await send(p, 'GET', '/api/version', { headers: { Authorization: wrongPass } })).status, 401);
  });

  it('takes its own API key; a wrong key is 403 even with valid digest', T, async () => {
    assert.equal((await send(p, 'GET', '/api/version', { headers: { 'X-Api-Key': 'key-1234567' } })).status, 200);
    const bad = await send(p, 'GET', '/api/version', { headers: { 'X-Api-Key': 'pi-pass' } });
    assert.equal(bad.status, 403);
    assert.equal(bad.text.trim(), 'Bad X-Api-Key.');
    const noKey = await startPrinter({ model: 'MK3' });
    assert.equal((await send(noKey, 'GET', '/api/version', { headers: { 'X-Api-Key': 'anything' } })).status, 403);
    await noKey.close();
  });

  it('identifies itself as PrusaLink on a Pi with two storages', T, async () => {
    const v = json(await authed(p, 'GET', '/api/version'));
    assert.equal(v.original, 'PrusaLink I3MK3S');
    assert.equal(v.capabilities['upload-by-put'], true);
    const list = json(await authed(p, 'GET', '/api/v1/storage')).storage_list;
    assert.deepEqual(
      list.map((s: any) => [s.path, s.read_only]),
      [
        ['/local', false],
        ['/sdcard', true],
      ],
    );
    const status = json(await authed(p, 'GET', '/api/v1/status'));
    assert.ok(Array.isArray(status.storage));
  });

  it('uploads with 201 and an empty body, lists real names with sizes, closes every connection', T, async () => {
    const put = await authed(p, 'PUT', '/api/v1/files/local/Parts/Benchy%2BPLA.gcode', { body: 'G28\n', headers: GCODE });
    assert.equal(put.status, 201);
    assert.equal(put.text, '');
    assert.equal(put.headers.connection, 'close');
    const folder = await authed(p, 'GET', '/api/v1/files/local/Parts', { headers: { 'Connection': 'keep-alive' } });
    assert.equal(folder.headers.connection, 'close');
    const child = json(folder).children[0];
    assert.deepEqual(
      [child.name, child.display_name, child.size, child.read_only, child.type],
      ['Benchy+PLA.gcode', 'Benchy+PLA.gcode', 4, false, 'PRINT_FILE'],
    );
    assert.equal(json(folder).size, 4);
    assert.equal((await authed(p, 'GET', '/api/v1/files/local/parts/Benchy%2BPLA.gcode')).status, 404, 'names are case-sensitive');
    assert.equal((await authed(p, 'GET', '/api/files/local/Parts/Benchy%2BPLA.gcode/raw')).text, 'G28\n');
  });

  it('lists non-G-code files as FILE, hides dot-files', T, async () => {
    p.seed('a.bgcode', '1');
    p.seed('.secret.gcode', '2');
    const children = json(await authed(p, 'GET', '/api/v1/files/local')).children;
    assert.deepEqual(
      children.map((c: any) => [c.name, c.type]),
      [['a.bgcode', 'FILE']],
    );
  });

  it('checks a PUT before the body: 415 type, 411 length, 409 exists, 409 sdcard, 404 storage, 400 names', T, async () => {
    p.seed('a.gcode', 'old');
    const put = (path: string, headers: Record<string, string>, body?: string) =>
      authed(p, 'PUT', path, { headers, ...(body === undefined ? {} : { body }) });
    assert.equal((await put('/api/v1/files/local/b.gcode', { 'Content-Type': 'application/json' }, 'x')).status, 415);
    assert.equal((await put('/api/v1/files/local/b.gcode', { ...GCODE, 'Content-Length': '0' })).status, 411);
    assert.equal((await put('/api/v1/files/local/a.gcode', GCODE, 'x')).status, 409);
    assert.equal((await put('/api/v1/files/local/a.gcode', { ...GCODE, Overwrite: 'true' }, 'x')).status, 409);
    assert.equal((await put('/api/v1/files/sdcard/b.gcode', GCODE, 'x')).status, 409);
    assert.equal((await put('/api/v1/files/usb/b.gcode', GCODE, 'x')).status, 404);
    assert.equal((await put('/api/v1/files/local/b%23c.gcode', GCODE, 'x')).status, 400);
    assert.equal(p.readFile('a.gcode')?.toString(), 'old');
    assert.equal((await put('/api/v1/files/local/a.gcode', { ...GCODE, Overwrite: '?1' }, 'new')).status, 201);
    assert.equal(p.readFile('a.gcode')?.toString(), 'new');
  });

  it('replaces the printed file on PUT but refuses to delete it', T, async () => {
    p.seed('job.gcode', 'v1');
    p.setState('PRINTING', { file: 'job.gcode' });
    const head = await send(p, 'HEAD', '/api/v1/files/local/job.gcode');
    assert.equal(head.status, 200, 'HEAD needs no auth');
    assert.equal(head.headers['currently-printed'], 'True');
    assert.equal(
      (await authed(p, 'PUT', '/api/v1/files/local/job.gcode', { body: 'v2', headers: { ...GCODE, Overwrite: '?1' } })).status,
      201,
    );
    assert.equal(p.readFile('job.gcode')?.toString(), 'v2');
    assert.equal((await authed(p, 'DELETE', '/api/v1/files/local/job.gcode')).status, 409);
    const job = json(await authed(p, 'GET', '/api/v1/job'));
    assert.equal(job.file.name, 'job.gcode');
    assert.equal(job.file.path, '/local');
  });

  it('deletes a non-empty folder only with Force: ?1', T, async () => {
    p.seed('dir/a.gcode', '1');
    const refused = await authed(p, 'DELETE', '/api/v1/files/local/dir');
    assert.equal(refused.status, 409);
    assert.equal((await authed(p, 'DELETE', '/api/v1/files/local/dir', { headers: { Force: '?1' } })).status, 204);
    assert.deepEqual(p.files(), []);
  });

  it('leaves .name.part behind when the connection drops, and the target untouched', T, async () => {
    p.seed('parts/a.gcode', 'old');
    p.inject({ kind: 'reset-after-bytes', bytes: 1000, times: 1 });
    const r = await authed(p, 'PUT', '/api/v1/files/local/parts/a.gcode', {
      body: Buffer.alloc(50_000, 0x31),
      headers: { ...GCODE, Overwrite: '?1' },
    });
    assert.equal(r.status, 0);
    assert.ok(r.error);
    const files = p
      .files()
      .map((f) => [f.path, f.size])
      .sort();
    assert.deepEqual(files, [
      ['.a.gcode.part', 1000],
      ['parts/a.gcode', 3],
    ]);
    assert.equal(json(await authed(p, 'GET', '/api/v1/status')).transfer, undefined);
    const listed = json(await authed(p, 'GET', '/api/v1/files/local')).children.map((c: any) => c.name);
    assert.deepEqual(listed, ['parts']);
  });
});
