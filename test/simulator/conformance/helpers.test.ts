// The suite's own digest and URL helpers, checked against worked examples so that a failure elsewhere points at the simulator.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buddyResponse, md5, parseChallenge, piAuthorization, piResponse } from './digest.js';
import { encodePath, filesTarget } from './http-client.js';

const T = { timeout: 5000 };

test('parses the Buddy and Pi challenges from the reference doc', T, () => {
  const buddy = parseChallenge('Digest realm="Printer API", nonce="0123456789abcdef", stale=false');
  assert.equal(buddy.scheme, 'Digest');
  assert.deepEqual(buddy.params, { realm: 'Printer API', nonce: '0123456789abcdef', stale: 'false' });
  const pi = parseChallenge('Digest realm="Administrator",qop="auth",algorithm="MD5-sess",nonce="ab12",opaque="cd34",stale=true');
  assert.deepEqual(pi.params, { realm: 'Administrator', qop: 'auth', algorithm: 'MD5-sess', nonce: 'ab12', opaque: 'cd34', stale: 'true' });
});

test('the Buddy response hashes the fixed user maker and the raw target', T, () => {
  const ha1 = md5('maker:Printer API:secret');
  const ha2 = md5('GET:/api/v1/files/usb/A%20B.gcode');
  assert.equal(
    buddyResponse({ password: 'secret', nonce: 'n1', method: 'GET', uri: '/api/v1/files/usb/A%20B.gcode', username: 'ignored' }),
    md5(`${ha1}:n1:${ha2}`),
  );
});

test('the Pi response follows RFC 2617 MD5-sess with qop=auth', T, () => {
  const input = {
    username: 'maker',
    password: 'pw',
    realm: 'Administrator',
    nonce: 'n',
    opaque: 'o',
    method: 'PUT',
    uri: '/x',
    cnonce: 'c',
    nc: '00000001',
  };
  const ha1 = md5(`${md5('maker:Administrator:pw')}:n:c`);
  assert.equal(piResponse(input), md5(`${ha1}:n:00000001:c:auth:${md5('PUT:/x')}`));
  const header = piAuthorization(input);
  assert.match(header, /algorithm=MD5-sess/);
  assert.match(header, /opaque="o"/);
  assert.match(header, /qop=auth/);
});

test('encodes each path segment, including plus and space', T, () => {
  assert.equal(encodePath('a b/c+d/é.gcode'), 'a%20b/c%2Bd/%C3%A9.gcode');
  assert.equal(filesTarget('usb'), '/api/v1/files/usb');
  assert.equal(filesTarget('local', 'x/y.gcode'), '/api/v1/files/local/x/y.gcode');
});
