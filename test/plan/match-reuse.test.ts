// Matching reuses what it learns about a source tree across printers; the results must be exactly
// those of a fresh start, and a source whose file list is replaced must be looked at again.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matchFiles } from '../../src/plan/match.js';
import type { SourceTree } from '../../src/types.js';
import { BUDDY, PI, local, remoteFile, remoteOf, sourceOf } from './builders.js';

/** The same tree as a new object with new arrays, so nothing learned about `source` applies. */
function copyOf(source: SourceTree): SourceTree {
  return { ...source, files: source.files.map((f) => ({ ...f })), folders: [...source.folders] };
}

const source = sourceOf(
  local('Parts/Benchy.gcode'),
  local('parts/cube.gcode'),
  local('A.gcode'),
  local('a.gcode'),
  local('tools/clip.gcode'),
  local('Tools.gcode'),
);
const remotes = [
  remoteOf(),
  remoteOf({ files: [remoteFile('parts/benchy.gcode'), remoteFile('old.gcode')] }),
  remoteOf({ files: [remoteFile('tools'), remoteFile('Parts/Benchy.gcode/x.gcode')] }),
  remoteOf({ files: [remoteFile('a.gcode')], storage: 'local' }),
];

describe('matching one source for many printers', { timeout: 5000 }, () => {
  it('gives every printer what a fresh match gives, whatever the order and the case rule', () => {
    for (const rules of [BUDDY, PI, BUDDY]) {
      for (const remote of remotes) {
        const fresh = matchFiles(copyOf(source), remote, rules);
        const reused = matchFiles(source, remote, rules);
        assert.deepEqual(reused.problems, fresh.problems);
        assert.deepEqual(
          reused.pairs.map((p) => [p.source.relPath, p.remote?.path]),
          fresh.pairs.map((p) => [p.source.relPath, p.remote?.path]),
        );
        assert.deepEqual(reused.unmatched, fresh.unmatched);
      }
    }
  });

  it('sees a file added to a source it has matched before', () => {
    const tree = sourceOf(local('b.gcode'));
    assert.deepEqual(matchFiles(tree, remoteOf(), BUDDY).problems, []);
    tree.files = [...tree.files, local('B.gcode')];
    const problems = matchFiles(tree, remoteOf(), BUDDY).problems.map((p) => [p.path, p.code]);
    assert.deepEqual(problems, [
      ['b.gcode', 'CASE_COLLISION'],
      ['B.gcode', 'CASE_COLLISION'],
    ]);
  });
});
