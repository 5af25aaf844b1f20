// The planner's fast path helpers give exactly what the general path functions give.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ancestorPaths, filesByRecordKey, forgetRecordKeys, recordKeyer } from '../../src/plan/path-keys.js';
import { isUnderRoot, recordKey, underRootTest } from '../../src/record/keys.js';
import type { RemoteFile, RemoteTree } from '../../src/types.js';
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

describe('remote files by record key', { timeout: 5000 }, () => {
  const file = (path: string): RemoteFile => ({ path, urlPath: path.toUpperCase(), readOnly: false });
  const tree = (root: string, paths: string[]): RemoteTree => ({
    storage: 'usb',
    root,
    rootUrl: root.toUpperCase(),
    rootExists: true,
    files: paths.map(file),
    folders: [],
  });

  it('keys every file as recordKey does, a later file of the same key winning', () => {
    for (const caseInsensitive of [true, false]) {
      for (const root of ROOTS) {
        const remote = tree(root, ['a.gcode', 'Parts/Benchy.gcode', 'parts/benchy.gcode', 'a//b.gcode']);
        const expected = new Map<string, RemoteFile>();
        for (const f of remote.files) expected.set(recordKey(root, f.path, { caseInsensitive }), f);
        assert.deepEqual([...filesByRecordKey(remote, { caseInsensitive })], [...expected], `${root} ${caseInsensitive}`);
      }
    }
  });

  it('builds the map again for another case rule, a replaced or grown file list, or after forgetting', () => {
    const remote = tree('', ['A.gcode']);
    assert.deepEqual([...filesByRecordKey(remote, { caseInsensitive: true }).keys()], ['a.gcode']);
    assert.deepEqual([...filesByRecordKey(remote, { caseInsensitive: false }).keys()], ['A.gcode']);
    remote.files = [file('B.gcode')];
    assert.deepEqual([...filesByRecordKey(remote, { caseInsensitive: false }).keys()], ['B.gcode']);
    remote.files.push(file('C.gcode'));
    assert.deepEqual([...filesByRecordKey(remote, { caseInsensitive: false }).keys()], ['B.gcode', 'C.gcode']);
    const first = filesByRecordKey(remote, { caseInsensitive: false });
    assert.equal(filesByRecordKey(remote, { caseInsensitive: false }), first, 'reused while nothing changed');
    forgetRecordKeys(remote);
    assert.notEqual(filesByRecordKey(remote, { caseInsensitive: false }), first);
  });

  it('tests keys under a root, folded on a printer that ignores case', () => {
    const table: Array<[string, boolean, string, boolean]> = [
      ['', true, 'anything/a.gcode', true],
      ['', false, '', true],
      ['farm', true, 'farm/a.gcode', true],
      ['Farm', true, 'farm/a.gcode', true],
      ['Farm', false, 'farm/a.gcode', false],
      ['Farm', false, 'Farm/a.gcode', true],
      ['farm', true, 'farmer/a.gcode', false],
      ['farm', true, 'farm', false],
      ['farm/Bay 3', true, 'farm/bay 3/x.gcode', true],
      ['farm/Bay 3', true, 'farm/a.gcode', false],
    ];
    for (const [root, caseInsensitive, key, expected] of table) {
      assert.equal(underRootTest(root, { caseInsensitive })(key), expected, `${root} ${caseInsensitive} ${key}`);
      assert.equal(isUnderRoot(key, root, { caseInsensitive }), expected, `isUnderRoot ${root} ${key}`);
    }
  });
});
