// A printer's overall deadline, derived from its plan.

import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { PrinterDeadline, planDeadlineMs, prePlanDeadlineMs, type DeadlineTiming } from '../../src/execute/printer-deadline.js';
import { MAX_TIMER_MS } from '../../src/timers.js';
import type { Action } from '../../src/types.js';

const T = { timeout: 5_000 };

const timing: DeadlineTiming = { requestMs: 1_000, uploadMs: (size) => size / 10 + 60_000, resends: 1 };

const upload = (size: number): Action =>
  ({ kind: 'upload', path: 'a.gcode', targetUrl: 'a.gcode', reason: 'missing on printer', source: { size } }) as unknown as Action;
const del = (): Action => ({ kind: 'delete', path: 'b.gcode', targetUrl: 'b.gcode', reason: 'not in source' }) as unknown as Action;

describe('printer deadlines', () => {
  const table: Array<[string, Action[], number]> = [
    ['an empty plan leaves room for the closing requests', [], 2_000],
    ['one deletion: its request and its re-check', [del()], 2_000 + 2_000],
    ['one upload: its deadline and three requests, once per attempt', [upload(100_000)], 2_000 + 2 * (70_000 + 3_000)],
    ['uploads and deletions add up', [upload(100_000), del(), del()], 2_000 + 146_000 + 4_000],
    [
      'an upload that creates two folders first: their creation and listing, once',
      [{ ...upload(100_000), newFolders: { parentUrl: '', parentPath: '', names: ['a', 'b'] } } as Action],
      2_000 + 2 * (70_000 + 3_000) + 4_000,
    ],
  ];
  for (const [label, actions, expected] of table) {
    it(label, T, () => assert.equal(planDeadlineMs(actions, timing), expected));
  }
  it('before a plan exists: a budget of requests', T, () => assert.equal(prePlanDeadlineMs(timing), 200_000));
  it('a first sync that must ask 5,000 sizes gets a request of room for each, beyond the budget', T, () =>
    assert.equal(prePlanDeadlineMs(timing, 5000), 5_200_000),
  );

  it('a deadline longer than one timer can wait does not fire at once', T, async () => {
    // 2,000 small uploads at the default settings (the run's own timing) need more than 24.8 days.
    const defaults: DeadlineTiming = { requestMs: 70_000, uploadMs: (size) => 10_000 + size / 10 + 60_000, resends: 3 };
    const ms = planDeadlineMs(
      Array.from({ length: 2_000 }, () => upload(1_000)),
      defaults,
    );
    assert.ok(ms > MAX_TIMER_MS, `the plan's deadline ${ms} ms should exceed a timer's limit`);
    const deadline = new PrinterDeadline(defaults);
    deadline.arm(ms, 'from its plan');
    await delay(100);
    assert.equal(deadline.signal.aborted, false, 'the deadline fired at once');
    assert.equal(deadline.expired, undefined);
    deadline.clear();
  });

  it('a short deadline aborts the printer and says why', T, async () => {
    const deadline = new PrinterDeadline(timing);
    deadline.arm(10, 'from its plan: 1 action');
    await delay(150);
    assert.equal(deadline.signal.aborted, true);
    assert.match(deadline.expired ?? '', /did not finish within .* \(its deadline from its plan: 1 action\)/);
  });

  it('a long deadline is waited out in steps and fires at its end', T, () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const deadline = new PrinterDeadline(timing);
      deadline.arm(2 * MAX_TIMER_MS + 1_000, 'from its plan');
      mock.timers.tick(MAX_TIMER_MS);
      mock.timers.tick(MAX_TIMER_MS);
      assert.equal(deadline.signal.aborted, false, 'fired before its end');
      mock.timers.tick(999);
      assert.equal(deadline.signal.aborted, false, 'fired 1 ms early');
      mock.timers.tick(1);
      assert.equal(deadline.signal.aborted, true, 'did not fire at its end');
    } finally {
      mock.timers.reset();
    }
  });
});
