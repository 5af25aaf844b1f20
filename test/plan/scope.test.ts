// What the planner leaves alone on purpose: empty local files and files too large for the printer,
// hidden printer files, and files that a sync to another destination placed.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planPrinter, type PlanInput } from '../../src/plan/plan.js';
import type { RecordEntry } from '../../src/record/types.js';
import type { PrinterPlan } from '../../src/types.js';
import { BUDDY_RULES, PI_RULES } from '../../src/printer/rules.js';
import { BUDDY, PI, POLICY, T, folder, local, remoteFile, remoteOf, sourceOf } from './builders.js';

const entry = (placedUnder?: string): RecordEntry => ({
  size: 100,
  sha256: 'a'.repeat(64),
  mtimeMs: T * 1000,
  mTimestamp: T,
  ...(placedUnder !== undefined ? { placedUnder } : {}),
});
const plan = (input: Partial<PlanInput> & Pick<PlanInput, 'source' | 'remote'>): PrinterPlan =>
  planPrinter({ rules: BUDDY, policy: POLICY, ...input });
const actions = (p: PrinterPlan): string[] => p.actions.map((a) => `${a.kind} ${a.path}`);

describe('planner scope', { timeout: 10_000 }, () => {
  it('an empty local file is a problem, never sent; the printer copy of that name is neither replaced nor deleted', () => {
    const result = plan({
      source: sourceOf(local('empty.gcode', { size: 0 }), local('new-empty.gcode', { size: 0 }), local('ok.gcode')),
      remote: remoteOf({ files: [remoteFile('empty.gcode', { size: 500 })] }),
    });
    assert.deepEqual(actions(result), ['upload ok.gcode']);
    assert.deepEqual(
      result.problems.map((p) => [p.path, p.code]),
      [
        ['empty.gcode', 'EMPTY_FILE'],
        ['new-empty.gcode', 'EMPTY_FILE'],
      ],
    );
    assert.match(result.problems[0]!.message, /printers refuse empty files/);
  });

  it("a file over 4 GiB − 1 is a problem on Buddy's FAT32, never sent, its printer copy kept; a Pi takes it", () => {
    const source = sourceOf(
      local('parts/huge.gcode', { size: 2 ** 32 + 1 }),
      local('parts/edge.bgcode', { size: 2 ** 32 - 1 }),
      local('new-huge.gcode', { size: 2 ** 32 }),
      local('ok.gcode'),
    );
    const remote = remoteOf({ files: [remoteFile('parts/huge.gcode', { size: 500 })], folders: [folder('parts')] });
    const buddy = plan({ rules: BUDDY_RULES, source, remote });
    assert.deepEqual(actions(buddy), ['upload ok.gcode', 'upload parts/edge.bgcode']);
    assert.deepEqual(
      buddy.problems.map((p) => [p.path, p.code]),
      [
        ['new-huge.gcode', 'FILE_TOO_LARGE'],
        ['parts/huge.gcode', 'FILE_TOO_LARGE'],
      ],
    );
    assert.match(buddy.problems[1]!.message, /4\.3 GB \(4294967297 bytes\).*FAT32.*at most 4294967295 bytes/);
    assert.equal(buddy.uploadBytes, 100 + 2 ** 32 - 1);

    const pi = plan({ rules: PI_RULES, source, remote });
    assert.deepEqual(actions(pi), ['upload new-huge.gcode', 'upload ok.gcode', 'upload parts/edge.bgcode', 'replace parts/huge.gcode']);
    assert.deepEqual(pi.problems, []);
  });

  it('hidden printer files and folders are never deleted', () => {
    for (const rules of [BUDDY, PI]) {
      const result = plan({
        rules,
        source: sourceOf(local('a.gcode')),
        remote: remoteOf({
          files: [remoteFile('a.gcode'), remoteFile('.x.gcode'), remoteFile('.trash/b.gcode'), remoteFile('old.gcode')],
          folders: [folder('.empty')],
        }),
      });
      assert.deepEqual(actions(result), ['delete old.gcode']);
      assert.deepEqual(
        result.holds.map((h) => [h.path, h.reason]),
        [
          ['.trash/b.gcode', 'hidden'],
          ['.x.gcode', 'hidden'],
        ],
      );
    }
  });

  it('holds deletions of files a sync to a narrower destination placed; --delete-other-destinations deletes them', () => {
    const input = {
      source: sourceOf(local('a.gcode')),
      remote: remoteOf({
        files: [
          remoteFile('a.gcode'),
          remoteFile('farm/b.gcode'),
          remoteFile('farm/sub/c.gcode'),
          remoteFile('mine.gcode'),
          remoteFile('old.gcode'),
        ],
      }),
      destination: '',
      record: {
        entries: new Map([
          ['farm/b.gcode', entry('farm')],
          ['farm/sub/c.gcode', entry('Farm/Sub')],
          ['mine.gcode', entry('')],
          ['old.gcode', entry()],
        ]),
        hashes: new Map(),
      },
    };
    const held = plan(input);
    assert.deepEqual(actions(held), ['delete mine.gcode', 'delete old.gcode']);
    assert.deepEqual(
      held.holds.map((h) => [h.path, h.reason, h.placedBy]),
      [
        ['farm/b.gcode', 'other-destination', 'farm'],
        ['farm/sub/c.gcode', 'other-destination', 'Farm/Sub'],
      ],
    );
    const flagged = plan({ ...input, policy: { ...POLICY, deleteOtherDestinations: true } });
    assert.deepEqual(actions(flagged), [
      'delete farm/b.gcode',
      'delete farm/sub/c.gcode',
      'delete mine.gcode',
      'delete old.gcode',
      'rmdir farm/sub',
      'rmdir farm',
    ]);
  });

  it('a file placed under a wider or the same destination is deleted as usual', () => {
    const result = plan({
      source: sourceOf(local('a.gcode')),
      remote: remoteOf({ root: 'farm', files: [remoteFile('a.gcode'), remoteFile('b.gcode'), remoteFile('c.gcode')] }),
      destination: 'farm',
      record: {
        entries: new Map([
          ['farm/b.gcode', entry('')],
          ['farm/c.gcode', entry('farm')],
        ]),
        hashes: new Map(),
      },
    });
    assert.deepEqual(actions(result), ['delete b.gcode', 'delete c.gcode']);
  });

  it('records the destination with each adopted file', () => {
    const result = plan({
      source: sourceOf(local('a.gcode')),
      remote: remoteOf({ root: 'farm', files: [remoteFile('a.gcode', { mTimestamp: T + 10 })] }),
      destination: 'farm',
      record: { entries: new Map(), hashes: new Map([['a.gcode', 'b'.repeat(64)]]) },
    });
    assert.equal(result.recordChanges?.set[0]?.entry.placedUnder, 'farm');
    assert.equal(result.recordChanges?.set[0]?.entry.unverified, true);
  });
});
