// Inert output: control characters escaped for people, secrets hidden for everyone, long texts cut.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { configuredSecrets, cut, escapeControl, inertSink, redact, redactingSink } from '../../src/report/inert.js';
import type { SyncEvent } from '../../src/report/events.js';

describe('inert output', { timeout: 5_000 }, () => {
  it('escapes every control character visibly', () => {
    const rows: Array<[string, string]> = [
      ['plain.gcode', 'plain.gcode'],
      ['a\u001b[2Jb', 'a\\x1b[2Jb'],
      ['line\nbreak', 'line\\nbreak'],
      ['cr\rhere', 'cr\\rhere'],
      ['tab\there', 'tab\\there'],
      ['nul\u0000', 'nul\\x00'],
      ['bel\u0007', 'bel\\x07'],
      ['del\u007f', 'del\\x7f'],
      ['csi\u009b', 'csi\\x9b'],
      ['rtl\u202eexe.gcode', 'rtl\\u202eexe.gcode'],
      ['Ünïcödé 部品', 'Ünïcödé 部品'],
    ];
    for (const [raw, shown] of rows) assert.equal(escapeControl(raw), shown);
  });

  it('replaces every configured secret, the longer first', () => {
    const secrets = configuredSecrets([
      { name: 'a', printerType: 'MK4', baseUrl: 'http://a', auth: { kind: 'digest', username: 'maker', password: 'pass' } },
      { name: 'b', printerType: 'MINI', baseUrl: 'http://b', auth: { kind: 'api-key', apiKey: 'passphrase' } },
    ]);
    assert.deepEqual(secrets, ['passphrase', 'pass']);
    assert.equal(redact('key=passphrase pw=pass', secrets), 'key=*** pw=***');
  });

  it('replaces a secret echoed percent-encoded or JSON-escaped, and only that', () => {
    const key = String.raw`Ke"y\Sec/ret+9%x`;
    const secrets = [key, 'pass word'];
    for (const echoed of [
      'Ke%22y%5CSec/ret%2B9%25x',
      encodeURIComponent(key),
      'Ke%22y%5cSec%2fret%2b9%25x',
      encodeURI(key),
      JSON.stringify(key).slice(1, -1),
      String.raw`Ke\"y\\Sec\/ret+9%x`,
      String.raw`\u004B\u0065\u0022y\u005cSec/ret+9%x`,
    ]) {
      assert.equal(redact(`key=${echoed}; done`, secrets), 'key=***; done', echoed);
    }
    assert.equal(redact('pw=pass+word pw=pass%20word', secrets), 'pw=*** pw=***');
    assert.equal(redact('50% done, 10 \\ 2, a+b', secrets), '50% done, 10 \\ 2, a+b');
  });

  it('cuts long texts', () => {
    assert.equal(cut('x'.repeat(2000)).length, 1000);
    assert.equal(cut('short'), 'short');
  });

  it('keeps the shape of events: the human view escapes, every view is redacted', () => {
    const seen: SyncEvent[] = [];
    const event: SyncEvent = { type: 'warning', printer: 'mk4\u001b', message: 'echo s3cret\r\n' };
    redactingSink((e) => seen.push(e), ['s3cret'])(event);
    inertSink((e) => seen.push(e))(seen[0]!);
    assert.deepEqual(seen, [
      { type: 'warning', printer: 'mk4\u001b', message: 'echo ***\r\n' },
      { type: 'warning', printer: 'mk4\\x1b', message: 'echo ***\\r\\n' },
    ]);
    assert.equal(event.message, 'echo s3cret\r\n', 'the original event is not changed');
  });
});
