// The planner with a sync record: decisions by record, entries adopted, refreshed and dropped.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planPrinter, type PlanInput } from '../../src/plan/plan.js';
import type { RecordEntry } from '../../src/record/types.js';
import type { PrinterPlan } from '../../src/types.js';
import { BUDDY, PI, POLICY, T, local, remoteFile, remoteOf, sourceOf } from './builders.js';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);
const entry = (over: Partial<RecordEntry> = {}): RecordEntry => ({ size: 100, sha256: HASH_A, mtimeMs: T * 1000, mTimestamp: T, ...over });
const plan = (input: Partial<PlanInput> & Pick<PlanInput, 'source' | 'remote'>): PrinterPlan =>
  planPrinter({ rules: BUDDY, policy: POLICY, ...input });
const replaced = (p: PrinterPlan): string[][] => p.actions.filter((a) => a.kind === 'replace').map((a) => [a.path, a.reason]);

describe('planPrinter with a sync record', { timeout: 10000 }, () => {
  it('keeps a recorded file on a printer whose clock is a day behind, where the time rule would replace it', () => {
    const source = sourceOf(local('a.gcode'));
    const remote = remoteOf({ files: [remoteFile('a.gcode', { size: undefined, mTimestamp: T - 86400 })] });
    assert.equal(plan({ source, remote }).actions.length, 1, 'the time rule alone replaces it');
    const withRecord = plan({
      source,
      remote,
      record: { entries: new Map([['a.gcode', entry({ mTimestamp: T - 86400 })]]), hashes: new Map() },
    });
    assert.deepEqual(withRecord.actions, []);
    assert.equal(withRecord.unchanged, 1);
    assert.deepEqual(withRecord.recordChanges, { set: [], drop: [] });
  });

  it('replaces a recorded file on a printer whose clock is ahead once it changed here', () => {
    const result = plan({
      source: sourceOf(local('a.gcode', { mtimeSec: T + 60 })),
      remote: remoteOf({ files: [remoteFile('a.gcode', { size: undefined, mTimestamp: T + 86400 })] }),
      record: { entries: new Map([['a.gcode', entry({ mTimestamp: T + 86400 })]]), hashes: new Map([['a.gcode', HASH_B]]) },
    });
    assert.deepEqual(replaced(result), [['a.gcode', 'changed here since the last upload: same size, different content']]);
  });

  it('looks entries up by the storage path folded as the printer compares names', () => {
    const remote = remoteOf({
      root: 'Farm',
      rootUrl: 'FARM',
      files: [remoteFile('Parts/Benchy.gcode', { urlPath: 'PARTS/BENCHY~1.GCO', mTimestamp: T + 2 })],
    });
    const result = plan({
      source: sourceOf(local('parts/benchy.gcode')),
      remote,
      record: { entries: new Map([['farm/parts/benchy.gcode', entry()]]), hashes: new Map() },
    });
    assert.deepEqual(replaced(result), [
      ['parts/benchy.gcode', 'replaced on the printer since the last upload (its timestamp moved 2 s later)'],
    ]);
  });

  it('keeps case on a printer that tells case apart', () => {
    const result = planPrinter({
      rules: PI,
      policy: POLICY,
      source: sourceOf(local('A.gcode', { mtimeSec: T + 3600 })),
      remote: remoteOf({ storage: 'local', files: [remoteFile('A.gcode')] }),
      record: { entries: new Map([['a.gcode', entry()]]), hashes: new Map() },
    });
    assert.match(replaced(result)[0]?.[1] ?? '', /^no sync record;/);
    assert.deepEqual(result.recordChanges?.drop, ['a.gcode']);
  });

  it('adopts (as unverified) files the time rule judges the same and the printer gives the same size, and refreshes entries whose only change is the mtime', () => {
    const result = plan({
      source: sourceOf(local('new.gcode'), local('touched.gcode', { mtimeSec: T + 50 })),
      remote: remoteOf({ files: [remoteFile('new.gcode', { mTimestamp: T + 1 }), remoteFile('touched.gcode')] }),
      record: {
        entries: new Map([['touched.gcode', entry()]]),
        hashes: new Map([
          ['new.gcode', HASH_B],
          ['touched.gcode', HASH_A],
        ]),
      },
    });
    assert.deepEqual(result.actions, []);
    assert.deepEqual(result.recordChanges?.set, [
      { key: 'new.gcode', entry: { size: 100, sha256: HASH_B, mtimeMs: T * 1000, mTimestamp: T + 1, unverified: true } },
      { key: 'touched.gcode', entry: entry({ mtimeMs: (T + 50) * 1000 }) },
    ]);
  });

  it('drops entries under the sync root for files the printer no longer lists, and keeps the rest', () => {
    const result = plan({
      source: sourceOf(local('a.gcode'), local('gone.gcode')),
      remote: remoteOf({ root: 'farm', files: [remoteFile('a.gcode')] }),
      record: {
        entries: new Map([
          ['farm/a.gcode', entry()],
          ['farm/gone.gcode', entry()],
          ['farm/sub/removed.gcode', entry()],
          ['other/kept.gcode', entry()],
          ['farmhouse/kept.gcode', entry()],
        ]),
        hashes: new Map(),
      },
    });
    assert.deepEqual(result.recordChanges?.drop, ['farm/gone.gcode', 'farm/sub/removed.gcode']);
    assert.deepEqual(
      result.actions.map((a) => [a.kind, a.path]),
      [['upload', 'gone.gcode']],
    );
  });

  it('--force replaces every file the printer has, with or without a record, and still uploads missing ones', () => {
    const source = sourceOf(local('a.gcode'), local('b.gcode'));
    const remote = remoteOf({ files: [remoteFile('a.gcode')] });
    const policy = { ...POLICY, force: true };
    for (const record of [undefined, { entries: new Map([['a.gcode', entry()]]), hashes: new Map() }]) {
      const result = plan({ source, remote, policy, ...(record ? { record } : {}) });
      assert.deepEqual(
        result.actions.map((a) => [a.kind, a.path, a.reason]),
        [
          ['replace', 'a.gcode', 'forced by --force'],
          ['upload', 'b.gcode', 'missing on printer'],
        ],
      );
    }
  });

  it('never replaces the printed file, even when the record says it changed on the printer', () => {
    const result = plan({
      source: sourceOf(local('a.gcode')),
      remote: remoteOf({ files: [remoteFile('a.gcode', { mTimestamp: T + 100 })] }),
      printing: { paths: ['a.gcode'] },
      record: { entries: new Map([['a.gcode', entry()]]), hashes: new Map() },
    });
    assert.deepEqual(result.actions, []);
    assert.deepEqual(
      result.holds.map((h) => [h.path, h.reason]),
      [['a.gcode', 'being-printed']],
    );
  });

  it('reports no record changes when planned without a record', () => {
    const result = plan({ source: sourceOf(local('a.gcode')), remote: remoteOf({ files: [remoteFile('a.gcode')] }) });
    assert.equal(result.recordChanges, undefined);
  });
});
