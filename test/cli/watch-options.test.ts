// The values of --wait-busy, --interval and --http, as tables.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, parseInterval } from '../../src/cli/options.js';
import { parseHttpAddress } from '../../src/cli/commands/watch.js';

test('--wait-busy durations', () => {
  const good: Array<[string, number]> = [
    ['2h', 7_200_000],
    ['30m', 1_800_000],
    ['90s', 90_000],
    ['1h30m', 5_400_000],
    ['45', 45_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
    [' 2H ', 7_200_000],
    ['168h', 604_800_000],
  ];
  for (const [text, ms] of good) assert.equal(parseDuration(text), ms, text);
  for (const bad of ['', '2x', 'h', '-1h', '0', '0s', '1h 30m', '30m1', '169h', 'soon', '1e3']) {
    assert.throws(() => parseDuration(bad), Error, JSON.stringify(bad));
  }
});

test('--interval: 5 to 3600 seconds', () => {
  for (const [text, s] of [
    ['5', 5],
    ['30', 30],
    ['7.5', 7.5],
    ['3600', 3600],
  ] as const)
    assert.equal(parseInterval(text), s);
  for (const bad of ['0', '4.9', '-5', '3601', '99999', 'soon', '']) assert.throws(() => parseInterval(bad), Error, bad);
});

test('--http [HOST:]PORT', () => {
  const good: Array<[string, { host: string; port: number }]> = [
    ['8080', { host: '127.0.0.1', port: 8080 }],
    ['0', { host: '127.0.0.1', port: 0 }],
    ['0.0.0.0:8080', { host: '0.0.0.0', port: 8080 }],
    ['farm.local:80', { host: 'farm.local', port: 80 }],
    ['[::1]:8080', { host: '::1', port: 8080 }],
  ];
  for (const [text, address] of good) assert.deepEqual(parseHttpAddress(text), address, text);
  for (const bad of ['', 'http://x:80', '70000', 'host:', ':80', '::1:80', 'a:b']) assert.throws(() => parseHttpAddress(bad), Error, bad);
});
