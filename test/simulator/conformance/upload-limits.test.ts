// What an upload is refused for, and when: lengths, names, headers, storages, and errors sent before the body.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { filesTarget } from './http-client.js';
import { rawExchange, statusOf } from './raw-socket.js';
import { conformsToSpec } from './openapi.js';
import { PERSONALITIES, asRecord, clientFor, gcode, heldBody, optionsFor, withPrinter } from './fixtures.js';
import type { SimClient } from './http-client.js';

const T = { timeout: 20_000 };

// Every test has its own printer: they run side by side.
describe('upload limits', { concurrency: true }, () => {
  /** A request head signed for this client, for requests node:http would not send (no Content-Length). */
  async function signedHead(client: SimClient, method: string, target: string, headers: string[]): Promise<string> {
    const ch = client.lastChallenge ?? (await client.fetchChallenge());
    const auth = client.authorization(method, target, ch);
    return [
      `${method} ${target} HTTP/1.1`,
      'Host: 127.0.0.1',
      `User-Agent: ${client.userAgent}`,
      `Authorization: ${auth}`,
      ...headers,
      '',
      '',
    ].join('\r\n');
  }

  for (const { personality } of PERSONALITIES) {
    test(`a PUT without Content-Length gets 411 (${personality})`, T, () =>
      withPrinter(optionsFor(personality), async (printer, client) => {
        const target = filesTarget(printer.storage, 'nolength.gcode');
        const head = await signedHead(client, 'PUT', target, ['Content-Type: text/x.gcode', 'Connection: close']);
        const got = await rawExchange({ port: printer.port, head, waitMs: 5000 });
        assert.equal(statusOf(got.received), 411, got.received.slice(0, 200));
        assert.deepEqual(printer.files(), []);
      }),
    );

    test(`a PUT whose auth fails is answered 401 before the body and the connection is closed (${personality})`, T, () =>
      withPrinter(optionsFor(personality), async (printer) => {
        const wrong = clientFor(printer, { password: 'wrong-password' });
        const target = filesTarget(printer.storage, 'big.gcode');
        const head = await signedHead(wrong, 'PUT', target, ['Content-Type: text/x.gcode', 'Content-Length: 50000000']);
        const got = await rawExchange({ port: printer.port, head, waitMs: 5000 });
        assert.equal(statusOf(got.received), 401, got.received.slice(0, 200));
        assert.equal(got.closedByServer, true, 'the server closes the connection instead of reading 50 MB');
        assert.ok(got.bytesWritten < 2000, 'no body was sent');
      }),
    );

    test(`one transfer at a time: a second PUT during an upload is refused (${personality})`, { timeout: 30_000 }, (t) =>
      withPrinter(optionsFor(personality), async (printer, client) => {
        // The body is held half-way until the checks are done: the upload runs for as long as they take.
        const content = gcode(60_000);
        const held = heldBody(content, 30_000);
        const first = client.put(filesTarget(printer.storage, 'slow.gcode'), held.body, { 'Content-Length': content.length });
        // If an assertion below fails, the printer closes under this upload; keep that from becoming an unhandled rejection.
        first.catch(() => undefined);
        let status: Record<string, unknown> = {};
        const start = Date.now();
        while (status.transfer === undefined && Date.now() - start < 2500) {
          status = asRecord(await client.getJson('/api/v1/status'));
          if (status.transfer === undefined) await new Promise((r) => setTimeout(r, 25));
        }
        assert.ok(status.transfer !== undefined, 'status shows a transfer while the upload runs');
        // Buddy names the byte count `transferred`, the spec and Pi `data_transferred` (deviation buddy-status-transferred).
        const transfer = asRecord(status.transfer);
        assert.equal(typeof transfer[personality === 'buddy' ? 'transferred' : 'data_transferred'], 'number', JSON.stringify(transfer));
        assert.equal(transfer[personality === 'buddy' ? 'data_transferred' : 'transferred'], undefined);
        const current = await client.get('/api/v1/transfer');
        assert.equal(current.status, 200);
        assert.equal(typeof asRecord(current.json()).transferred, 'number');
        const second = await clientFor(printer).put(filesTarget(printer.storage, 'other.gcode'), gcode(100));
        // Buddy: 409 from the transfer slot. Pi: the SDK raises outside HTTP handling, which becomes 500.
        if (personality === 'buddy') {
          assert.equal(second.status, 409, second.text());
          assert.match(second.text(), /Another transfer in progress/);
        } else assert.equal(second.status, 500, second.text());
        // Checked once the upload-time checks are done: compiling the schema can take a while on a busy machine.
        await conformsToSpec(t, `${personality} GET /api/v1/status`, (oas) => oas.validate('GET /api/v1/status', personality, status));
        held.release();
        assert.equal((await first).status, 201);
        assert.equal(
          printer.files().some((f) => f.path === 'other.gcode'),
          false,
        );
        const after = (await client.getJson('/api/v1/status')) as Record<string, unknown>;
        assert.equal(after.transfer, undefined, 'the transfer is gone once the upload ended');
        assert.equal((await client.get('/api/v1/transfer')).status, 204);
      }),
    );

    test(`a Prusa Connect download blocks uploads and shows as a transfer (${personality})`, T, () =>
      withPrinter(optionsFor(personality), async (printer, client) => {
        printer.setForeignTransfer(true, { path: 'connect/incoming.gcode', size: 5000 });
        const s = (await client.getJson('/api/v1/status')) as Record<string, unknown>;
        assert.ok(s.transfer !== undefined);
        const res = await client.put(filesTarget(printer.storage, 'mine.gcode'), gcode(100));
        assert.equal(res.status, personality === 'buddy' ? 409 : 500, res.text());
        printer.setForeignTransfer(false);
        assert.equal((await client.put(filesTarget(printer.storage, 'mine.gcode'), gcode(100))).status, 201);
      }),
    );
  }

  test('Buddy: Content-Length 0 gets 501; Pi: 411', T, async () => {
    for (const { personality } of PERSONALITIES) {
      await withPrinter(optionsFor(personality), async (printer, client) => {
        const res = await client.put(filesTarget(printer.storage, 'empty.gcode'), Buffer.alloc(0));
        assert.equal(res.status, personality === 'buddy' ? 501 : 411, `${personality}: ${res.text()}`);
        assert.deepEqual(printer.files(), []);
      });
    }
  });

  test('Buddy refuses a request-target longer than 168 bytes with 414', T, () =>
    withPrinter(optionsFor('buddy'), async (printer, client) => {
      const prefix = '/api/v1/files/usb/';
      const at = (len: number): string => `${prefix}${'d'.repeat(len - prefix.length - '.gcode'.length)}.gcode`;
      assert.equal(at(168).length, 168);
      const long = await client.put(at(169), 'X\n');
      assert.equal(long.status, 414);
      const get = await client.get(at(169));
      assert.equal(get.status, 414);
      const fits = await client.get(at(168));
      assert.notEqual(fits.status, 414);
      assert.deepEqual(printer.files(), []);
    }),
  );

  test('Pi takes a request-target far longer than 168 bytes', T, () =>
    withPrinter(optionsFor('pi'), async (printer, client) => {
      const name = `${'p'.repeat(200)}.gcode`;
      const res = await client.put(filesTarget('local', name), 'X\n');
      assert.equal(res.status, 201, res.text());
      assert.ok(printer.files().some((f) => f.path === name));
    }),
  );

  test('Buddy: a decoded PUT path over 103 bytes is refused with 415 or stored under a truncated name', T, () =>
    withPrinter(optionsFor('buddy'), async (printer, client) => {
      // "/usb/" + 99 bytes = 104 bytes: one too many; the URL stays under 168.
      const rel = `${'f'.repeat(93)}.gcode`;
      assert.equal(`/usb/${rel}`.length, 104);
      const res = await client.put(filesTarget('usb', rel), 'X\n');
      assert.ok(res.status === 415 || res.status === 201, `status ${res.status}`);
      assert.equal(
        printer.files().some((f) => f.path === rel),
        false,
        'never stored under the full name',
      );
      if (res.status === 201) for (const f of printer.files()) assert.ok(`/usb/${f.path}`.length <= 103, f.path);
      const fits = `${'f'.repeat(92)}.gcode`;
      assert.equal(`/usb/${fits}`.length, 103);
      assert.equal((await client.put(filesTarget('usb', fits), 'X\n')).status, 201);
      assert.ok(printer.files().some((f) => f.path === fits));
    }),
  );

  for (const ch of ['"', '*', ':', '<', '>', '|']) {
    test(`Buddy rejects the FatFS-invalid character ${ch} in a name`, T, () =>
      withPrinter(optionsFor('buddy'), async (printer, client) => {
        const res = await client.put(filesTarget('usb', `bad${ch}name.gcode`), 'X\n');
        assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
        assert.equal(res.status, 404, 'FR_INVALID_NAME maps to ENOTDIR: "Destination directory does not exist"');
        assert.deepEqual(printer.files(), []);
      }),
    );
  }

  for (const ch of ['%', '#', '\\', '"', '?']) {
    test(`Pi rejects the character ${ch} in a name with 400`, T, () =>
      withPrinter(optionsFor('pi'), async (printer, client) => {
        const res = await client.put(filesTarget('local', `bad${ch}name.gcode`), 'X\n');
        assert.equal(res.status, 400, res.text());
        assert.deepEqual(printer.files(), []);
      }),
    );
  }

  test('Buddy refuses non-print extensions with 415 "Not a GCODE"', T, () =>
    withPrinter(optionsFor('buddy'), async (printer, client) => {
      for (const name of ['notes.txt', 'part.stl', 'noext']) {
        const res = await client.put(filesTarget('usb', name), 'X\n');
        assert.equal(res.status, 415, name);
        assert.match(res.text(), /Not a GCODE/);
      }
      for (const name of ['a.g', 'b.GC', 'c.gco', 'd.gcode', 'e.bgc', 'f.BGCODE']) {
        assert.equal((await client.put(filesTarget('usb', name), 'X\n')).status, 201, name);
      }
      assert.equal(printer.files().length, 6);
    }),
  );

  test('Pi stores any extension and refuses an unknown Content-Type with 415', T, () =>
    withPrinter(optionsFor('pi'), async (printer, client) => {
      assert.equal((await client.put(filesTarget('local', 'notes.txt'), 'X\n')).status, 201);
      const bad = await client.put(filesTarget('local', 'x.gcode'), 'X\n', { 'Content-Type': 'image/png' });
      assert.equal(bad.status, 415);
      assert.deepEqual(
        printer.files().map((f) => f.path),
        ['notes.txt'],
      );
    }),
  );

  test('Pi: sdcard is read-only (409) and an unknown storage is 404', T, () =>
    withPrinter(optionsFor('pi'), async (printer, client) => {
      assert.equal((await client.put(filesTarget('sdcard', 'x.gcode'), 'X\n')).status, 409);
      assert.equal((await client.delete(filesTarget('sdcard', 'x.gcode'))).status, 409);
      assert.equal((await client.put(filesTarget('nowhere', 'x.gcode'), 'X\n')).status, 404);
      assert.deepEqual(printer.files(), []);
    }),
  );

  test('Buddy: any storage other than usb is 403', T, () =>
    withPrinter(optionsFor('buddy'), async (_p, client) => {
      assert.equal((await client.get('/api/v1/files/local')).status, 403);
      assert.equal((await client.put(filesTarget('local', 'x.gcode'), 'X\n')).status, 403);
    }),
  );

  test('Buddy: a parent path part that is a file gives 409', T, () =>
    withPrinter(optionsFor('buddy'), async (printer, client) => {
      printer.seed('a.gcode', 'X\n');
      const res = await client.put(filesTarget('usb', 'a.gcode/b.gcode'), 'Y\n');
      assert.equal(res.status, 409, res.text());
    }),
  );
});
