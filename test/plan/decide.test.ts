// The time-and-size staleness rule and its human reasons.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideFile, formatBytes, formatDuration } from '../../src/plan/decide.js';
import { local, remoteFile, T } from './builders.js';

const WINDOW = { modifyWindowSec: 60 };

describe('decideFile', { timeout: 5000 }, () => {
  const table: Array<[name: string, localMtimeSec: number, expected: 'same' | 'stale', reason?: RegExp]> = [
    ['same time', T, 'same'],
    ['local newer by exactly the 60 s window', T + 60, 'same'],
    ['local newer by 60.9 s (whole seconds, as the printer reports)', T + 60.9, 'same'],
    ['local newer by 61 s', T + 61, 'stale', /^local copy newer by 1 min 1 s$/],
    ['local newer by 2 h 5 min', T + 7500, 'stale', /^local copy newer by 2 h 5 min$/],
    ['printer clock ahead of the local copy by an hour', T - 3600, 'same'],
  ];
  for (const [name, mtimeSec, expected, reason] of table) {
    it(`judges ${name} as ${expected}`, () => {
      const decision = decideFile(local('a.gcode', { mtimeSec }), remoteFile('a.gcode'), WINDOW);
      assert.equal(decision.verdict, expected);
      if (reason) assert.match(decision.reason, reason);
    });
  }

  it('replaces a file whose size differs even when the printer copy looks newer', () => {
    const decision = decideFile(
      local('a.gcode', { size: 1_200_000, mtimeSec: T - 999 }),
      remoteFile('a.gcode', { size: 1_100_000 }),
      WINDOW,
    );
    assert.deepEqual(decision, { verdict: 'stale', reason: 'size differs: 1.2 MB here, 1.1 MB on printer' });
  });

  it('shows exact bytes when two different sizes round to the same text', () => {
    const decision = decideFile(local('a.gcode', { size: 1_843_211 }), remoteFile('a.gcode', { size: 1_843_210 }), WINDOW);
    assert.equal(decision.reason, 'size differs: 1843211 B here, 1843210 B on printer');
  });

  it('uses the time alone when the listing has no size (Buddy)', () => {
    const copy = remoteFile('a.gcode', { size: undefined });
    assert.equal(decideFile(local('a.gcode', { size: 5 }), copy, WINDOW).verdict, 'same');
    assert.equal(decideFile(local('a.gcode', { size: 5, mtimeSec: T + 61 }), copy, WINDOW).verdict, 'stale');
  });

  it('keeps a file when the printer gives neither size nor time', () => {
    const decision = decideFile(
      local('a.gcode', { mtimeSec: T + 9999 }),
      remoteFile('a.gcode', { size: undefined, mTimestamp: undefined }),
      WINDOW,
    );
    assert.equal(decision.verdict, 'same');
    assert.match(decision.reason, /nothing to compare/);
  });

  it('honours a zero window', () => {
    assert.equal(decideFile(local('a.gcode', { mtimeSec: T + 1 }), remoteFile('a.gcode'), { modifyWindowSec: 0 }).verdict, 'stale');
  });
});

describe('formatDuration and formatBytes', { timeout: 5000 }, () => {
  const durations: Array<[number, string]> = [
    [0, '0 s'],
    [45, '45 s'],
    [60, '1 min'],
    [61, '1 min 1 s'],
    [3600, '1 h'],
    [7500, '2 h 5 min'],
    [7501, '2 h 5 min'],
    [90000, '1 d 1 h'],
  ];
  for (const [seconds, text] of durations) {
    it(`writes ${seconds} s as "${text}"`, () => assert.equal(formatDuration(seconds), text));
  }
  const sizes: Array<[number, string]> = [
    [0, '0 B'],
    [999, '999 B'],
    [12_345, '12.3 kB'],
    [1_843_211, '1.8 MB'],
    [3_400_000_000, '3.4 GB'],
  ];
  for (const [bytes, text] of sizes) {
    it(`writes ${bytes} bytes as "${text}"`, () => assert.equal(formatBytes(bytes), text));
  }
});
