// Record files: round trip, atomic replacement, and damaged or foreign files reported and ignored.

import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrinterRecord, parseRecord } from '../../src/record/record.js';
import type { RecordEntry } from '../../src/types.js';
import { loadRecord, recordPath, recordsByHost, recordText, saveRecord } from '../../src/record/store.js';
import { tempDir } from '../helpers/fixtures.js';

const KEY = 'serial:CZPX0001';
const HASH = 'c'.repeat(64);

describe('record store', { timeout: 10000 }, () => {
  let tmp: { dir: string; cleanup: () => void };
  let dir: string;
  beforeEach(() => {
    tmp = tempDir('link-sync-record-');
    dir = path.join(tmp.dir, 'state', 'link-sync');
  });
  afterEach(() => tmp.cleanup());

  it('starts empty when the printer has no record yet', async () => {
    const loaded = await loadRecord(dir, KEY);
    assert.equal(loaded.record.size, 0);
    assert.equal(loaded.warning, undefined);
  });

  it('saves and loads entries per storage, creating the folder, leaving no temporary file', async () => {
    const record = new PrinterRecord(KEY);
    record.set('usb', 'farm/a.gcode', { size: 12, sha256: HASH, mtimeMs: 1700000000123.4568, mTimestamp: 1700000010 });
    record.set('usb', 'farm/b.gcode', { size: 0, sha256: HASH, mtimeMs: 1 });
    record.set('local', 'x.gcode', { size: 3, sha256: HASH, mtimeMs: 2, mTimestamp: 4 });
    const file = await saveRecord(dir, record);
    assert.equal(file, recordPath(dir, KEY));
    assert.deepEqual(readdirSync(dir), [path.basename(file)]);
    const loaded = await loadRecord(dir, KEY);
    assert.equal(loaded.warning, undefined);
    assert.deepEqual([...loaded.record.entries('usb')], [...record.entries('usb')]);
    assert.deepEqual(loaded.record.entries('local').get('x.gcode'), { size: 3, sha256: HASH, mtimeMs: 2, mTimestamp: 4 });
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    assert.equal(doc['printer'], KEY);
    assert.equal(doc['version'], 2);
  });

  it('replaces the previous file whole', async () => {
    const record = new PrinterRecord(KEY);
    record.set('usb', 'a.gcode', { size: 1, sha256: HASH, mtimeMs: 1 });
    await saveRecord(dir, record);
    record.delete('usb', 'a.gcode');
    record.set('usb', 'b.gcode', { size: 2, sha256: HASH, mtimeMs: 2 });
    await saveRecord(dir, record);
    const loaded = await loadRecord(dir, KEY);
    assert.deepEqual([...loaded.record.entries('usb').keys()], ['b.gcode']);
  });

  // Version 2 storages whose rows are off: each makes the whole record unusable.
  const v2Damaged: Array<[string, unknown, RegExp]> = [
    ['with a storage that is not a list', { 'a.gcode': {} }, /storage "usb" is not a list/],
    ['with a row that is not a list', [{ path: 'a.gcode' }], /storage "usb" holds a malformed entry/],
    ['with a row one field short', [['a.gcode', 1, HASH, 1, null, false]], /malformed entry/],
    ['with a row one field long', [['a.gcode', 1, HASH, 1, null, false, null, 0]], /malformed entry/],
    ['with a path that is not text', [[7, 1, HASH, 1, null, false, null]], /malformed entry/],
    ['with a negative size (v2)', [['a.gcode', -1, HASH, 1, null, false, null]], /entry for "usb\/a.gcode" is malformed/],
    ['with a fractional size', [['a.gcode', 1.5, HASH, 1, null, false, null]], /is malformed/],
    ['with a short hash', [['a.gcode', 1, 'c'.repeat(63), 1, null, false, null]], /is malformed/],
    ['with an upper-case hash', [['a.gcode', 1, 'C'.repeat(64), 1, null, false, null]], /is malformed/],
    ['with a text mtime', [['a.gcode', 1, HASH, '1', null, false, null]], /is malformed/],
    ['with a text printer timestamp', [['a.gcode', 1, HASH, 1, '2', false, null]], /is malformed/],
    ['with an unverified flag that is not a boolean', [['a.gcode', 1, HASH, 1, null, 1, null]], /is malformed/],
    ['with a numeric destination', [['a.gcode', 1, HASH, 1, null, false, 3]], /is malformed/],
    [
      'with one path twice',
      [
        ['a.gcode', 1, HASH, 1, null, false, null],
        ['a.gcode', 2, HASH, 2, null, false, null],
      ],
      /entry for "usb\/a.gcode" is there twice/,
    ],
  ];

  const damaged: Array<[string, string, RegExp]> = [
    ['cut short', '{"format":"link-sync-record","vers', /not valid JSON/],
    ['empty', '', /not valid JSON/],
    ['not a record', '{"hello":1}', /not a link-sync record/],
    ['from a newer version', JSON.stringify({ format: 'link-sync-record', version: 9, printer: KEY, storages: {} }), /format version 9/],
    [
      'foreign',
      JSON.stringify({ format: 'link-sync-record', version: 1, printer: 'serial:OTHER', storages: {} }),
      /another printer .*serial:OTHER/,
    ],
    [
      'with a malformed entry',
      JSON.stringify({
        format: 'link-sync-record',
        version: 1,
        printer: KEY,
        storages: { usb: { 'a.gcode': { size: -1, sha256: HASH, mtimeMs: 1 } } },
      }),
      /entry for "usb\/a.gcode" is malformed/,
    ],
    [
      'with a bad hash',
      JSON.stringify({
        format: 'link-sync-record',
        version: 1,
        printer: KEY,
        storages: { usb: { 'a.gcode': { size: 1, sha256: 'xyz', mtimeMs: 1 } } },
      }),
      /malformed/,
    ],
    ...v2Damaged.map(([name, rows, says]): [string, string, RegExp] => [
      name,
      JSON.stringify({ format: 'link-sync-record', version: 2, printer: KEY, storages: { usb: rows } }),
      says,
    ]),
  ];
  for (const [name, text, says] of damaged) {
    it(`reports and ignores a record file that is ${name}`, async () => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(recordPath(dir, KEY), text);
      const loaded = await loadRecord(dir, KEY);
      assert.equal(loaded.record.size, 0);
      assert.match(loaded.warning ?? '', says);
      assert.match(loaded.warning ?? '', /ignored/);
      assert.ok(loaded.warning?.includes(recordPath(dir, KEY)), 'the warning names the file');
    });
  }

  it('reports a record path that cannot be read as a file', async () => {
    mkdirSync(recordPath(dir, KEY), { recursive: true });
    const loaded = await loadRecord(dir, KEY);
    assert.match(loaded.warning ?? '', /cannot be read \(EISDIR\)/);
  });

  it('fails to save into a folder it cannot create, without leaving anything behind', async () => {
    writeFileSync(path.join(tmp.dir, 'blocker'), 'a file where the folder should be');
    const record = new PrinterRecord(KEY);
    record.set('usb', 'a.gcode', { size: 1, sha256: HASH, mtimeMs: 1 });
    await assert.rejects(saveRecord(path.join(tmp.dir, 'blocker', 'state'), record));
  });

  it('finds the record last saved from each address, reading only the heads of the record files', async () => {
    const saved = async (key: string, host: string | undefined, when: string): Promise<void> => {
      const record = new PrinterRecord(key);
      if (host !== undefined) record.setHost(host);
      record.set('usb', 'a.gcode', { size: 1, sha256: HASH, mtimeMs: 1 });
      await saveRecord(dir, record, new Date(when));
    };
    await saved('serial:OLD', 'http://10.0.0.7', '2024-01-01T00:00:00Z');
    await saved('serial:NEWER', 'http://10.0.0.7', '2025-01-01T00:00:00Z');
    await saved('serial:OTHER', 'http://10.0.0.8', '2024-06-01T00:00:00Z');
    await saved('serial:NO-HOST', undefined, '2026-01-01T00:00:00Z');
    writeFileSync(path.join(dir, 'notes.json'), '{"host":"http://10.0.0.9"}');
    writeFileSync(recordPath(dir, 'serial:CUT'), '{"format":"link-sync-record","version":2,"printer":"serial:CUT","host":"http');
    assert.deepEqual([...(await recordsByHost(dir))].sort(), [
      ['http://10.0.0.7', 'serial:NEWER'],
      ['http://10.0.0.8', 'serial:OTHER'],
    ]);
    assert.deepEqual([...(await recordsByHost(path.join(tmp.dir, 'nowhere')))], []);
  });

  it('writes the same bytes for the same entries, whatever order they were added in', () => {
    const a = new PrinterRecord(KEY);
    const b = new PrinterRecord(KEY);
    const e = { size: 1, sha256: HASH, mtimeMs: 1 };
    a.set('usb', 'x', e);
    a.set('usb', 'y', e);
    b.set('usb', 'y', e);
    b.set('usb', 'x', e);
    const when = new Date(0);
    assert.equal(a.serialize(when), b.serialize(when));
    const parsed = parseRecord(a.serialize(when), KEY);
    assert.ok(parsed.ok);
  });

  it('writes one line of JSON, the same document JSON.stringify gives, and reads it back', () => {
    const record = new PrinterRecord(KEY);
    record.set('usb', 'farm/b "quoted".gcode', { size: 2, sha256: HASH, mtimeMs: 1.5, mTimestamp: 1700000000 });
    record.set('usb', 'farm/a.gcode', { size: 1, sha256: HASH, mtimeMs: 1 });
    record.set('local', 'é/ü.bgcode', { size: 3, sha256: HASH, mtimeMs: 3 });
    const when = new Date(0);
    const text = record.serialize(when);
    assert.equal(text.indexOf('\n'), text.length - 1, 'one line, ending in a newline');
    const expected = {
      format: 'link-sync-record',
      version: 2,
      printer: KEY,
      saved: when.toISOString(),
      storages: {
        local: [['é/ü.bgcode', 3, HASH, 3, null, false, null]],
        usb: [
          ['farm/a.gcode', 1, HASH, 1, null, false, null],
          ['farm/b "quoted".gcode', 2, HASH, 1.5, 1700000000, false, null],
        ],
      },
    };
    assert.equal(text, `${JSON.stringify(expected)}\n`);
    const pool = new Map<string, string>();
    const first = parseRecord(text, KEY, pool);
    const second = parseRecord(text, KEY, pool);
    assert.ok(first.ok && second.ok);
    assert.deepEqual(first.record.entries('usb').get('farm/a.gcode'), { size: 1, sha256: HASH, mtimeMs: 1 });
    // Both records hold the pool's one copy of each path and hash.
    assert.equal([...first.record.entries('usb').keys()][0], [...second.record.entries('usb').keys()][0]);
    assert.equal(pool.get(HASH), HASH);
    assert.ok(pool.has('farm/a.gcode'));
  });

  it('reads a version 1 record (entries as objects) to the same entries version 2 writes', () => {
    const entries: Array<[string, RecordEntry]> = [
      ['a.gcode', { size: 0, sha256: HASH, mtimeMs: 1 }],
      ['farm/b.gcode', { size: 12, sha256: HASH, mtimeMs: 1700000000123.4568, mTimestamp: 1700000010 }],
      ['farm/c.bgcode', { size: 7, sha256: HASH, mtimeMs: 2, unverified: true, placedUnder: 'farm' }],
      ['__proto__', { size: 1, sha256: HASH, mtimeMs: 3, mTimestamp: 0, placedUnder: '' }],
    ];
    const record = new PrinterRecord(KEY);
    for (const [key, entry] of entries) record.set('usb', key, entry);
    const v2 = parseRecord(record.serialize(new Date(0)), KEY);
    const v1Text = JSON.stringify({
      format: 'link-sync-record',
      version: 1,
      printer: KEY,
      saved: new Date(0).toISOString(),
      storages: { usb: Object.fromEntries(entries) },
    });
    const v1 = parseRecord(v1Text, KEY);
    assert.ok(v1.ok && v2.ok);
    const sorted = (r: PrinterRecord): Array<[string, RecordEntry]> => [...r.entries('usb')].sort(([a], [b]) => (a < b ? -1 : 1));
    assert.deepEqual(sorted(v1.record), sorted(v2.record));
    assert.deepEqual(
      sorted(v2.record),
      [...entries].sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    assert.equal(v1.record.olderFormat, true, 'version 1 is marked for rewriting');
    assert.equal(v2.record.olderFormat, false);
  });

  it('reads record bytes as UTF-8 text, ASCII or not', () => {
    const texts = ['{"a":1}\n', '{"é/ü.bgcode":"Ωμέγα ✓ 🖨"}\n', '', 'caf\u00e9'];
    for (const text of texts) assert.equal(recordText(Buffer.from(text, 'utf8')), text);
    // Bytes that are not UTF-8 read as the replacement character, as a UTF-8 read gives them.
    const broken = Buffer.from([0x7b, 0xff, 0xc3, 0x7d]);
    assert.equal(recordText(broken), broken.toString('utf8'));
  });

  it('refuses a malformed hash after the same run has read well-formed ones', () => {
    const pool = new Map<string, string>();
    const good = new PrinterRecord(KEY);
    good.set('usb', 'a.gcode', { size: 1, sha256: HASH, mtimeMs: 1 });
    const text = good.serialize(new Date(0));
    assert.ok(parseRecord(text, KEY, pool).ok);
    assert.ok(parseRecord(text, KEY, pool).ok, 'the same hash again');
    for (const bad of [HASH.toUpperCase(), `${HASH}0`, HASH.slice(1), `${HASH.slice(0, 63)}g`]) {
      const parsed = parseRecord(text.replace(HASH, bad), KEY, pool);
      assert.equal(parsed.ok, false, bad);
      assert.match(parsed.ok ? '' : parsed.problem, /entry for "usb\/a.gcode" is malformed/);
    }
  });
});
