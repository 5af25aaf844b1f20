// Delays handed to setTimeout: never beyond what it can wait, which would make it fire at once.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_TIMER_MS, timerDelay } from '../src/timers.js';

describe('timer delays', { timeout: 5_000 }, () => {
  const table: Array<[number, number]> = [
    [0, 0],
    [1, 1],
    [1500.5, 1500.5],
    [MAX_TIMER_MS, MAX_TIMER_MS],
    [MAX_TIMER_MS + 1, MAX_TIMER_MS],
    [11_202_220_000, MAX_TIMER_MS],
    [Number.POSITIVE_INFINITY, MAX_TIMER_MS],
    [-5, 0],
    [Number.NaN, 0],
  ];
  for (const [given, expected] of table) it(`${given} ms → ${expected} ms`, () => assert.equal(timerDelay(given), expected));
  it('the limit is the one Node states: 2^31 - 1 ms', () => assert.equal(MAX_TIMER_MS, 2_147_483_647));
});
