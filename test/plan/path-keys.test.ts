// The planner's fast path helpers give exactly what the general path functions give.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ancestorPaths, recordKeyer } from '../../src/plan/path-keys.js';
import { recordKey } from '../../src/record/keys.js';
import { ancestorsOf } from '../../src/source/paths.js';

const PATHS = [
  '',
  'a.gcode',
  'Parts/Benchy.gcode',
  'a/b/c/d.gcode',
  '/a/b.gcode',
  'a/b/',
  'a//b.gcode',
  '/',
  'ΑΣ/Σb/ς.gcode',
  'İstanbul/Ünïcode é/x.GCODE',
];
const ROOTS = ['', 'farm', 'Farm/Bay 3', '/farm/', 'a//b'];

describe('planner path helpers', { timeout: 5000 }, () => {
  it('lists the same ancestors as ancestorsOf for clean and unclean paths', () => {
    for (const path of PATHS) assert.deepEqual(ancestorPaths(path), ancestorsOf(path), path);
  });

  it('builds the same record keys as recordKey, folded or not', () => {
    for (const caseInsensitive of [true, false]) {
      for (const root of ROOTS) {
        const keyOf = recordKeyer(root, { caseInsensitive });
        for (const path of PATHS) assert.equal(keyOf(path), recordKey(root, path, { caseInsensitive }), `${root} + ${path}`);
      }
    }
  });
});
