// The name a new backup takes when an earlier one is there: a UTC time suffix before the extension.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suffixed } from '../../src/backup/earlier-backup.js';

const NOW = new Date('2026-12-05T17:42:09.123Z');

test('backup names: the time goes before the extension, then a counter within the same second', { timeout: 5_000 }, () => {
  const rows: Array<[string, number, string]> = [
    ['benchy.gcode', 1, 'benchy.20261205T174209Z.gcode'],
    ['benchy.gcode', 2, 'benchy.20261205T174209Z-2.gcode'],
    ['part.v2.bgcode', 1, 'part.v2.20261205T174209Z.bgcode'],
    ['noext', 1, 'noext.20261205T174209Z'],
    ['.hidden', 1, '.hidden.20261205T174209Z'],
  ];
  for (const [name, attempt, expected] of rows) assert.equal(suffixed(name, NOW, attempt), expected, name);
});
