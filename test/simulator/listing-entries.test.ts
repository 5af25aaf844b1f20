// The listing-entries fault: extra raw entries in one listing, as objects or as raw bytes, through
// the handle and through the /_sim control API; the volume itself does not change.

import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { startPrinter, type SimPrinter } from '../../src/simulator/index.js';
import { authed } from './client.js';

const T = { timeout: 20_000 };

describe('listing-entries fault', () => {
  let p: SimPrinter | undefined;
  afterEach(async () => {
    await p?.close();
    p = undefined;
  });

  it('adds objects and raw bytes to the listing of exactly that path, once per use, any case', T, async () => {
    p = await startPrinter({ model: 'MK4' });
    p.seed('farm/a.gcode', 'G28\n');
    const raw = Buffer.concat([Buffer.from('{"name":"B'), Buffer.from([0xff]), Buffer.from('.GCO","type":"PRINT_FILE"}')]);
    p.inject({
      kind: 'listing-entries',
      path: '/api/v1/files/usb/farm',
      times: 1,
      entries: [{ name: '..\\victim.gcode', display_name: 'x.gcode', type: 'PRINT_FILE' }],
      raw: [raw.toString('base64')],
    });
    assert.equal((await authed(p, 'GET', '/api/v1/files/usb')).body.includes(Buffer.from('victim')), false, 'another listing is unchanged');
    const lying = await authed(p, 'GET', '/api/v1/files/usb/FARM');
    assert.equal(lying.status, 200);
    assert.ok(lying.body.includes(raw), 'the raw bytes are spliced in as they are');
    const text = lying.body.toString('latin1');
    assert.match(text, /"display_name":"a\.gcode"/);
    assert.match(text, /"name":"\.\.\\\\victim\.gcode"/);
    const again = await authed(p, 'GET', '/api/v1/files/usb/FARM');
    assert.equal(again.body.includes(Buffer.from('victim')), false, 'used up after `times`');
    assert.deepEqual(
      p.files().map((f) => f.path),
      ['farm/a.gcode'],
      'the volume is unchanged',
    );
  });

  it('is validated when armed through /_sim/faults', T, async () => {
    p = await startPrinter({ model: 'MK3S' });
    const post = (body: unknown) =>
      fetch(new URL('/_sim/faults', p!.url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const bad = await post({ kind: 'listing-entries', entries: [] });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /needs a request "path"/);
    assert.equal((await post({ kind: 'listing-entries', path: '/api/v1/files/local', entries: ['x'] })).status, 400);
    assert.equal((await post({ kind: 'listing-entries', path: '/api/v1/files/local', entries: [{ name: '..' }] })).status, 200);
    const listing = await authed(p, 'GET', '/api/v1/files/local');
    assert.match(listing.text, /"name":"\.\."/);
  });
});
