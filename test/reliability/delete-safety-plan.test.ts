// Delete safety as a pure step after planning: --max-delete and files the printer cannot store.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planPrinter } from '../../src/plan/plan.js';
import { guardDeletions } from '../../src/plan/safety.js';
import type { PrinterPlan } from '../../src/types.js';
import { BUDDY, POLICY, folder, local, remoteFile, remoteOf, sourceOf } from '../plan/builders.js';

const T = { timeout: 5_000 };

/** A printer holding keep.gcode and old/1..n.gcode, with a source holding keep.gcode and `extra`. */
function planWith(oldFiles: number, extra: string[] = []): PrinterPlan {
  const olds = Array.from({ length: oldFiles }, (_, i) => remoteFile(`old/${i + 1}.gcode`));
  return planPrinter({
    source: sourceOf(local('keep.gcode'), ...extra.map((p) => local(p))),
    remote: remoteOf({ files: [remoteFile('keep.gcode'), ...olds], folders: [folder('old')] }),
    rules: BUDDY,
    policy: POLICY,
  });
}
const kinds = (plan: PrinterPlan): string[] => plan.actions.map((a) => `${a.kind} ${a.path}`);

describe('delete safety', T, () => {
  it('keeps a plan whose deletions are within --max-delete untouched', () => {
    const plan = planWith(3);
    const guarded = guardDeletions(plan, { maxDelete: 3 });
    assert.equal(guarded.refusal, undefined);
    assert.equal(guarded.plan, plan);
  });

  it('refuses every deletion and folder removal of a plan over --max-delete, and says how to proceed', () => {
    const plan = planWith(4, ['new.gcode']);
    assert.deepEqual(kinds(plan), [
      'upload new.gcode',
      'delete old/1.gcode',
      'delete old/2.gcode',
      'delete old/3.gcode',
      'delete old/4.gcode',
      'rmdir old',
    ]);
    const guarded = guardDeletions(plan, { maxDelete: 3 });
    assert.deepEqual(kinds(guarded.plan), ['upload new.gcode'], 'uploads stay');
    assert.equal(guarded.refusal?.code, 'MAX_DELETE');
    assert.equal(guarded.refusal?.files, 4);
    assert.equal(guarded.refusal?.folders, 1);
    assert.match(
      guarded.refusal?.message ?? '',
      /refusing to delete 4 files, more than --max-delete 3: nothing is deleted on this printer \(check -s and -d; .*--max-delete 4\)/,
    );
  });

  it('refuses deletions with --max-delete 0', () => {
    assert.equal(guardDeletions(planWith(1), { maxDelete: 0 }).refusal?.code, 'MAX_DELETE');
  });

  it('has no limit without --max-delete', () => {
    assert.equal(guardDeletions(planWith(500)).refusal, undefined);
  });

  it('withholds deletions while a file cannot be stored on the printer (its old copy could be the one deleted)', () => {
    const tooLong = `${'x'.repeat(120)}.gcode`;
    const plan = planWith(2, [tooLong]);
    assert.equal(plan.problems.length, 1);
    const guarded = guardDeletions(plan, {});
    assert.deepEqual(kinds(guarded.plan), []);
    assert.equal(guarded.refusal?.code, 'FILES_NOT_STORABLE');
    assert.match(guarded.refusal?.message ?? '', /2 deletions withheld because 1 file cannot be stored on this printer/);
  });

  it('leaves a plan with problems but nothing to delete alone', () => {
    const plan = planWith(0, [`${'y'.repeat(120)}.gcode`]);
    assert.equal(guardDeletions(plan, { maxDelete: 0 }).refusal, undefined);
  });
});
