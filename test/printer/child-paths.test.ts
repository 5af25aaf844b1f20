// Shared listed paths: the same text as joining, one copy per text for the whole run.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChildPaths, childPathsOf, joinListed } from '../../src/printer/child-paths.js';

describe('ChildPaths', { timeout: 5000 }, () => {
  it('gives the joined path for every parent and name', () => {
    const paths = new ChildPaths(new Map());
    const cases: Array<[string, string, string]> = [
      ['', 'a.gcode', 'a.gcode'],
      ['set-01', 'part-02', 'set-01/part-02'],
      ['set-02', 'part-02', 'set-02/part-02'],
      ['', 'part-02', 'part-02'],
      ['set-01/part-02', 'model-0003.gcode', 'set-01/part-02/model-0003.gcode'],
      ['SET-01', 'MODEL~1.GCO', 'SET-01/MODEL~1.GCO'],
      ['a', '', 'a/'],
    ];
    for (const [parent, name, expected] of cases) {
      assert.equal(paths.child(parent, name), expected);
      assert.equal(paths.child(parent, name), expected, 'asked again');
      assert.equal(joinListed(parent, name), expected);
    }
  });

  it('hands out the pool copy, so a path read from a record and from a listing is one string', () => {
    const pool = new Map<string, string>();
    const fromRecord = ['set-01', 'part-02'].join('/');
    pool.set(fromRecord, fromRecord);
    const paths = new ChildPaths(pool);
    const listed = paths.child('set-01', 'part-02');
    assert.equal(listed, fromRecord);
    assert.equal(pool.size, 1, 'nothing new pooled for a known path');
    const fresh = paths.child('set-01', 'part-03');
    assert.equal(pool.get('set-01/part-03'), fresh, 'a new path is pooled');
  });

  it('keeps one ChildPaths per pool', () => {
    const pool = new Map<string, string>();
    assert.equal(childPathsOf(pool), childPathsOf(pool));
    assert.notEqual(childPathsOf(pool), childPathsOf(new Map()));
  });
});
