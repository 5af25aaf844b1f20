// Pairing local and remote files, with case folding, collisions and folder/file conflicts.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matchFiles } from '../../src/plan/match.js';
import { BUDDY, PI, local, remoteFile, remoteOf, sourceOf } from './builders.js';

describe('matchFiles', { timeout: 5000 }, () => {
  it('pairs names that differ only in case on a printer that ignores case', () => {
    const result = matchFiles(sourceOf(local('Parts/Benchy.gcode')), remoteOf({ files: [remoteFile('parts/benchy.gcode')] }), BUDDY);
    assert.equal(result.pairs.length, 1);
    assert.equal(result.pairs[0]!.remote?.path, 'parts/benchy.gcode');
    assert.deepEqual(result.unmatched, []);
    assert.deepEqual(result.problems, []);
  });

  it('keeps names that differ in case apart on a Pi', () => {
    const result = matchFiles(sourceOf(local('Benchy.gcode')), remoteOf({ files: [remoteFile('benchy.gcode')], storage: 'local' }), PI);
    assert.equal(result.pairs[0]!.remote, undefined);
    assert.deepEqual(
      result.unmatched.map((f) => f.path),
      ['benchy.gcode'],
    );
  });

  it('prefers the exact-case remote file when a printer lists two that fold together', () => {
    const remote = remoteOf({ files: [remoteFile('A.gcode'), remoteFile('a.gcode')] });
    const result = matchFiles(sourceOf(local('a.gcode')), remote, BUDDY);
    assert.equal(result.pairs[0]!.remote?.path, 'a.gcode');
    assert.deepEqual(result.unmatched, [], 'neither is extraneous');
  });

  it('gives both local files of a case collision a problem and uploads neither', () => {
    const result = matchFiles(sourceOf(local('A.gcode'), local('a.gcode'), local('b.gcode')), remoteOf(), BUDDY);
    assert.deepEqual(
      result.pairs.map((p) => p.source.relPath),
      ['b.gcode'],
    );
    assert.deepEqual(
      result.problems.map((p) => [p.path, p.code]),
      [
        ['A.gcode', 'CASE_COLLISION'],
        ['a.gcode', 'CASE_COLLISION'],
      ],
    );
    assert.match(result.problems[0]!.message, /"A.gcode" and "a.gcode" are one name/);
  });

  it('protects the remote file named by colliding local files from deletion', () => {
    const result = matchFiles(sourceOf(local('A.gcode'), local('a.gcode')), remoteOf({ files: [remoteFile('a.gcode')] }), BUDDY);
    assert.deepEqual(result.unmatched, []);
  });

  it('sees no collision between the same two names on a Pi', () => {
    const result = matchFiles(sourceOf(local('A.gcode'), local('a.gcode')), remoteOf({ storage: 'local' }), PI);
    assert.equal(result.pairs.length, 2);
    assert.deepEqual(result.problems, []);
  });

  it('reports a local file and a local folder that are one name on the printer', () => {
    const result = matchFiles(sourceOf(local('x.gcode'), local('X.GCODE/inner.gcode')), remoteOf(), BUDDY);
    assert.deepEqual(result.pairs, []);
    assert.deepEqual(
      result.problems.map((p) => [p.path, p.code]),
      [
        ['X.GCODE/inner.gcode', 'CASE_COLLISION'],
        ['x.gcode', 'CASE_COLLISION'],
      ],
    );
    assert.equal(
      result.problems.find((p) => p.path === 'x.gcode')?.message,
      '"x.gcode" and the local folder "X.GCODE" are one name on this printer, which ignores case; neither is synced: rename one',
    );
  });

  it('lets two local folders that differ in case share one printer folder', () => {
    const result = matchFiles(sourceOf(local('Parts/a.gcode'), local('parts/b.gcode')), remoteOf(), BUDDY);
    assert.equal(result.pairs.length, 2);
    assert.deepEqual(result.problems, []);
  });

  it('reports a local file where the printer has a folder', () => {
    const remote = remoteOf({ files: [remoteFile('cube.gcode/old.gcode')] });
    const result = matchFiles(sourceOf(local('Cube.gcode')), remote, BUDDY);
    assert.deepEqual(
      result.problems.map((p) => [p.path, p.code]),
      [['Cube.gcode', 'FOLDER_IS_FILE']],
    );
    assert.deepEqual(
      result.unmatched.map((f) => f.path),
      ['cube.gcode/old.gcode'],
    );
  });

  it('reports a local folder where the printer has a file', () => {
    const remote = remoteOf({ files: [remoteFile('jigs.g')] });
    const result = matchFiles(sourceOf(local('jigs.g/clip.gcode'), local('other.gcode')), remote, BUDDY);
    assert.deepEqual(
      result.problems.map((p) => [p.path, p.code]),
      [['jigs.g/clip.gcode', 'FOLDER_IS_FILE']],
    );
    assert.match(result.problems[0]!.message, /file "jigs.g" where this file's folder goes/);
    assert.deepEqual(
      result.pairs.map((p) => p.source.relPath),
      ['other.gcode'],
    );
  });
});
