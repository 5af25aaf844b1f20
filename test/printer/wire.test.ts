// PrusaLink JSON normalisation: Buddy and Pi shapes, field-name drift, partial downloads.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  WireError,
  parseFileInfo,
  parseInfo,
  parseJobFile,
  parseListing,
  parseStatus,
  parseStorageList,
  parseVersion,
  printedPaths,
} from '../../src/printer/prusalink/wire.js';
import { filesTarget } from '../../src/printer/prusalink/v1.js';

const T = { timeout: 5_000 };

test('tells Buddy from Pi by the /api/version answer', T, () => {
  const rows: Array<[string, unknown, 'buddy' | 'pi' | undefined]> = [
    ['Buddy', { api: '2.0.0', server: '2.1.2', text: 'PrusaLink', hostname: 'mk4', capabilities: { 'upload-by-put': true } }, 'buddy'],
    ['old Buddy MINI', { text: 'PrusaLink MINI' }, 'buddy'],
    ['Pi 0.8.1', { api: '2.0.0', original: 'PrusaLink I3MK3S', text: 'PrusaLink 0.8.1', firmware: '3.14.1-8237' }, 'pi'],
    ['Pi with only a versioned text', { text: 'PrusaLink 0.7.2' }, 'pi'],
    ['Pi with only firmware', { firmware: '3.14.1' }, 'pi'],
    ['Pi 0.6.x', { text: 'OctoPrint 1.1.0' }, 'pi'],
    ['unknown', { api: '2.0.0' }, undefined],
  ];
  for (const [label, body, kind] of rows) assert.equal(parseVersion(body).kind, kind, label);
  assert.equal(parseVersion({ capabilities: { 'upload-by-put': true } }).uploadByPut, true);
  assert.equal(parseVersion({ text: 'PrusaLink' }).uploadByPut, false);
  assert.throws(() => parseVersion('PrusaLink'), WireError);
});

test('reads the serial whether it is a string or a number', T, () => {
  assert.deepEqual(parseInfo({ serial: 'CZPX1234', hostname: 'h' }), { serial: 'CZPX1234', hostname: 'h' });
  assert.deepEqual(parseInfo({ serial: 42 }), { serial: '42' });
  assert.deepEqual(parseInfo({}), {});
});

test('normalises storage lists from both implementations', T, () => {
  const buddy = { storage_list: [{ path: '/usb/', name: 'usb', type: 'USB', read_only: false, available: true }] };
  assert.deepEqual(parseStorageList(buddy), [{ name: 'usb', available: true, readOnly: false }]);
  const pi = {
    storage_list: [
      { type: 'LOCAL', path: '/local', available: true, read_only: false, name: 'PrusaLink gcodes', free_space: 5120000000 },
      { type: 'SDCARD', path: '/sdcard', available: false },
      { type: 'LOCAL', path: 'old', ro: true },
    ],
  };
  assert.deepEqual(parseStorageList(pi), [
    { name: 'local', available: true, readOnly: false, freeSpace: 5120000000 },
    { name: 'sdcard', available: false, readOnly: false },
    { name: 'old', available: true, readOnly: true },
  ]);
  assert.throws(() => parseStorageList({}), WireError);
});

test('reads the state, a running transfer and the job flag from the status', T, () => {
  const buddy = parseStatus({
    printer: { state: 'PRINTING' },
    job: { id: 3, progress: 10 },
    transfer: { id: 9, transferred: 100 },
    storage: { path: '/usb/', name: 'usb', read_only: false },
  });
  assert.deepEqual(buddy, { state: 'PRINTING', transferRunning: true, hasJob: true, jobProgress: 10, storages: ['usb'] });
  const pi = parseStatus({
    printer: { state: 'idle' },
    storage: [
      { path: '/local', name: 'PrusaLink gcodes', read_only: false },
      { path: '/sdcard', name: 'SD Card', read_only: true },
    ],
  });
  assert.deepEqual(pi, { state: 'IDLE', transferRunning: false, hasJob: false, storages: ['local', 'sdcard'] });
  assert.throws(() => parseStatus({ storage: [] }), WireError, 'printer is required');
});

test('lists every storage-relative path that may name the printed file', T, () => {
  const known = ['usb', 'local', 'sdcard'];
  const rows: Array<[string, Parameters<typeof printedPaths>[0], string[]]> = [
    [
      'Buddy: folder path, short and long name',
      { path: '/usb/PARTS', name: 'BENCHY~1.BGC', displayName: 'benchy.bgcode' },
      ['PARTS/BENCHY~1.BGC', 'PARTS/benchy.bgcode'],
    ],
    [
      'Buddy: full short path',
      { path: '/usb/PARTS/BENCHY~1.BGC', name: 'BENCHY~1.BGC', displayName: 'benchy.bgcode' },
      ['PARTS/BENCHY~1.BGC', 'PARTS/benchy.bgcode'],
    ],
    ['Pi: storage root', { path: '/local', name: 'a.gcode', displayName: 'a.gcode' }, ['a.gcode']],
    [
      'Pi: full path with long name',
      { path: '/local/deep/dir/a b.gcode', name: 'a b.gcode', displayName: undefined },
      ['deep/dir/a b.gcode'],
    ],
    ['no path at all', { path: undefined, name: 'x.gcode', displayName: 'X long.gcode' }, ['x.gcode', 'X long.gcode']],
    ['nothing known', { path: undefined, name: undefined, displayName: undefined }, []],
  ];
  for (const [label, file, expected] of rows) assert.deepEqual(printedPaths(file, known), expected, label);
  assert.deepEqual(parseJobFile({ id: 1, state: 'PRINTING' }), undefined, 'a serial print has no file');
  assert.deepEqual(parseJobFile({ file: { path: '/usb', name: 'A.GCO', display_name: 'a.gcode' } }), {
    path: '/usb',
    name: 'A.GCO',
    displayName: 'a.gcode',
  });
});

test('reads Buddy and Pi folder listings into entries', T, () => {
  const buddy = parseListing(
    {
      type: 'FOLDER',
      ro: false,
      name: 'PARTS',
      children: [
        {
          name: 'BENCHY~1.BGC',
          ro: false,
          type: 'PRINT_FILE',
          m_timestamp: 1717419830,
          refs: { download: '/usb/PARTS/BENCHY~1.BGC' },
          display_name: 'benchy_0.4n.bgcode',
        },
        { name: 'JIGS', ro: false, type: 'FOLDER', m_timestamp: 1717300000, display_name: 'jigs' },
        { name: 'CONNEC~1.GCO', ro: true, type: 'PRINT_FILE', display_name: 'connect download.gcode', refs: { icon: '/x' } },
        { ro: false, type: 'PRINT_FILE' },
      ],
    },
    'listing',
  );
  assert.deepEqual(buddy, [
    { type: 'file', name: 'benchy_0.4n.bgcode', urlName: 'BENCHY~1.BGC', readOnly: false, mTimestamp: 1717419830 },
    { type: 'folder', name: 'jigs', urlName: 'JIGS', readOnly: false, mTimestamp: 1717300000 },
    { type: 'file', name: 'connect download.gcode', urlName: 'CONNEC~1.GCO', readOnly: true, partial: true },
  ]);
  const pi = parseListing(
    {
      type: 'FOLDER',
      name: 'parts',
      read_only: false,
      children: [
        {
          type: 'PRINT_FILE',
          name: 'a.gcode',
          read_only: false,
          m_timestamp: 5,
          size: 10,
          display_name: 'a.gcode',
          refs: { download: '/d' },
        },
        { type: 'FILE', name: 'b.bgcode', read_only: false, m_timestamp: 6, size: 11, display_name: 'b.bgcode', refs: { download: '/d' } },
        { type: 'FOLDER', name: 'sub', read_only: false, size: 21 },
      ],
    },
    'listing',
  );
  assert.deepEqual(pi, [
    { type: 'file', name: 'a.gcode', urlName: 'a.gcode', readOnly: false, size: 10, mTimestamp: 5 },
    { type: 'file', name: 'b.bgcode', urlName: 'b.bgcode', readOnly: false, size: 11, mTimestamp: 6 },
    { type: 'folder', name: 'sub', urlName: 'sub', readOnly: false },
  ]);
  assert.deepEqual(parseListing({ type: 'FOLDER', name: 'usb' }, 'root without m_timestamp or children'), []);
  assert.throws(() => parseListing({ type: 'PRINT_FILE', name: 'A.GCO', size: 3 }, 'x'), /is a file/);
  assert.throws(() => parseListing({ type: 'FOLDER', children: 'no' }, 'x'), WireError);
});

test('reads a single file answer', T, () => {
  assert.deepEqual(parseFileInfo({ name: 'A.GCO', ro: false, size: 12, m_timestamp: 3 }, 'x'), {
    readOnly: false,
    size: 12,
    mTimestamp: 3,
  });
  assert.deepEqual(parseFileInfo({ read_only: 'True' }, 'x'), { readOnly: true });
});

test('encodes each path segment of a files URL', T, () => {
  const rows: Array<[string, string, string]> = [
    ['usb', '', '/api/v1/files/usb'],
    ['usb', 'a b/c+d.gcode', '/api/v1/files/usb/a%20b/c%2Bd.gcode'],
    ['local', '/x/ü#%?.gcode/', '/api/v1/files/local/x/%C3%BC%23%25%3F.gcode'],
    ['usb', 'PARTS~1/BENCHY~1.GCO', '/api/v1/files/usb/PARTS~1/BENCHY~1.GCO'],
  ];
  for (const [storage, path, target] of rows) assert.equal(filesTarget(storage, path), target, path);
});
