// A printer's record session: one record per printer per run, saved only by runs that change printers.

import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { HashCache } from '../../src/record/hash.js';
import { recordPath } from '../../src/record/store.js';
import { RecordSession, type RecordRun } from '../../src/record/session.js';
import type { SyncEvent } from '../../src/report/events.js';
import type { SourceFile } from '../../src/types.js';
import { tempDir } from '../helpers/fixtures.js';

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
    claimed: new Set(),
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
    const doc = JSON.parse(readFileSync(recordPath(tmp.dir, KEY), 'utf8')) as { storages: Record<string, Record<string, unknown>> };
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

  it('gives a printer reached twice in one run only one record, with a warning', async () => {
    const shared = run(true);
    assert.ok(await RecordSession.open(shared, KEY, 'mk4-by-ip', emit));
    assert.equal(await RecordSession.open(shared, KEY, 'mk4-by-name', emit), undefined);
    assert.match(JSON.stringify(events), /mk4-by-name.*same printer \(serial:SESSION1\)/);
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
});
