// Authentication in both dialects: Buddy's plain digest and API key, Pi's MD5-sess digest and separate key.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buddyAuthorization, buddyResponse, parseChallenge, piAuthorization } from './digest.js';
import { firstHeader, send } from './http-client.js';
import { PERSONALITIES, clientFor, optionsFor, withPrinter } from './fixtures.js';
import { conformsToSpec } from './openapi.js';
import { manualClock } from '../../../src/simulator/index.js';

const T = { timeout: 20_000 };

test('Buddy challenges with realm "Printer API", a 16-hex nonce, stale=false and no qop or opaque', T, () =>
  withPrinter(optionsFor('buddy'), async (_p, client) => {
    const res = await send(_p.url, { method: 'GET', target: '/api/version' });
    assert.equal(res.status, 401);
    const ch = parseChallenge(firstHeader(res.headers['www-authenticate']) ?? '');
    assert.equal(ch.scheme, 'Digest');
    assert.equal(ch.params.realm, 'Printer API');
    assert.match(ch.params.nonce ?? '', /^[0-9a-f]{16}$/);
    assert.equal(ch.params.stale, 'false');
    assert.equal(ch.params.qop, undefined);
    assert.equal(ch.params.opaque, undefined);
    assert.equal(ch.params.algorithm, undefined);
    assert.equal((await client.get('/api/version')).status, 200);
  }),
);

test('Pi challenges with realm "Administrator", qop=auth, MD5-sess and an opaque', T, () =>
  withPrinter(optionsFor('pi'), async (p) => {
    const res = await send(p.url, { method: 'GET', target: '/api/version' });
    assert.equal(res.status, 401);
    const ch = parseChallenge(firstHeader(res.headers['www-authenticate']) ?? '');
    assert.equal(ch.scheme, 'Digest');
    assert.equal(ch.params.realm, 'Administrator');
    assert.equal(ch.params.qop, 'auth');
    assert.equal(ch.params.algorithm, 'MD5-sess');
    assert.ok((ch.params.opaque ?? '').length > 0);
    assert.match(ch.params.nonce ?? '', /^[0-9a-f]+$/);
  }),
);

test('Buddy ignores the digest username: the hash always uses maker', T, () =>
  withPrinter(optionsFor('buddy'), async (p) => {
    const client = clientFor(p, { username: 'somebody-else' });
    assert.equal((await client.get('/api/v1/status')).status, 200);
  }),
);

test('Pi accepts MD5-sess with the opaque echoed, and refuses it without the opaque', T, () =>
  withPrinter(optionsFor('pi'), async (p, client) => {
    assert.equal((await client.get('/api/v1/status')).status, 200);
    const ch = client.lastChallenge;
    assert.ok(ch !== undefined);
    const noOpaque = piAuthorization({
      username: 'maker',
      password: p.credentials.password,
      realm: ch.params.realm ?? '',
      nonce: ch.params.nonce ?? '',
      opaque: undefined,
      method: 'GET',
      uri: '/api/v1/status',
    });
    const res = await send(p.url, {
      method: 'GET',
      target: '/api/v1/status',
      headers: { Authorization: noOpaque, 'User-Agent': client.userAgent },
    });
    assert.equal(res.status, 401);
  }),
);

test("each dialect refuses the other one's formula", T, async () => {
  await withPrinter(optionsFor('buddy'), async (p) => {
    assert.equal((await clientFor(p, { formula: 'pi' }).get('/api/version')).status, 401);
  });
  await withPrinter(optionsFor('pi'), async (p) => {
    assert.equal((await clientFor(p, { formula: 'buddy' }).get('/api/version')).status, 401);
  });
});

for (const { personality } of PERSONALITIES) {
  test(`a wrong password gets 401 with a fresh, non-stale challenge (${personality})`, T, () =>
    withPrinter(optionsFor(personality), async (p) => {
      const client = clientFor(p, { password: 'not-the-password' });
      const res = await client.get('/api/v1/status');
      assert.equal(res.status, 401);
      const ch = parseChallenge(firstHeader(res.headers['www-authenticate']) ?? '');
      assert.equal(ch.scheme, 'Digest');
      assert.notEqual(ch.params.stale, 'true');
    }),
  );

  test(`every /api endpoint needs credentials (${personality})`, T, () =>
    withPrinter(optionsFor(personality), async (p, client) => {
      for (const target of ['/api/version', '/api/v1/info', '/api/v1/status', '/api/v1/storage', `/api/v1/files/${p.storage}`]) {
        assert.equal((await client.get(target, { auth: 'none' })).status, 401, target);
      }
    }),
  );

  test(`a nonce can be reused for many requests (${personality})`, T, () =>
    withPrinter(optionsFor(personality), async (_p, client) => {
      const ch = await client.fetchChallenge();
      for (let i = 0; i < 4; i += 1) {
        const res = await client.get('/api/v1/status', { retryStale: false });
        assert.equal(res.status, 200, `request ${i + 1} with the same nonce`);
        assert.equal(client.lastChallenge?.params.nonce, ch.params.nonce);
      }
    }),
  );

  test(`an expired nonce gets 401 stale=true and the new nonce works (${personality})`, T, () => {
    const clock = manualClock();
    return withPrinter(optionsFor(personality, { nonceLifetimeSec: 2, now: clock.now }), async (_p, client) => {
      const old = await client.fetchChallenge();
      assert.equal((await client.get('/api/v1/status', { retryStale: false })).status, 200);
      // Pi nonces live one to two buckets; wait past both.
      clock.advance(personality === 'pi' ? 4300 : 2300);
      const res = await client.get('/api/v1/status', { retryStale: false });
      assert.equal(res.status, 401);
      const fresh = parseChallenge(firstHeader(res.headers['www-authenticate']) ?? '');
      assert.equal(fresh.params.stale, 'true');
      assert.notEqual(fresh.params.nonce, old.params.nonce);
      assert.equal((await client.get('/api/v1/status', { retryStale: false })).status, 200);
    });
  });
}

test('Buddy marks an expired nonce stale only when the digest was otherwise right', T, () => {
  const clock = manualClock();
  return withPrinter(optionsFor('buddy', { nonceLifetimeSec: 1, now: clock.now }), async (p) => {
    const wrong = clientFor(p, { password: 'wrong-one' });
    const ch = await wrong.fetchChallenge();
    clock.advance(1300);
    wrong.useChallenge(ch);
    const res = await wrong.get('/api/v1/status', { retryStale: false });
    assert.equal(res.status, 401);
    assert.equal(parseChallenge(firstHeader(res.headers['www-authenticate']) ?? '').params.stale, 'false');
  });
});

test('Pi binds the nonce to the User-Agent', T, () =>
  withPrinter(optionsFor('pi'), async (p) => {
    const a = clientFor(p, { userAgent: 'agent-a' });
    const ch = await a.fetchChallenge();
    assert.equal((await a.get('/api/v1/status')).status, 200);
    const b = clientFor(p, { userAgent: 'agent-b' });
    b.useChallenge(ch);
    assert.equal((await b.get('/api/v1/status', { retryStale: false })).status, 401);
  }),
);

test('Buddy takes the password as X-Api-Key; a wrong key gets 401 with an ApiKey challenge', T, () =>
  withPrinter(optionsFor('buddy'), async (p) => {
    assert.equal((await clientFor(p, { apiKey: p.credentials.password }).get('/api/v1/status', { auth: 'apikey' })).status, 200);
    const res = await clientFor(p, { apiKey: 'wrong-key' }).get('/api/v1/status', { auth: 'apikey' });
    assert.equal(res.status, 401);
    const ch = parseChallenge(firstHeader(res.headers['www-authenticate']) ?? '');
    assert.equal(ch.scheme, 'ApiKey');
    assert.equal(ch.params.realm, 'Printer API');
  }),
);

test('Pi takes its own API key; a wrong key gets 403 "Bad X-Api-Key."', T, () =>
  withPrinter(optionsFor('pi'), async (p, client) => {
    assert.equal((await client.get('/api/v1/status', { auth: 'apikey' })).status, 200);
    const res = await clientFor(p, { apiKey: 'wrong-key-123' }).get('/api/v1/status', { auth: 'apikey' });
    assert.equal(res.status, 403);
    assert.match(res.text(), /Bad X-Api-Key\./);
    const digestKey = await clientFor(p, { apiKey: p.credentials.password }).get('/api/v1/status', { auth: 'apikey' });
    assert.equal(digestKey.status, 403, 'the digest password is not an API key on Pi');
  }),
);

test('Pi without a configured API key refuses every key with 403', T, () =>
  withPrinter(optionsFor('pi', { apiKey: undefined }), async (p) => {
    const res = await clientFor(p, { apiKey: 'anything-long' }).get('/api/v1/status', { auth: 'apikey' });
    assert.equal(res.status, 403);
  }),
);

test('Pi does not check the digest when X-Api-Key is present', T, () =>
  withPrinter(optionsFor('pi'), async (p, client) => {
    const ch = await client.fetchChallenge();
    const res = await send(p.url, {
      method: 'GET',
      target: '/api/v1/status',
      headers: {
        'User-Agent': client.userAgent,
        'X-Api-Key': 'wrong-key-123',
        Authorization: piAuthorization({
          username: 'maker',
          password: p.credentials.password,
          realm: ch.params.realm ?? '',
          nonce: ch.params.nonce ?? '',
          opaque: ch.params.opaque,
          method: 'GET',
          uri: '/api/v1/status',
        }),
      },
    });
    assert.equal(res.status, 403);
  }),
);

test('Pi answers HEAD without credentials; Buddy wants them (deviation pi-head-no-auth)', T, async () => {
  await withPrinter(optionsFor('pi'), async (p, client) => {
    p.seed('a.gcode', 'G28\n');
    assert.equal((await client.head('/api/v1/files/local/a.gcode', { auth: 'none' })).status, 200);
  });
  await withPrinter(optionsFor('buddy'), async (p, client) => {
    p.seed('a.gcode', 'G28\n');
    assert.equal((await client.head('/api/v1/files/usb/a.gcode', { auth: 'none' })).status, 401);
  });
});

test('Pi answers 401 with an HTML body (deviation pi-401-html)', T, () =>
  withPrinter(optionsFor('pi'), async (p) => {
    const res = await send(p.url, { method: 'GET', target: '/api/version' });
    assert.equal(res.status, 401);
    assert.match(String(res.headers['content-type']), /text\/html/);
  }),
);

for (const { personality } of PERSONALITIES) {
  test(`JSON error bodies have title and message (deviation error-message-not-text, ${personality})`, T, (t) =>
    withPrinter(optionsFor(personality), async (p, client) => {
      const res = await client.get(`/api/v1/files/${p.storage}/missing.gcode`);
      assert.equal(res.status, 404);
      assert.match(String(res.headers['content-type']), /application\/json/);
      await conformsToSpec(t, 'the error body', (oas) => oas.validateError(personality, res.json()));
    }),
  );
}

test('the Buddy digest formula is what a hand-built header carries', T, () =>
  withPrinter(optionsFor('buddy'), async (p, client) => {
    const ch = await client.fetchChallenge();
    const header = buddyAuthorization({
      password: p.credentials.password,
      nonce: ch.params.nonce ?? '',
      method: 'GET',
      uri: '/api/v1/info',
    });
    const res = await send(p.url, { method: 'GET', target: '/api/v1/info', headers: { Authorization: header } });
    assert.equal(res.status, 200);
    const wrongUri = await send(p.url, { method: 'GET', target: '/api/v1/status', headers: { Authorization: header } });
    assert.equal(wrongUri.status, 401, 'HA2 covers the request-target');
  }),
);

test('Buddy parses only nonce and response: uri, realm, qop and cnonce in the header are ignored', T, () =>
  withPrinter(optionsFor('buddy'), async (p, client) => {
    const ch = await client.fetchChallenge();
    const response = buddyResponse({ password: p.credentials.password, nonce: ch.params.nonce ?? '', method: 'GET', uri: '/api/v1/info' });
    const header = `Digest username="x", realm="Other", nonce="${ch.params.nonce ?? ''}", uri="/elsewhere", qop=auth, nc=00000009, cnonce="zz", response="${response}"`;
    assert.equal((await send(p.url, { method: 'GET', target: '/api/v1/info', headers: { Authorization: header } })).status, 200);
  }),
);

test('Pi wants the digest uri to match the request target', T, () =>
  withPrinter(optionsFor('pi'), async (p, client) => {
    const ch = await client.fetchChallenge();
    const header = piAuthorization({
      username: 'maker',
      password: p.credentials.password,
      realm: ch.params.realm ?? '',
      nonce: ch.params.nonce ?? '',
      opaque: ch.params.opaque,
      method: 'GET',
      uri: '/api/v1/storage',
    });
    const res = await send(p.url, {
      method: 'GET',
      target: '/api/v1/info',
      headers: { Authorization: header, 'User-Agent': client.userAgent },
    });
    assert.equal(res.status, 401);
  }),
);
