// Digest auth: challenge parsing and response hashes against RFC vectors and hand-computed values.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DigestSigner,
  digestAuthorization,
  digestResponse,
  findDigestChallenge,
  parseWwwAuthenticate,
  type DigestChallenge,
} from '../../src/printer/digest.js';

const T = { timeout: 5_000 };

test('parses challenge headers in every form the printers and RFCs use', T, () => {
  const table: Array<[string, string, Array<{ scheme: string; params: Record<string, string> }>]> = [
    [
      'Buddy, with spaces and a bare stale flag',
      'Digest realm="Printer API", nonce="0123456789abcdef", stale=false',
      [{ scheme: 'digest', params: { realm: 'Printer API', nonce: '0123456789abcdef', stale: 'false' } }],
    ],
    [
      'Pi, no spaces, everything quoted',
      'Digest realm="Administrator",qop="auth",algorithm="MD5-sess",nonce="a1b2",opaque="ff00",stale=true',
      [
        {
          scheme: 'digest',
          params: { realm: 'Administrator', qop: 'auth', algorithm: 'MD5-sess', nonce: 'a1b2', opaque: 'ff00', stale: 'true' },
        },
      ],
    ],
    ['Buddy API key scheme', 'ApiKey realm="Printer API"', [{ scheme: 'apikey', params: { realm: 'Printer API' } }]],
    [
      'comma and escaped quote inside a quoted value',
      'Digest realm="a, \\"b\\" c", qop="auth,auth-int", nonce=xyz',
      [{ scheme: 'digest', params: { realm: 'a, "b" c', qop: 'auth,auth-int', nonce: 'xyz' } }],
    ],
    [
      'two challenges joined into one header value',
      'Digest realm="Printer API", nonce="00ff", ApiKey realm="Printer API"',
      [
        { scheme: 'digest', params: { realm: 'Printer API', nonce: '00ff' } },
        { scheme: 'apikey', params: { realm: 'Printer API' } },
      ],
    ],
    [
      'a token68 challenge before a Digest one',
      'Basic YWxhZGRpbjpvcGVu==, Digest realm="r", nonce="n"',
      [
        { scheme: 'basic', params: {} },
        { scheme: 'digest', params: { realm: 'r', nonce: 'n' } },
      ],
    ],
    [
      'upper-case parameter names and spaces around "="',
      'DIGEST Realm = "r" , NONCE = n1',
      [{ scheme: 'digest', params: { realm: 'r', nonce: 'n1' } }],
    ],
    ['empty header', '', []],
  ];
  for (const [label, header, expected] of table) {
    assert.deepEqual(parseWwwAuthenticate(header), expected, label);
  }
});

test('picks a Digest challenge it can answer and reads its flags', T, () => {
  const pi = findDigestChallenge(
    parseWwwAuthenticate('Digest realm="Administrator",qop="auth",algorithm="MD5-sess",nonce="n",opaque="o",stale=true'),
  );
  assert.deepEqual(pi, { realm: 'Administrator', nonce: 'n', algorithm: 'MD5-sess', qop: ['auth'], opaque: 'o', stale: true });
  const buddy = findDigestChallenge(parseWwwAuthenticate('Digest realm="Printer API", nonce="abc", stale=TRUE'));
  assert.deepEqual(buddy, { realm: 'Printer API', nonce: 'abc', algorithm: undefined, qop: [], opaque: undefined, stale: true });
  // SHA-256 is skipped in favour of the MD5 challenge that follows it.
  const mixed = findDigestChallenge(
    parseWwwAuthenticate('Digest realm="r", nonce="1", algorithm=SHA-256, Digest realm="r", nonce="2", algorithm=MD5'),
  );
  assert.equal(mixed?.nonce, '2');
  assert.equal(findDigestChallenge(parseWwwAuthenticate('ApiKey realm="Printer API"')), undefined);
  assert.equal(findDigestChallenge(parseWwwAuthenticate('Digest realm="r", nonce="n", qop="auth-int"')), undefined);
  assert.equal(findDigestChallenge(parseWwwAuthenticate('Digest nonce="n"')), undefined, 'realm is required');
});

const challenge = (c: Partial<DigestChallenge>): DigestChallenge => ({
  realm: 'r',
  nonce: 'n',
  algorithm: undefined,
  qop: [],
  opaque: undefined,
  stale: false,
  ...c,
});

test('computes responses that match RFC 2617, RFC 7616 and hand-computed vectors', T, () => {
  const rows: Array<[string, Parameters<typeof digestResponse>[0], string]> = [
    [
      'RFC 2617 section 3.5 (qop=auth, MD5)',
      {
        challenge: challenge({ realm: 'testrealm@host.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', qop: ['auth'] }),
        username: 'Mufasa',
        password: 'Circle Of Life',
        method: 'GET',
        uri: '/dir/index.html',
        nc: 1,
        cnonce: '0a4f113b',
      },
      '6629fae49393a05397450978507c4ef1',
    ],
    [
      'RFC 7616 section 3.9.1 (MD5)',
      {
        challenge: challenge({
          realm: 'http-auth@example.org',
          nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
          qop: ['auth', 'auth-int'],
          algorithm: 'MD5',
        }),
        username: 'Mufasa',
        password: 'Circle of Life',
        method: 'GET',
        uri: '/dir/index.html',
        nc: 1,
        cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
      },
      '8ca523f5e9506fed4657c9700eebdbec',
    ],
    [
      'RFC 2069 formula (no qop), corrected example value',
      {
        challenge: challenge({ realm: 'testrealm@host.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093' }),
        username: 'Mufasa',
        password: 'CircleOfLife',
        method: 'GET',
        uri: '/dir/index.html',
        nc: 1,
        cnonce: 'ignored',
      },
      '1949323746fe6a43ef61f9606e7febea',
    ],
    [
      'Buddy GET with an encoded space and plus in the raw target',
      {
        challenge: challenge({ realm: 'Printer API', nonce: '0123456789abcdef' }),
        username: 'maker',
        password: 'secretpw',
        method: 'GET',
        uri: '/api/v1/files/usb/a%20b%2Bc.gcode',
        nc: 7,
        cnonce: 'ignored',
      },
      '4ee479bff877ef0b0cd9dde7b13175b2',
    ],
    [
      'Buddy PUT',
      {
        challenge: challenge({ realm: 'Printer API', nonce: '0123456789abcdef' }),
        username: 'maker',
        password: 'secretpw',
        method: 'PUT',
        uri: '/api/v1/files/usb/PARTS/x.bgcode',
        nc: 1,
        cnonce: 'x',
      },
      '24c40ecce5f18fa9ec789a35f62bde8c',
    ],
    [
      'Pi MD5-sess with qop=auth, second request on the nonce',
      {
        challenge: challenge({ realm: 'Administrator', nonce: 'abc123nonce', qop: ['auth'], algorithm: 'MD5-sess', opaque: 'op' }),
        username: 'admin',
        password: 'pipass',
        method: 'GET',
        uri: '/api/v1/status',
        nc: 2,
        cnonce: 'cn0nce',
      },
      '4aa55355511d24b32a61627ba5df9be8',
    ],
  ];
  for (const [label, input, expected] of rows) assert.equal(digestResponse(input), expected, label);
});

test('writes the Authorization header with the fields each server checks', T, () => {
  const pi = digestAuthorization({
    challenge: challenge({ realm: 'Administrator', nonce: 'abc123nonce', qop: ['auth'], algorithm: 'MD5-sess', opaque: 'op' }),
    username: 'admin',
    password: 'pipass',
    method: 'GET',
    uri: '/api/v1/status',
    nc: 2,
    cnonce: 'cn0nce',
  });
  assert.equal(
    pi,
    'Digest username="admin", realm="Administrator", nonce="abc123nonce", uri="/api/v1/status", algorithm=MD5-sess, ' +
      'response="4aa55355511d24b32a61627ba5df9be8", qop=auth, nc=00000002, cnonce="cn0nce", opaque="op"',
  );
  const buddy = digestAuthorization({
    challenge: challenge({ realm: 'Printer API', nonce: '0123456789abcdef' }),
    username: 'maker',
    password: 'secretpw',
    method: 'PUT',
    uri: '/api/v1/files/usb/PARTS/x.bgcode',
    nc: 1,
    cnonce: 'x',
  });
  assert.equal(
    buddy,
    'Digest username="maker", realm="Printer API", nonce="0123456789abcdef", uri="/api/v1/files/usb/PARTS/x.bgcode", ' +
      'response="24c40ecce5f18fa9ec789a35f62bde8c"',
  );
  assert.ok(!buddy.includes('secretpw'), 'the password never appears');
});

test('counts nc up on every request signed with the same nonce', T, () => {
  let n = 0;
  const signer = new DigestSigner(challenge({ qop: ['auth'] }), 'u', 'p', () => `c${++n}`);
  const first = signer.authorize('GET', '/a');
  const second = signer.authorize('GET', '/a');
  assert.match(first, /nc=00000001, cnonce="c1"/);
  assert.match(second, /nc=00000002, cnonce="c2"/);
  const random = new DigestSigner(challenge({ qop: ['auth'] }), 'u', 'p');
  const c1 = /cnonce="([^"]+)"/.exec(random.authorize('GET', '/'))?.[1];
  const c2 = /cnonce="([^"]+)"/.exec(random.authorize('GET', '/'))?.[1];
  assert.ok(c1 && c2 && c1 !== c2, 'default cnonces differ');
});

test('a signer writes exactly the header digestAuthorization gives, and draws a client nonce only where the challenge needs one', T, () => {
  const cases: Array<[string, DigestChallenge, boolean]> = [
    ['Buddy: MD5 without qop', challenge({ realm: 'Printer API', nonce: '0123456789abcdef' }), false],
    ['qop=auth', challenge({ qop: ['auth'] }), true],
    ['MD5-sess without qop', challenge({ algorithm: 'MD5-sess' }), true],
    ['Pi: MD5-sess with qop', challenge({ realm: 'Administrator', qop: ['auth'], algorithm: 'MD5-sess', opaque: 'op' }), true],
  ];
  for (const [label, c, needsCnonce] of cases) {
    let drawn = 0;
    const signer = new DigestSigner(c, 'maker', 'secretpw', () => `cn${++drawn}`);
    for (let nc = 1; nc <= 2; nc++) {
      const header = signer.authorize('PUT', `/api/v1/files/usb/a${nc}.gcode`);
      const expected = digestAuthorization({
        challenge: c,
        username: 'maker',
        password: 'secretpw',
        method: 'PUT',
        uri: `/api/v1/files/usb/a${nc}.gcode`,
        nc,
        cnonce: needsCnonce ? `cn${nc}` : '',
      });
      assert.equal(header, expected, `${label}, request ${nc}`);
    }
    assert.equal(drawn, needsCnonce ? 2 : 0, `${label}: client nonces drawn`);
  }
});
