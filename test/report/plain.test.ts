// The plain reporter: one line per event that matters, problems on the error channel, --quiet, the summary table.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { about, linesFor, plainReporter, summaryLines } from '../../src/report/plain.js';
import { fanOut } from '../../src/report/fan-out.js';
import type { SyncEvent } from '../../src/report/events.js';
import { dryRun, goRun, result, summary } from './events.js';
import { closingCountsLine } from '../../src/report/summary.js';
import { OUTCOME_COLUMN } from '../../src/report/words.js';

function render(events: SyncEvent[], quiet = false): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const sink = plainReporter({ out: (l) => out.push(l), err: (l) => err.push(l), quiet });
  for (const e of events) sink(e);
  return { out, err };
}

test('every line is one line, without escape codes', () => {
  const { out, err } = render(goRun());
  assert.ok(out.length > 0 && err.length > 0);
  for (const line of [...out, ...err]) {
    assert.doesNotMatch(line, /\n/);
    assert.doesNotMatch(line, /\u001b/);
  }
});

test('progress and printer-start print nothing; a request line names printer, method, target and status', () => {
  assert.deepEqual(linesFor({ type: 'printer-start', printer: 'p' }), []);
  assert.deepEqual(linesFor({ type: 'action-progress', printer: 'p', path: 'a', bytes: 1, total: 2 }), []);
  const [line] = linesFor({ type: 'request', printer: 'p', method: 'GET', target: '/api/v1/status', status: 200, durationMs: 12 });
  assert.ok(line);
  for (const part of ['p', 'GET', '/api/v1/status', '200']) assert.ok(line.text.includes(part), line.text);
});

test('a plan line per printer with its counts, then one line per planned action naming its path', () => {
  const events = goRun();
  const plan = events.find((e): e is Extract<SyncEvent, { type: 'plan' }> => e.type === 'plan' && e.printer === 'mk4-bay1')!;
  const lines = linesFor(plan);
  assert.ok(lines[0]!.text.startsWith('mk4-bay1: '));
  assert.match(lines[0]!.text, /\b1\b.*\b1\b.*\b3\b/, 'upload, delete and unchanged counts appear in order');
  const planned = lines.filter((l) => l.planned);
  assert.deepEqual(
    planned.map((l) => /parts\/benchy\.gcode|old\.gcode/.exec(l.text)?.[0]),
    ['parts/benchy.gcode', 'old.gcode'],
  );
});

test('failures, problems and warnings go to the error channel, each naming its printer', () => {
  const { err } = render(goRun());
  assert.ok(
    err.some((l) => l.startsWith('xl-bay2: ') && l.includes('parts/benchy.gcode')),
    err.join('\n'),
  );
  assert.ok(
    err.some((l) => l.includes('a-very-long-name.gcode')),
    'the plan problem is shown',
  );
  assert.ok(
    err.some((l) => l.includes('delete old.gcode')),
    'the warning is shown',
  );
  const { out } = render(goRun());
  assert.ok(!out.some((l) => l.includes('failed: 500')), 'a failure is not on the normal channel');
});

test('a printer prefix is not repeated when the message already carries it', () => {
  assert.equal(about('xl-bay2', 'printer xl-bay2: upload failed'), 'upload failed');
  assert.equal(about('xl-bay2', 'xl-bay2: upload failed'), 'upload failed');
  assert.equal(about('xl-bay2', 'upload failed'), 'upload failed');
});

test('--quiet keeps the problems and the closing summary only', () => {
  const loud = render(goRun());
  const quiet = render(goRun(), true);
  assert.deepEqual(quiet.err, loud.err);
  assert.ok(quiet.out.length > 0 && quiet.out.length < loud.out.length);
  assert.deepEqual(quiet.out, loud.out.slice(-quiet.out.length), 'what is kept is the end: the summary');
  assert.ok(
    quiet.out.some((l) => l.startsWith('mk4-bay1')),
    'the summary rows are kept',
  );
});

test('the summary is a table: a title, a header and one aligned row per printer', () => {
  const done = goRun().find((e): e is Extract<SyncEvent, { type: 'run-done' }> => e.type === 'run-done')!;
  const lines = summaryLines(done.summary);
  assert.equal(lines.length, 2 + done.summary.printers.length);
  const [, header, ...rows] = lines;
  const columns = header!.split(/\s{2,}/);
  assert.equal(columns[0], 'printer');
  for (const [i, row] of rows.entries()) {
    const cells = row.split(/\s{2,}/);
    assert.equal(cells[0], done.summary.printers[i]!.printer);
    assert.equal(cells[1], OUTCOME_COLUMN[done.summary.printers[i]!.outcome], 'the result in words');
  }
  // Columns line up: the result column starts at the same place in the header and in every row.
  const start = header!.indexOf('result');
  for (const [i, row] of rows.entries()) assert.ok(row.slice(start).startsWith(OUTCOME_COLUMN[done.summary.printers[i]!.outcome]), row);
});

test('a dry-run summary counts planned actions, a real one the actions done', () => {
  const dry = summaryLines(summary(true, [result('p', { outcome: 'planned', planned: { upload: 4, replace: 0, delete: 0, rmdir: 0 } })]));
  const real = summaryLines(summary(false, [result('p', { done: { upload: 2, replace: 0, delete: 0, rmdir: 0 } })]));
  assert.equal(dry[2]!.split(/\s{2,}/)[2], '4');
  assert.equal(real[2]!.split(/\s{2,}/)[2], '2');
  assert.notEqual(dry[0], real[0], 'the title says which');
});

test('the dry run renders without failures and lists every planned action', () => {
  const { out, err } = render(dryRun());
  assert.ok(out.some((l) => l.includes('parts/benchy.gcode')));
  assert.ok(!err.some((l) => / failed/i.test(l)));
});

test('fanOut hands every event to every sink, in order', () => {
  const a: string[] = [];
  const b: string[] = [];
  const sink = fanOut(
    (e) => a.push(e.type),
    (e) => b.push(e.type),
  );
  for (const e of goRun()) sink(e);
  assert.deepEqual(
    a,
    goRun().map((e) => e.type),
  );
  assert.deepEqual(b, a);
});

test('reading before the plan: one line at its start, naming the printer and the count; none after', () => {
  const start = linesFor({ type: 'printer-reading', printer: 'mk4-1', step: 'sizes', done: 0, total: 2000 });
  assert.deepEqual(
    start.map((l) => l.text),
    ['mk4-1: asking the printer for the size of 2000 files (its listing gives none; one request each)'],
  );
  const hashes = linesFor({ type: 'printer-reading', printer: 'xl-2', step: 'hashes', done: 0, total: 1 });
  assert.deepEqual(
    hashes.map((l) => l.text),
    ['xl-2: reading the content of 1 local file for the sync record'],
  );
  assert.deepEqual(linesFor({ type: 'printer-reading', printer: 'mk4-1', step: 'sizes', done: 1200, total: 2000 }), []);
  assert.deepEqual(linesFor({ type: 'printer-reading', printer: 'mk4-1', step: 'sizes', done: 2000, total: 2000 }), []);
});

test('a printer behind the master is not called in sync: in the table, the narrow lines and the closing counts', () => {
  const run = summary(false, [
    result('a', { behindMaster: true }),
    result('b', { outcome: 'failed', failed: 1, behindMaster: true }),
    result('c', { behindMaster: false }),
  ]);
  const rows = summaryLines(run).slice(2);
  assert.deepEqual(
    rows.map((row) => row.split(/\s{2,}/).slice(0, 2)),
    [
      ['a', 'behind the master'],
      ['b', 'failed (behind the master)'],
      ['c', 'in sync'],
    ],
  );
  assert.ok(
    summaryLines(run, 30).some((line) => line.startsWith('a: behind the master;')),
    summaryLines(run, 30).join('\n'),
  );
  assert.match(closingCountsLine(run, 0), /printers: 1 behind the master, 1 failed \(behind the master\), 1 in sync;/);
});
