// The /_sim HTTP control path, files kept on disk, and the farm.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startFarm, startPrinter } from '../../src/simulator/index.js';
import { authed, json, send } from './client.js';

const T = { timeout: 20_000 };

describe('simulator controls', () => {
  it('drives state, files, faults and the request log over /_sim without auth', T, async () => {
    const p = await startPrinter({ model: 'MK4' });
    try {
      const post = (path: string, body: unknown) =>
        send(p, 'POST', path, { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
      assert.equal((await post('/_sim/seed', { path: 'parts/a.gcode', content: 'G28' })).status, 200);
      assert.equal((await post('/_sim/state', { state: 'PRINTING', file: 'parts/a.gcode' })).status, 200);
      assert.equal(json(await authed(p, 'GET', '/api/v1/status')).printer.state, 'PRINTING');
      const files = json(await send(p, 'GET', '/_sim/files'));
      assert.deepEqual(
        files.map((f: any) => [f.storage, f.path, f.size]),
        [['usb', 'parts/a.gcode', 3]],
      );
      assert.equal((await post('/_sim/faults', { kind: 'status', status: 500, times: 1, pathPrefix: '/api/v1/info' })).status, 200);
      assert.equal((await authed(p, 'GET', '/api/v1/info')).status, 500);
      assert.equal((await post('/_sim/faults', { kind: 'nonsense' })).status, 400);
      assert.equal((await post('/_sim/usb', { present: false })).status, 200);
      assert.equal(json(await authed(p, 'GET', '/api/v1/storage')).storage_list[0].available, false);
      assert.equal((await post('/_sim/state', { state: 'FLYING' })).status, 400);
      const log = json(await send(p, 'GET', '/_sim/requests'));
      assert.ok(log.length > 0);
      assert.ok(
        log.every((e: any) => !e.target.startsWith('/_sim')),
        'control requests are not logged',
      );
      assert.ok(
        log.every((e: any) => e.headers.authorization === undefined),
        'no credentials in the log',
      );
      assert.equal((await send(p, 'DELETE', '/_sim/requests')).status, 200);
      assert.deepEqual(p.requests(), []);
    } finally {
      await p.close();
    }
  });

  it('keeps files on disk under storageDir and finds them again after a restart', T, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-disk-'));
    try {
      const p = await startPrinter({ model: 'MK4', name: 'disk', storageDir: dir, password: 'pw-disk' });
      assert.equal((await authed(p, 'PUT', '/api/v1/files/usb/Parts/Big%20Benchy.gcode', { body: 'G1 X1\n' })).status, 201);
      await p.close();
      assert.equal(readFileSync(join(dir, 'usb', 'Parts', 'Big Benchy.gcode'), 'utf8'), 'G1 X1\n');
      const again = await startPrinter({ model: 'MK4', name: 'disk', storageDir: dir, password: 'pw-disk' });
      assert.deepEqual(
        again.files().map((f) => f.path),
        ['Parts/Big Benchy.gcode'],
      );
      assert.equal((await authed(again, 'DELETE', '/api/v1/files/usb/PARTS/BIGBEN~1.GCO')).status, 204);
      assert.equal(existsSync(join(dir, 'usb', 'Parts', 'Big Benchy.gcode')), false);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps only size and hash with keepContent: false', T, async () => {
    const p = await startPrinter({ model: 'MK3S', keepContent: false });
    try {
      await authed(p, 'PUT', '/api/v1/files/local/h.gcode', { body: 'abc', headers: { 'Content-Type': 'text/x.gcode' } });
      const [f] = p.files();
      assert.equal(f?.sha256, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
      assert.equal(p.readFile('h.gcode'), undefined);
    } finally {
      await p.close();
    }
  });

  it('setRate paces the transfers that start after it; undefined lifts the limit', T, async () => {
    const p = await startPrinter({ model: 'MK4', password: 'Secret-1' });
    const body = Buffer.alloc(2_000_000, 0x47);
    const put = (name: string) =>
      request({
        host: '127.0.0.1',
        port: p.port,
        method: 'PUT',
        path: `/api/v1/files/usb/${name}`,
        headers: { 'X-Api-Key': 'Secret-1', 'Content-Type': 'text/x.gcode', 'Content-Length': String(body.length) },
        agent: false,
      });
    try {
      assert.throws(() => p.setRate(0), /positive number of bytes\/s/);
      // 20 kB/s: the 2 MB would take 100 s. A moment after it starts, the printer has taken at most its
      // rate's worth since the request (plus the quarter second it may catch up and two 2 kB pieces);
      // unpaced it would have it all. A slow machine takes fewer bytes, never more.
      const RATE = 20_000;
      p.setRate(RATE);
      const slow = put('slow.gcode');
      slow.on('error', () => undefined);
      const sent = Date.now();
      slow.end(body);
      const until = Date.now() + 10_000;
      const takenSoFar = (): number => p.transfer()?.transferred ?? (p.files().some((f) => f.path === 'slow.gcode') ? body.length : 0);
      while (takenSoFar() === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 300));
      const taken = takenSoFar();
      const bound = RATE * ((Date.now() - sent) / 1000 + 0.25) + 2 * 2_000;
      assert.ok(taken > 0, 'the upload started');
      assert.ok(taken <= bound, `paced: ${taken} bytes taken, at most ${Math.round(bound)} at ${RATE} B/s`);
      // A reset, as a client that gives up sends: the printer drops the transfer at once.
      slow.socket?.resetAndDestroy();
      while (p.transfer() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      assert.equal(p.transfer(), undefined, 'the dropped upload ended');
      // Unlimited again: the same 2 MB is taken whole within the test's time limit.
      p.setRate(undefined);
      const status = await new Promise<number>((resolve, reject) => {
        const fast = put('fast.gcode');
        fast.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        fast.on('error', reject);
        fast.end(body);
      });
      assert.equal(status, 201);
      assert.equal(p.files().find((f) => f.path === 'fast.gcode')?.size, body.length);
    } finally {
      await p.close();
    }
  });

  it('starts a farm with one port each and distinct serials', T, async () => {
    const farm = await startFarm([{ model: 'MK4' }, { model: 'XL' }, { model: 'MK3' }]);
    try {
      const ports = new Set(farm.printers.map((p) => p.port));
      assert.equal(ports.size, 3);
      assert.equal(new Set(farm.printers.map((p) => p.serial)).size, 3);
      assert.deepEqual(
        farm.printers.map((p) => p.personality),
        ['buddy', 'buddy', 'pi'],
      );
      for (const p of farm.printers) assert.equal((await authed(p, 'GET', '/api/version')).status, 200);
    } finally {
      await farm.close();
    }
  });
});
