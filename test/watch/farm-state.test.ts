// The farm page's model (FarmState) fed with sync events, the status table, and the master
// folder's change test (signature, freshness), as tables of inputs and expected outputs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FarmState } from '../../src/watch/farm-state.js';
import { isFresh, signature } from '../../src/watch/master.js';
import { statusLines, pendingText, ago } from '../../src/run/status-table.js';
import { isFree, jobInfo } from '../../src/run/wait-busy.js';
import type { PrinterConfig } from '../../src/config/types.js';
import type { RunInputs } from '../../src/run/sync.js';
import type { StatusDocument } from '../../src/run/status-row.js';
import { blankResult, emptyCounts, type PrinterResult } from '../../src/report/events.js';

const printer = (name: string): PrinterConfig => ({
  name,
  printerType: 'MK4S',
  baseUrl: `http://10.0.0.1`,
  auth: { kind: 'digest', username: 'maker', password: 'secret-pw' },
});

test('FarmState follows a sync: plan, upload progress, done, and never holds a password', () => {
  const farm = new FarmState([printer('a'), printer('b')], '/master');
  let changes = 0;
  farm.onChange(() => changes++);
  farm.observe('a', { state: 'IDLE', transferRunning: false });
  farm.observe('b', { state: 'PRINTING', transferRunning: false, printing: { paths: ['x.gcode'], displayName: 'x.gcode', progress: 12 } });
  const action = { kind: 'upload' as const, path: 'p.gcode', size: 100, reason: 'missing on printer' };
  farm.sink({
    type: 'plan',
    printer: 'a',
    storage: 'usb',
    root: '',
    actions: [action, { kind: 'delete', path: 'old.gcode', reason: 'not in source folder' }],
    problems: [],
    holds: [],
    unchanged: 0,
    uploadBytes: 100,
  });
  farm.sink({ type: 'action-start', printer: 'a', action });
  farm.sink({ type: 'action-progress', printer: 'a', path: 'p.gcode', bytes: 40, total: 100 });
  let doc = farm.document();
  const a = doc.printers[0]!;
  assert.deepEqual(a.upload, { path: 'p.gcode', bytes: 40, total: 100 });
  assert.deepEqual(a.pending, { upload: 1, replace: 0, delete: 1, rmdir: 0, problems: 0, held: 0, inSync: false });
  assert.deepEqual(doc.printers[1]!.job, { file: 'x.gcode', progress: 12 });
  farm.sink({ type: 'action-done', printer: 'a', action, durationMs: 5, bytes: 100 });
  farm.sink({ type: 'action-done', printer: 'a', action: { kind: 'delete', path: 'old.gcode', reason: '' }, durationMs: 5, bytes: 0 });
  const result: PrinterResult = { ...blankResult('a', 'in-sync'), bytesSent: 100, durationMs: 10 };
  farm.sink({ type: 'printer-done', result });
  doc = farm.document();
  assert.equal(doc.printers[0]!.upload, null);
  assert.equal(doc.printers[0]!.pending?.inSync, true);
  assert.notEqual(doc.printers[0]!.lastSync, null);
  farm.pollFailed('b', { code: 'PRINTER_UNREACHABLE', message: 'printer b: cannot reach it' });
  doc = farm.document();
  assert.equal(doc.printers[1]!.state, null);
  assert.equal(doc.printers[1]!.answered, false);
  assert.ok(changes >= 8);
  assert.ok(!JSON.stringify(doc).includes('secret-pw'));
});

test('a failed sync is the last error until a sync succeeds', () => {
  const farm = new FarmState([printer('a')], '/master');
  const base: PrinterResult = {
    printer: 'a',
    outcome: 'failed',
    reason: 'full',
    error: { code: 'PRINTER_STORAGE', message: 'full' },
    planned: emptyCounts(),
    done: emptyCounts(),
    failed: 1,
    notRun: 0,
    problems: 0,
    held: 0,
    unchanged: 0,
    otherModel: 0,
    plannedBytes: 0,
    bytesSent: 0,
    durationMs: 1,
  };
  farm.sink({ type: 'printer-done', result: base });
  assert.equal(farm.document().printers[0]!.lastError?.code, 'PRINTER_STORAGE');
  farm.sink({ type: 'printer-done', result: { ...base, outcome: 'skipped' } });
  assert.equal(farm.document().printers[0]!.lastError?.code, 'PRINTER_STORAGE');
  farm.sink({ type: 'printer-done', result: { ...base, outcome: 'in-sync', error: undefined as never } });
  assert.equal(farm.document().printers[0]!.lastError, null);
});

test('a master change marks a printer behind: its old "in sync" plan is dropped until a sync plans it again', () => {
  const farm = new FarmState([printer('a')], '/master');
  const plan = (actions: Array<{ kind: 'upload'; path: string; size: number; reason: string }>) =>
    farm.sink({ type: 'plan', printer: 'a', storage: 'usb', root: '', actions, problems: [], holds: [], unchanged: 1, uploadBytes: 0 });
  plan([]);
  assert.equal(farm.document().printers[0]!.pending?.inSync, true);
  assert.equal(farm.document().printers[0]!.behindMaster, false);
  let changes = 0;
  farm.onChange(() => changes++);
  farm.behindMaster('a');
  farm.behindMaster('a');
  let row = farm.document().printers[0]!;
  assert.equal(row.behindMaster, true);
  assert.equal(row.pending, null);
  assert.equal(changes, 1, 'marking a printer behind again is no change');
  plan([{ kind: 'upload', path: 'new.gcode', size: 10, reason: 'missing on printer' }]);
  row = farm.document().printers[0]!;
  assert.equal(row.behindMaster, false);
  assert.equal(row.pending?.upload, 1);
});

test("free for a sync: the gate's states, and no transfer running", () => {
  const table: Array<[string, boolean, boolean]> = [
    ['IDLE', false, true],
    ['READY', false, true],
    ['FINISHED', false, true],
    ['STOPPED', false, true],
    ['IDLE', true, false],
    ['PRINTING', false, false],
    ['PAUSED', false, false],
    ['BUSY', false, false],
    ['ATTENTION', false, false],
    ['ERROR', false, false],
    ['UNKNOWN', false, false],
  ];
  for (const [state, transferRunning, free] of table) assert.equal(isFree({ state, transferRunning }), free, `${state} ${transferRunning}`);
  assert.equal(jobInfo({ state: 'IDLE', transferRunning: false }), undefined);
  assert.deepEqual(jobInfo({ state: 'PRINTING', transferRunning: false, printing: { paths: ['A~1.GCO', 'a b.gcode'] } }), {
    file: 'A~1.GCO',
  });
});

test('master folder: any size or mtime change changes the signature; a file modified within the settle time is fresh', () => {
  const now = 1_000_000_000;
  const inputs = (files: Array<[string, number, number]>): RunInputs =>
    ({
      source: {
        root: '/m',
        files: files.map(([rel, size, mtimeMs]) => ({ relPath: rel, absPath: `/m/${rel}`, size, mtimeMs })),
        folders: [],
        ignored: [],
      },
      routes: [],
      printers: [],
      destination: { path: '' },
      prefix: '',
      warnings: [],
    }) as unknown as RunInputs;
  const base = inputs([['a.gcode', 10, now - 10_000]]);
  assert.equal(signature(base), signature(inputs([['a.gcode', 10, now - 10_000]])));
  assert.notEqual(signature(base), signature(inputs([['a.gcode', 11, now - 10_000]])));
  assert.notEqual(signature(base), signature(inputs([['a.gcode', 10, now - 9_000]])));
  assert.notEqual(
    signature(base),
    signature(
      inputs([
        ['a.gcode', 10, now - 10_000],
        ['b.gcode', 1, now - 10_000],
      ]),
    ),
  );
  assert.equal(isFresh(base, 3000, now), false);
  assert.equal(isFresh(inputs([['a.gcode', 10, now - 1000]]), 3000, now), true);
  // A clock-skewed future mtime is not a write in progress.
  assert.equal(isFresh(inputs([['a.gcode', 10, now + 3_600_000]]), 3000, now), false);
});

test('status table: columns, pending words, times', () => {
  const doc: StatusDocument = {
    v: 1,
    time: '2026-01-01T12:00:00.000Z',
    source: '/m',
    printers: [
      {
        name: 'mk4',
        model: 'MK4S',
        url: 'http://a',
        answered: true,
        state: 'PRINTING',
        job: { file: 'x.gcode', progress: 45.4 },
        storage: { name: 'usb', freeBytes: null },
        pending: { upload: 0, replace: 0, delete: 0, rmdir: 0, problems: 0, held: 1, inSync: true },
        lastSync: '2026-01-01T10:00:00.000Z',
        error: null,
      },
      {
        name: 'gone',
        model: 'XL',
        url: 'http://b',
        answered: false,
        state: null,
        job: null,
        storage: null,
        pending: null,
        lastSync: null,
        error: { code: 'PRINTER_UNREACHABLE', message: 'printer gone: cannot reach http://b', hint: 'check it' },
      },
      {
        name: 'erring',
        model: 'MK4',
        url: 'http://c',
        answered: false,
        state: null,
        job: null,
        storage: null,
        pending: null,
        lastSync: null,
        error: { code: 'PRINTER_HTTP', message: 'printer erring: reading the printer status refused: 503 Busy', status: 503 },
      },
    ],
  };
  const lines = statusLines(doc, new Date('2026-01-01T12:00:00.000Z'));
  assert.deepEqual(lines, [
    'printer  model  state                     job          free  pending           last sync',
    'mk4      MK4S   PRINTING                  x.gcode 45%  -     in sync (1 held)  2 h ago',
    'gone     XL     UNREACHABLE               -            -     -                 -',
    'erring   MK4    PRINTER ERROR (HTTP 503)  -            -     -                 -',
    'gone: cannot reach http://b (check it)',
    'erring: reading the printer status refused: 503 Busy',
  ]);
  const pending = (p: Partial<{ upload: number; replace: number; delete: number; rmdir: number; problems: number; held: number }>) =>
    pendingText({ pending: { upload: 0, replace: 0, delete: 0, rmdir: 0, problems: 0, held: 0, inSync: false, ...p }, error: null });
  assert.equal(pending({ upload: 2, delete: 1 }), '2 to upload, 1 to delete');
  assert.equal(pending({ replace: 1, problems: 2 }), '1 to replace, 2 cannot sync');
  const now = new Date('2026-01-10T00:00:00Z');
  assert.equal(ago('2026-01-09T23:59:30Z', now), 'just now');
  assert.equal(ago('2026-01-09T23:30:00Z', now), '30 min ago');
  assert.equal(ago('2026-01-07T00:00:00Z', now), '3 days ago');
  assert.equal(ago('2025-06-01T00:00:00Z', now), '2025-06-01');
});
