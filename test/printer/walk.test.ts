// walkRemote's descent and tree building, over an in-memory folder tree behind the PrinterApi seam.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PrinterError } from '../../src/errors.js';
import type { PrinterApi, RemoteEntry } from '../../src/printer/api.js';
import { BUDDY_RULES, PI_RULES } from '../../src/printer/rules.js';
import { walkRemote } from '../../src/printer/walk.js';

const T = { timeout: 5_000 };

/** Folders by URL path ('' = storage root); only list() is used by the walker. */
function treeApi(folders: Record<string, RemoteEntry[]>, failOn?: string): PrinterApi & { listed: string[] } {
  const listed: string[] = [];
  const unused = (): never => {
    throw new Error('not used by the walker');
  };
  return {
    name: 'fake',
    listed,
    list: async (_storage: string, dirUrl: string) => {
      listed.push(dirUrl);
      if (dirUrl === failOn) throw new PrinterError('fake', 'http', 'listing failed');
      return folders[dirUrl];
    },
    identify: unused,
    status: unused,
    storages: unused,
    stat: unused,
    upload: unused,
    download: unused,
    createFolder: unused,
    remove: unused,
    transfer: unused,
    close: () => undefined,
  };
}

const folder = (name: string, urlName = name): RemoteEntry => ({ type: 'folder', name, urlName, readOnly: false });
const file = (name: string, urlName = name, extra: Partial<RemoteEntry> = {}): RemoteEntry => ({
  type: 'file',
  name,
  urlName,
  readOnly: false,
  ...extra,
});

const buddyTree = {
  '': [folder('Farm Jobs', 'FARMJO~1'), file('loose.gcode', 'LOOSE.GCO')],
  'FARMJO~1': [folder('parts', 'PARTS'), file('Top Level.bgcode', 'TOPLEV~1.BGC', { mTimestamp: 7 })],
  'FARMJO~1/PARTS': [file('benchy+1.gcode', 'BENCHY~1.GCO'), folder('empty', 'EMPTY')],
  'FARMJO~1/PARTS/EMPTY': [],
};

test('descends to the root by long names, case-insensitively on Buddy, and builds URLs from short names', T, async () => {
  const api = treeApi(buddyTree);
  const tree = await walkRemote(api, 'usb', 'farm jobs', BUDDY_RULES);
  assert.equal(tree.rootExists, true);
  assert.equal(tree.rootUrl, 'FARMJO~1');
  assert.equal(tree.root, 'farm jobs');
  assert.deepEqual(tree.files, [
    { path: 'Top Level.bgcode', urlPath: 'FARMJO~1/TOPLEV~1.BGC', readOnly: false, mTimestamp: 7 },
    { path: 'parts/benchy+1.gcode', urlPath: 'FARMJO~1/PARTS/BENCHY~1.GCO', readOnly: false },
  ]);
  assert.deepEqual(tree.folders, [
    { path: 'parts', urlPath: 'FARMJO~1/PARTS' },
    { path: 'parts/empty', urlPath: 'FARMJO~1/PARTS/EMPTY' },
  ]);
  assert.deepEqual(api.listed.sort(), ['', 'FARMJO~1', 'FARMJO~1/PARTS', 'FARMJO~1/PARTS/EMPTY'], 'each folder listed once');
});

test('walks the whole storage when the root is empty', T, async () => {
  const tree = await walkRemote(treeApi(buddyTree), 'usb', '', BUDDY_RULES);
  assert.equal(tree.rootUrl, '');
  assert.deepEqual(
    tree.files.map((f) => f.path),
    ['Farm Jobs/Top Level.bgcode', 'Farm Jobs/parts/benchy+1.gcode', 'loose.gcode'],
  );
});

test('reports a missing root with the existing ancestor URL plus the missing long names', T, async () => {
  const tree = await walkRemote(treeApi(buddyTree), 'usb', 'Farm Jobs/parts/new one/deeper', BUDDY_RULES);
  assert.deepEqual(tree, {
    storage: 'usb',
    root: 'Farm Jobs/parts/new one/deeper',
    rootUrl: 'FARMJO~1/PARTS/new one/deeper',
    rootExists: false,
    missingRootFolders: 2,
    files: [],
    folders: [],
  });
});

test('matches names exactly on a case-sensitive printer', T, async () => {
  const api = treeApi({ '': [folder('Parts')], Parts: [file('a.gcode')] });
  const missing = await walkRemote(api, 'local', 'parts', PI_RULES);
  assert.equal(missing.rootExists, false);
  assert.equal(missing.rootUrl, 'parts');
  const found = await walkRemote(api, 'local', 'Parts', PI_RULES);
  assert.deepEqual(
    found.files.map((f) => f.urlPath),
    ['Parts/a.gcode'],
  );
});

test('refuses a root that is a file on the printer', T, async () => {
  const api = treeApi({ '': [file('jobs')] });
  await assert.rejects(walkRemote(api, 'local', 'jobs/x', PI_RULES), (err) => err instanceof PrinterError && err.kind === 'rejected');
});

test('propagates a listing error instead of returning a partial tree', T, async () => {
  const api = treeApi(buddyTree, 'FARMJO~1/PARTS');
  await assert.rejects(walkRemote(api, 'usb', 'Farm Jobs', BUDDY_RULES), /listing failed/);
  const vanished = treeApi({ '': [folder('a')], a: [folder('b')] });
  await assert.rejects(walkRemote(vanished, 'local', '', PI_RULES), (err) => err instanceof PrinterError && err.kind === 'not-found');
});

test('keeps partial downloads and read-only flags on files', T, async () => {
  const api = treeApi({ '': [file('dl.gcode', 'DL.GCO', { readOnly: true, partial: true }), file('p.gcode', 'P.GCO', { size: 5 })] });
  const tree = await walkRemote(api, 'usb', '', BUDDY_RULES);
  assert.deepEqual(tree.files, [
    { path: 'dl.gcode', urlPath: 'DL.GCO', readOnly: true, partial: true },
    { path: 'p.gcode', urlPath: 'P.GCO', readOnly: false, size: 5 },
  ]);
});

test('an entry listed twice (by long or URL name, any case on Buddy) is walked once', T, async () => {
  const api = treeApi({
    '': [folder('farm', 'FARM'), folder('Farm', 'FARM')],
    FARM: [
      file('a.gcode', 'A.GCO'),
      file('a.gcode', 'A.GCO'),
      file('A.GCODE', 'A~2.GCO'),
      file('b.gcode', 'A.GCO'),
      file('c.gcode', 'C.GCO'),
    ],
  });
  const tree = await walkRemote(api, 'usb', '', BUDDY_RULES);
  assert.deepEqual(api.listed, ['', 'FARM']);
  assert.deepEqual(
    tree.files.map((f) => f.urlPath),
    ['FARM/A.GCO', 'FARM/C.GCO'],
  );
  assert.deepEqual(
    tree.folders.map((f) => f.path),
    ['farm'],
  );
});
