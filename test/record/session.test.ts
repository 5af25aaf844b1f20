// A printer's record session: one record per printer per run, saved only by runs that change printers.

import { afterEach, beforeEach, describe, it } from 'node:test';
import { PrinterError } from '../../src/errors.js';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HashCache } from '../../src/record/hash.js';
import { recordPath } from '../../src/record/store.js';
import { RecordSession, missingRecordWarnings, type RecordRun } from '../../src/record/session.js';
import type { SyncEvent } from '../../src/report/events.js';
import type { SourceFile } from '../../src/types.js';
import { tempDir } from '../helpers/fixtures.js';
import { readRecordFile } from '../helpers/record-file.js';

const KEY = 'serial:SESSION1';
const RULES = { caseInsensitive: true, forbiddenChars: '', stripsTrailingDotsAndSpaces: true, printExtensions: ['.gcode'] };
const source: SourceFile = { relPath: 'Parts/A.gcode', absPath: '/master/Parts/A.gcode', size: 3, mtimeMs: 1000 };
const upload = { kind: 'upload' as const, path: 'Parts/A.gcode', targetUrl: 'farm/Parts/A.gcode', source, reason: 'missing on printer' };
const HASH = 'd'.repeat(64);

describe('record session', { timeout: 10000 }, () => {
  let tmp: { dir: string; cleanup: () => void };
  let events: SyncEvent[];
  const run = (go: boolean): RecordRun => ({
    dir: tmp.dir,
    go,
    checksum: false,
    force: false,
    hashes: new HashCache(),
    claimed: new Map(),
  });
  const emit = (event: SyncEvent): void => void events.push(event);
  beforeEach(() => {
    tmp = tempDir('link-sync-session-');
    events = [];
  });
  afterEach(() => tmp.cleanup());

  it('records a confirmed upload under the folded storage path, with the timestamp the printer gave', async () => {
    const session = (await RecordSession.open(run(true), KEY, 'mk4', emit))!;
    session.confirmations('usb', 'Farm', RULES).uploaded(upload, { sha256: HASH, remote: { readOnly: false, size: 3, mTimestamp: 77 } });
    await session.close();
    const doc = readRecordFile(recordPath(tmp.dir, KEY));
    assert.deepEqual(doc.storages['usb'], { 'farm/parts/a.gcode': { size: 3, sha256: HASH, mtimeMs: 1000, mTimestamp: 77 } });
  });

  it('does not record an upload the printer reports with another size, and says so', async () => {
    const session = (await RecordSession.open(run(true), KEY, 'mk4', emit))!;
    session.confirmations('usb', 'farm', RULES).uploaded(upload, { sha256: HASH, remote: { readOnly: false, size: 2 } });
    await session.close();
    assert.equal(existsSync(recordPath(tmp.dir, KEY)), false, 'nothing changed, nothing written');
    assert.match(JSON.stringify(events), /reports 2 bytes after the upload of 3; not recorded/);
  });

  it('never writes in a dry run', async () => {
    const session = (await RecordSession.open(run(false), KEY, 'mk4', emit))!;
    session.applyPlan('usb', { set: [{ key: 'x.gcode', entry: { size: 1, sha256: HASH, mtimeMs: 1 } }], drop: [] });
    await session.close();
    assert.equal(existsSync(tmp.dir) && existsSync(recordPath(tmp.dir, KEY)), false);
  });

  it('rewrites a version 1 record as version 2 with --go even when nothing changed, and never in a dry run', async () => {
    const v1 = `${JSON.stringify({
      format: 'link-sync-record',
      version: 1,
      printer: KEY,
      saved: new Date(0).toISOString(),
      storages: { usb: { 'farm/b.gcode': { size: 3, sha256: HASH, mtimeMs: 5, unverified: true, placedUnder: 'farm' } } },
    })}\n`;
    mkdirSync(tmp.dir, { recursive: true });
    writeFileSync(recordPath(tmp.dir, KEY), v1);
    await (await RecordSession.open(run(false), KEY, 'mk4', emit))!.close();
    assert.equal(readFileSync(recordPath(tmp.dir, KEY), 'utf8'), v1, 'a dry run wrote the record');
    await (await RecordSession.open(run(true), KEY, 'mk4', emit))!.close();
    const doc = readRecordFile(recordPath(tmp.dir, KEY));
    assert.equal(doc.version, 2);
    assert.deepEqual(doc.storages['usb'], { 'farm/b.gcode': { size: 3, sha256: HASH, mtimeMs: 5, unverified: true, placedUnder: 'farm' } });
    assert.deepEqual(events, [], 'no warning');
  });

  it('refuses a second config entry for a printer another entry of the run reached first', async () => {
    const shared = run(true);
    assert.ok(await RecordSession.open(shared, KEY, 'mk4-by-ip', emit));
    await assert.rejects(RecordSession.open(shared, KEY, 'mk4-by-name', emit), (error: unknown) => {
      assert.ok(error instanceof PrinterError);
      assert.equal(error.kind, 'rejected');
      assert.match(error.message, /^printer mk4-by-name: it is the same printer as mk4-by-ip in the config \(serial:SESSION1\)/);
      return true;
    });
    // --wait-busy opens the same entry's record again when the printer frees up.
    assert.ok(await RecordSession.open(shared, KEY, 'mk4-by-ip', emit));
  });

  it('warns once, and does not throw, when the record cannot be saved', async () => {
    const blocked: RecordRun = { ...run(true), dir: path.join(tmp.dir, 'missing', '\0bad') };
    const session = (await RecordSession.open(blocked, KEY, 'mk4', emit))!;
    session.confirmations('usb', '', RULES).uploaded(upload, { sha256: HASH, remote: undefined });
    await session.close();
    await session.close();
    const warnings = events.filter((e) => e.type === 'warning' && /could not save the sync record/.test(e.message));
    assert.equal(warnings.length, 1);
  });

  it('keeps the address the printer was synced at, and rewrites a record saved from another one only with --go', async () => {
    const first = (await RecordSession.open(run(true), KEY, 'mk4', emit, 'http://10.0.0.7/'))!;
    first.confirmations('usb', '', RULES).uploaded(upload, { sha256: HASH, remote: undefined });
    await first.close();
    const host = () => (JSON.parse(readFileSync(recordPath(tmp.dir, KEY), 'utf8')) as { host?: string }).host;
    assert.equal(host(), 'http://10.0.0.7');
    await (await RecordSession.open(run(false), KEY, 'mk4', emit, 'http://10.0.0.8'))!.close();
    assert.equal(host(), 'http://10.0.0.7', 'a dry run wrote the record');
    await (await RecordSession.open(run(true), KEY, 'mk4', emit, 'http://10.0.0.8'))!.close();
    assert.equal(host(), 'http://10.0.0.8');
    assert.deepEqual(Object.keys(readRecordFile(recordPath(tmp.dir, KEY)).storages['usb'] ?? {}), ['parts/a.gcode']);
  });

  it('names every printer without a record in one warning, beyond five the first five and a count', () => {
    const order = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const said = (names: string[]) =>
      missingRecordWarnings({ ...run(false), missing: names.map((printer) => ({ printer })) }, order).map((w) => w.message);
    const tail = `in ${tmp.dir}: judging by time; is this the state folder you meant? (set state_dir in the config or --state-dir)`;
    assert.deepEqual(said([]), []);
    assert.deepEqual(said(['c']), [`no sync record for c ${tail}`]);
    assert.deepEqual(said(['c', 'a']), [`no sync record for a and c ${tail}`]);
    assert.deepEqual(said(['e', 'b', 'a', 'd', 'c']), [`no sync record for a, b, c, d and e ${tail}`]);
    assert.deepEqual(said(['g', 'f', 'e', 'd', 'c', 'b', 'a']), [`no sync record for a, b, c, d, e and 2 more ${tail}`]);
  });

  it('puts a printer that replaced another at its address apart, in a warning of its own', () => {
    const warnings = missingRecordWarnings(
      {
        ...run(false),
        missing: [{ printer: 'mk4-2', swapped: { host: 'http://10.0.0.7', serial: 'SN2', before: 'SN1' } }, { printer: 'mk4-1' }],
      },
      ['mk4-1', 'mk4-2'],
    );
    assert.deepEqual(warnings, [
      {
        message: `no sync record for mk4-1 in ${tmp.dir}: judging by time; is this the state folder you meant? (set state_dir in the config or --state-dir)`,
      },
      {
        printer: 'mk4-2',
        message: `the printer at http://10.0.0.7 reports serial SN2, but the sync record in ${tmp.dir} for that address is of serial SN1: a different printer answers there now, so it has no record and its files are judged by time`,
      },
    ]);
  });
});
