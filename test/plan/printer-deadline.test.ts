// A printer's overall deadline, derived from its plan.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planDeadlineMs, prePlanDeadlineMs, type DeadlineTiming } from '../../src/execute/printer-deadline.js';
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
  ];
  for (const [label, actions, expected] of table) {
    it(label, T, () => assert.equal(planDeadlineMs(actions, timing), expected));
  }
  it('before a plan exists: a budget of requests', T, () => assert.equal(prePlanDeadlineMs(timing), 200_000));
});
