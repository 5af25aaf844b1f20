// The legacy JSON readers: /api/files trees of Pi 0.6 and Buddy 4.4, /api/printer flags, file answers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findEntry, parseLegacyFile, parseLegacyPrinter, parseLegacyTree } from '../../src/printer/prusalink/legacy-wire.js';
import { WireError } from '../../src/printer/prusalink/wire.js';

const T = { timeout: 5_000 };

const PI_TREE = {
  files: [
    {
      name: 'Prusa Link gcodes',
      path: '/Prusa Link gcodes',
      display: 'Prusa Link gcodes',
      type: 'folder',
      origin: 'local',
      children: [
        {
          name: 'parts',
          path: '/Prusa Link gcodes/parts',
          display: 'parts',
          type: 'folder',
          origin: 'local',
          children: [
            {
              name: 'a.gcode',
              path: '/Prusa Link gcodes/parts/a.gcode',
              display: 'a.gcode',
              type: 'machinecode',
              origin: 'local',
              size: 12,
              date: 1700000000,
            },
          ],
        },
        {
          name: 'b.gcode',
          path: '/Prusa Link gcodes/b.gcode',
          display: 'b.gcode',
          type: 'machinecode',
          origin: 'local',
          size: 3,
          date: 1700000001,
        },
      ],
    },
    {
      name: 'SD Card',
      path: '/SD Card',
      display: 'SD Card',
      type: 'folder',
      origin: 'sdcard',
      children: [{ name: 'sd.gcode', type: 'machinecode', origin: 'sdcard' }],
    },
  ],
  free: '12 GB',
};

const BUDDY_TREE = {
  files: [
    {
      name: 'USB',
      path: '/usb',
      display: 'USB',
      type: 'folder',
      origin: 'usb',
      children: [
        {
          name: 'BENCHY~1.GCO',
          display: 'Benchy Long Name.gcode',
          path: 'usb/BENCHY~1.GCO',
          origin: 'usb',
          refs: { resource: '/api/files/usb/BENCHY~1.GCO' },
        },
      ],
    },
  ],
};

test('reads the Pi 0.6 tree: its storage folder and nested entries with size and date', T, () => {
  const tree = parseLegacyTree(PI_TREE, 'local');
  assert.deepEqual(tree.rootSegments, ['Prusa Link gcodes']);
  assert.deepEqual(
    tree.entries.map((e) => [e.type, e.name]),
    [
      ['folder', 'parts'],
      ['file', 'b.gcode'],
    ],
  );
  const a = findEntry(tree, ['parts', 'a.gcode'], false);
  assert.deepEqual(a, { type: 'file', name: 'a.gcode', urlName: 'a.gcode', size: 12, mTimestamp: 1700000000, children: [] });
  assert.equal(findEntry(tree, ['PARTS', 'a.gcode'], false), undefined, 'Pi names are case-sensitive');
});

test('reads the Buddy 4.4 listing: long display names, 8.3 names for URLs, no size', T, () => {
  const tree = parseLegacyTree(BUDDY_TREE, 'usb');
  assert.deepEqual(tree.rootSegments, ['usb']);
  assert.deepEqual(tree.entries, [{ type: 'file', name: 'Benchy Long Name.gcode', urlName: 'BENCHY~1.GCO', children: [] }]);
  assert.equal(findEntry(tree, ['benchy long name.gcode'], true)?.urlName, 'BENCHY~1.GCO');
  assert.equal(findEntry(tree, ['benchy~1.gco'], true)?.name, 'Benchy Long Name.gcode');
});

test('reads a list without storage folders as the root itself', T, () => {
  const tree = parseLegacyTree({ files: [{ name: 'x.gcode', display: 'x.gcode' }] }, 'usb');
  assert.deepEqual(tree, { rootSegments: [], entries: [{ type: 'file', name: 'x.gcode', urlName: 'x.gcode', children: [] }] });
});

test('rejects a tree without the storage asked for, or without a files list', T, () => {
  assert.throws(() => parseLegacyTree(PI_TREE, 'usb'), WireError);
  assert.throws(() => parseLegacyTree({ nope: [] }, 'local'), WireError);
  assert.throws(() => parseLegacyTree([], 'local'), WireError);
});

test('maps /api/printer flags to a state and whether a job may hold a file', T, () => {
  const flags = (f: Record<string, unknown>, text = ''): unknown => ({ state: { text, flags: f } });
  const table: Array<[unknown, string, boolean]> = [
    [flags({ operational: true, ready: true, link_state: 'IDLE' }), 'IDLE', false],
    [flags({ operational: true, ready: true }), 'IDLE', false],
    [flags({ printing: true, operational: false }), 'PRINTING', true],
    [flags({ printing: true, link_state: 'IDLE' }), 'PRINTING', true],
    [flags({ paused: true }), 'PAUSED', true],
    [flags({ pausing: true }), 'PAUSED', true],
    [flags({ busy: true }), 'BUSY', true],
    [flags({ cancelling: true }), 'BUSY', true],
    [flags({ error: true, closedOrError: true }), 'ERROR', true],
    [flags({ operational: true, link_state: 'finished' }), 'FINISHED', false],
    [flags({ link_state: 'ATTENTION' }), 'ATTENTION', true],
    [flags({}, 'Printing'), 'PRINTING', true],
    [flags({}, 'Operational'), 'IDLE', false],
    [flags({}), 'UNKNOWN', true],
  ];
  for (const [body, state, job] of table) {
    const got = parseLegacyPrinter(body);
    assert.deepEqual([got.state, got.job], [state, job], JSON.stringify(body));
  }
  assert.throws(() => parseLegacyPrinter({}), WireError);
});

test('reads whether the storage is there from sdReady or sd.ready', T, () => {
  assert.equal(parseLegacyPrinter({ state: { flags: { sdReady: false } } }).storageReady, false);
  assert.equal(parseLegacyPrinter({ state: { flags: {} }, sd: { ready: true } }).storageReady, true);
  assert.equal(parseLegacyPrinter({ state: { flags: {} } }).storageReady, undefined);
});

test('reads single-file answers of both printers, and tells a folder apart', T, () => {
  assert.deepEqual(parseLegacyFile({ name: 'Long.gcode', origin: 'local', size: 5 }), { folder: false, size: 5 });
  assert.deepEqual(parseLegacyFile({ name: 'a.gcode', type: 'machinecode', size: 9, date: 17 }), {
    folder: false,
    size: 9,
    mTimestamp: 17,
  });
  assert.deepEqual(parseLegacyFile({ name: 'dir', type: 'folder' }), { folder: true });
  assert.deepEqual(parseLegacyFile({ files: [] }), { folder: true });
  assert.throws(() => parseLegacyFile('nope'), WireError);
});
