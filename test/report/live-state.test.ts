// The live view's per-printer state under --wait-busy: a busy printer's row says it is waiting and what it
// is doing, until it is free and read again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveState } from '../../src/report/live-state.js';
import { renderLiveLines } from '../../src/report/live-lines.js';
import type { SyncEvent } from '../../src/report/events.js';
import { result } from './events.js';

function rowText(state: LiveState, printer: string): string {
  const lines = renderLiveLines(state.rows(), state.overall(), 80, false);
  const line = lines.find((l) => l.startsWith(printer));
  assert.ok(line, `a row for ${printer}`);
  return line;
}

test('a printer waited for shows its state and job, then connects and plans once free', () => {
  const state = new LiveState(() => 0);
  const events: SyncEvent[] = [
    { type: 'run-start', dryRun: false, printers: ['mk4-bay1'], source: '/srv/master', files: 1, bytes: 1_000 },
    { type: 'printer-start', printer: 'mk4-bay1' },
    { type: 'printer-state', printer: 'mk4-bay1', state: 'PRINTING', job: { file: 'benchy.gcode', progress: 45.4 } },
  ];
  for (const e of events) state.apply(e);
  assert.equal(state.rows()[0]?.phase, 'waiting');
  assert.match(rowText(state, 'mk4-bay1'), /waiting until it is free: PRINTING benchy\.gcode \(45%\)/);

  state.apply({ type: 'printer-state', printer: 'mk4-bay1', state: 'FINISHED', previous: 'PRINTING' });
  assert.match(rowText(state, 'mk4-bay1'), /waiting until it is free: FINISHED$/);

  state.apply({ type: 'printer-start', printer: 'mk4-bay1' });
  assert.equal(state.rows()[0]?.phase, 'connecting');
  state.apply({
    type: 'plan',
    printer: 'mk4-bay1',
    storage: 'usb',
    root: '',
    actions: [{ kind: 'upload', path: 'a.gcode', size: 1_000, reason: 'missing on printer' }],
    problems: [],
    holds: [],
    unchanged: 0,
    uploadBytes: 1_000,
  });
  assert.match(rowText(state, 'mk4-bay1'), /planned: 1 action,/);
  state.apply({ type: 'printer-done', result: result('mk4-bay1') });
  assert.doesNotMatch(rowText(state, 'mk4-bay1'), /waiting/);
});

test('a waited-for printer that stops answering says so in its row', () => {
  const state = new LiveState(() => 0);
  state.apply({ type: 'printer-start', printer: 'xl-bay2' });
  state.apply({
    type: 'printer-state',
    printer: 'xl-bay2',
    state: 'UNREACHABLE',
    previous: 'PRINTING',
    error: { code: 'PRINTER_UNREACHABLE', message: 'connection refused' },
  });
  assert.match(rowText(state, 'xl-bay2'), /waiting until it is free: UNREACHABLE: connection refused/);
});

test('a first sync that asks the printer for sizes shows how far it is, not "connecting"', () => {
  const state = new LiveState(() => 0);
  state.apply({ type: 'printer-start', printer: 'mk4-bay3' });
  assert.match(rowText(state, 'mk4-bay3'), /connecting…/);
  state.apply({ type: 'printer-reading', printer: 'mk4-bay3', step: 'sizes', done: 0, total: 2000 });
  assert.equal(state.rows()[0]?.phase, 'reading');
  assert.match(rowText(state, 'mk4-bay3'), /reading sizes from the printer: 0 of 2000 files$/);
  state.apply({ type: 'printer-reading', printer: 'mk4-bay3', step: 'sizes', done: 1200, total: 2000 });
  assert.match(rowText(state, 'mk4-bay3'), /reading sizes from the printer: 1200 of 2000 files$/);
  state.apply({ type: 'printer-reading', printer: 'mk4-bay3', step: 'hashes', done: 5, total: 2000 });
  assert.match(rowText(state, 'mk4-bay3'), /reading local files: 5 of 2000 files$/);
  assert.equal(state.overall().active, 1, 'a printer reading is active');
  state.apply({
    type: 'plan',
    printer: 'mk4-bay3',
    storage: 'usb',
    root: '',
    actions: [],
    problems: [],
    holds: [],
    unchanged: 2000,
    uploadBytes: 0,
  });
  assert.match(rowText(state, 'mk4-bay3'), /nothing to do/);
});
