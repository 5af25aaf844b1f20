// Which uploads of a plan fit in the free space a Pi reports: in order, each replacement giving back
// the copy it replaces, as the executor meets them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uploadsThatWillNotFit } from '../../src/execute/free-space.js';
import type { Action } from '../../src/types.js';

const file = (kind: 'upload' | 'replace', path: string, size: number): Action =>
  ({ kind, path, targetUrl: path, reason: 'test', source: { relPath: path, absPath: `/m/${path}`, size, mtimeMs: 0 } }) as Action;
const del = (path: string): Action => ({ kind: 'delete', path, targetUrl: path, reason: 'test' }) as Action;
const paths = (actions: readonly Action[]) => actions.map((a) => a.path);

test('a printer that does not tell its space: everything is tried', () => {
  assert.deepEqual(
    uploadsThatWillNotFit([file('upload', 'a', 10 ** 12)], undefined, () => undefined),
    [],
  );
});

test('uploads take space in order; from the first that does not fit, none is sent (a full storage stops them)', () => {
  const plan = [file('upload', 'a', 600), file('upload', 'b', 500), del('old'), file('upload', 'c', 300)];
  assert.deepEqual(paths(uploadsThatWillNotFit(plan, 1_000, () => undefined)), ['b', 'c']);
  assert.deepEqual(paths(uploadsThatWillNotFit(plan, 1_400, () => undefined)), []);
});

test('a replacement gives back the copy it replaces, but needs its whole size while it is sent', () => {
  const replaced = (a: Action) => (a.path === 'r' ? 800 : undefined);
  // 900 free: r (1,000) does not fit whole though it would only grow the storage by 200.
  assert.deepEqual(paths(uploadsThatWillNotFit([file('replace', 'r', 1_000)], 900, replaced)), ['r']);
  // 1,000 free: r fits, then 800 of its old copy come back: 800 left, enough for u.
  assert.deepEqual(paths(uploadsThatWillNotFit([file('replace', 'r', 1_000), file('upload', 'u', 800)], 1_000, replaced)), []);
  assert.deepEqual(paths(uploadsThatWillNotFit([file('replace', 'r', 1_000), file('upload', 'u', 801)], 1_000, replaced)), ['u']);
});
