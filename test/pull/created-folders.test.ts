// Removing the folders a pull made and left empty: deepest first, never one that holds anything,
// never one that was there before.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, promises as fsp, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreatedFolders } from '../../src/local/created-folders.js';
import { makeFolders } from '../../src/local/make-folders.js';

test('only the folders recorded as made, and only while empty, are removed, deepest first', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'link-sync-created-'));
  try {
    const before = path.join(root, 'before');
    await fsp.mkdir(before);
    const created = new CreatedFolders();
    // before/a/b/c made at once; before/a/x made later, inside a folder this run made, and kept busy by a file.
    const deep = path.join(before, 'a', 'b', 'c');
    created.add(await makeFolders(deep));
    const busy = path.join(before, 'a', 'x');
    created.add(await makeFolders(busy));
    writeFileSync(path.join(busy, 'file.gcode'), 'G28\n');
    // A folder that already existed: makeFolders resolves no folder, so nothing is recorded.
    created.add(await makeFolders(before));
    const { removed, problems } = await created.removeEmpty();
    assert.deepEqual(problems, []);
    assert.deepEqual(removed, [deep, path.join(before, 'a', 'b')]);
    assert.ok(existsSync(path.join(busy, 'file.gcode')), 'a folder holding a file stays');
    assert.ok(existsSync(path.join(before, 'a')), 'its parent stays too');

    // Once emptied, a later call removes what is left of the chain, but not the folder from before.
    rmSync(path.join(busy, 'file.gcode'));
    const again = await created.removeEmpty();
    assert.deepEqual(again.removed, [busy, path.join(before, 'a')]);
    assert.ok(existsSync(before), 'a folder that was there before the run is never removed');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a folder recorded as made but gone already is no problem', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'link-sync-created-'));
  try {
    const folder = path.join(root, 'gone');
    const created = new CreatedFolders();
    created.add(await makeFolders(folder));
    rmSync(folder, { recursive: true });
    assert.deepEqual(await created.removeEmpty(), { removed: [], problems: [] });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('with a filter, only the recorded folders it accepts are looked at', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'link-sync-created-'));
  try {
    const created = new CreatedFolders('an unfinished backup');
    const mine = path.join(root, 'backups', 'mk4', 'farm');
    const theirs = path.join(root, 'backups', 'mk3', 'farm');
    created.add(await makeFolders(mine));
    created.add(await makeFolders(theirs));
    const { removed } = await created.removeEmpty((folder) => !folder.startsWith(path.join(root, 'backups', 'mk3')));
    assert.deepEqual(removed, [mine, path.dirname(mine)]);
    assert.ok(existsSync(theirs), 'a folder the filter refuses stays, empty or not');
    assert.deepEqual((await created.removeEmpty()).removed, [theirs, path.dirname(theirs), path.join(root, 'backups')]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
