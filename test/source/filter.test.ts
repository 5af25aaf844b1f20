// Which names count as print files and which as hidden.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PRINT_EXTENSIONS, extensionOf, hasPrintExtension, isHiddenName, normalizeExtensions } from '../../src/source/filter.js';

describe('print-file filter', { timeout: 5000 }, () => {
  const defaults = normalizeExtensions(DEFAULT_PRINT_EXTENSIONS);
  const table: Array<[name: string, kept: boolean]> = [
    ['a.gcode', true],
    ['A.GCODE', true],
    ['a.bgcode', true],
    ['a.g', true],
    ['a.gc', true],
    ['a.gco', true],
    ['a.bgc', true],
    ['a.gcode.txt', false],
    ['a.stl', false],
    ['gcode', false],
    ['a.', false],
  ];
  for (const [name, kept] of table) {
    it(`${kept ? 'keeps' : 'leaves out'} ${name}`, () => assert.equal(hasPrintExtension(name, defaults), kept));
  }

  it('normalizes extensions given in any case, with or without the dot', () => {
    assert.deepEqual([...normalizeExtensions(['GCODE', '.Bgcode', ' ', '.'])], ['.gcode', '.bgcode']);
  });

  it('treats dot-names as hidden and gives them no extension', () => {
    assert.equal(isHiddenName('.benchy.gcode.part'), true);
    assert.equal(isHiddenName('benchy.gcode'), false);
    assert.equal(extensionOf('.gcode'), '');
  });
});
