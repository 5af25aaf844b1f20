// FAT naming rules: 8.3 short names as FatFS makes them, case folding, invalid names.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldCase, isInvalidFatName, makeShortName, stripTrailingDotsAndSpaces } from '../../src/simulator/model/fat-names.js';

describe('FAT short names', () => {
  const none = (): boolean => false;
  const cases: Array<[string, string]> = [
    ['BENCHY.GCO', 'BENCHY.GCO'],
    ['benchy.gco', 'BENCHY.GCO'],
    ['Benchy.gco', 'BENCHY.GCO'],
    ['benchy.gcode', 'BENCHY~1.GCO'],
    ['benchy_0.4n_0.2mm_PLA_MK4S_45m.bgcode', 'BENCHY~1.BGC'],
    ['my part.gcode', 'MYPART~1.GCO'],
    ['a+b.g', 'A_B~1.G'],
    ['PARTS', 'PARTS'],
    ['jigs', 'JIGS'],
    ['Überteil.gcode', '_BERTE~1.GCO'],
  ];
  for (const [long, short] of cases) {
    it(`gives "${long}" the short name ${short}`, () => assert.equal(makeShortName(long, none), short));
  }

  it('numbers collisions ~1 to ~5, then switches to a hash of the long name', () => {
    const taken = new Set<string>();
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      const sfn = makeShortName(`part_number_${i}.gcode`, (s) => taken.has(s));
      assert.ok(sfn);
      taken.add(sfn);
      made.push(sfn);
    }
    assert.deepEqual(made.slice(0, 5), ['PART_N~1.GCO', 'PART_N~2.GCO', 'PART_N~3.GCO', 'PART_N~4.GCO', 'PART_N~5.GCO']);
    for (const sfn of made.slice(5)) assert.match(sfn, /^[A-Z_]{1,6}~[0-9A-F]{1,4}\.GCO$/);
    assert.equal(new Set(made).size, 7);
  });

  it('folds case for lookups and strips trailing dots and spaces', () => {
    assert.equal(foldCase('Benchy.gcode'), foldCase('BENCHY.GCODE'));
    assert.equal(foldCase('ärger'), foldCase('ÄRGER'));
    assert.equal(stripTrailingDotsAndSpaces('a.gcode. .'), 'a.gcode');
  });

  it('refuses the characters FatFS refuses', () => {
    for (const bad of ['a?.gcode', 'a*.gcode', 'a:b.gcode', 'a<b', 'a|b', 'a"b', 'tab\there', '...'])
      assert.equal(isInvalidFatName(bad), true, bad);
    for (const ok of ['a b.gcode', 'a+b.gcode', 'ünï.gcode', '(1)[2].gcode']) assert.equal(isInvalidFatName(ok), false, ok);
  });
});
