// The reporters' formatting helpers, as tables.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatDuration, formatSpeed, plural } from '../../src/report/format.js';

test('formatBytes: decimal units, one decimal below 100, none above', () => {
  const table: [number, string][] = [
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 kB'],
    [1550, '1.6 kB'],
    [99_949, '99.9 kB'],
    [150_000, '150 kB'],
    [2_000_000, '2.0 MB'],
    [3_500_000_000, '3.5 GB'],
    [7_000_000_000_000, '7.0 TB'],
    [7_000_000_000_000_000, '7000 TB'],
  ];
  for (const [bytes, text] of table) assert.equal(formatBytes(bytes), text, String(bytes));
});

test('formatDuration: ms, then seconds, then minutes and seconds, then hours and minutes', () => {
  const table: [number, string][] = [
    [0, '0 ms'],
    [999.4, '999 ms'],
    [1000, '1.0 s'],
    [59_940, '59.9 s'],
    [60_000, '1 min 0 s'],
    [125_000, '2 min 5 s'],
    [3_600_000, '1 h 0 min'],
    [5_430_000, '1 h 31 min'], // 90.5 min, rounded as a whole
  ];
  for (const [ms, text] of table) assert.equal(formatDuration(ms), text, String(ms));
});

test('formatSpeed: bytes over time per second, a dash when no time passed', () => {
  const table: [number, number, string][] = [
    [2_000_000, 1000, '2.0 MB/s'],
    [500, 1000, '500 B/s'],
    [1_000_000, 4000, '250 kB/s'],
    [1000, 0, '-'],
    [1000, -5, '-'],
  ];
  for (const [bytes, ms, text] of table) assert.equal(formatSpeed(bytes, ms), text, `${bytes} B in ${ms} ms`);
});

test('plural: the singular for exactly one, the plural (or a given form) otherwise', () => {
  assert.equal(plural(1, 'file'), '1 file');
  assert.equal(plural(0, 'file'), '0 files');
  assert.equal(plural(2, 'file'), '2 files');
  assert.equal(plural(3, 'empty folder'), '3 empty folders');
  assert.equal(plural(2, 'printer or group', 'printers or groups'), '2 printers or groups');
});
