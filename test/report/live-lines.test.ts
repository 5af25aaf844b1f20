// The live view's lines at fixed widths (60, 80, 130 columns): every line fits, a long path is
// shortened in the middle, and the bar, bytes, rate and ETA stay on the line as long as they fit.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderLiveLines, shortenMiddle, type OverallRow, type PrinterRow } from '../../src/report/live-lines.js';
import { LiveState } from '../../src/report/live-state.js';
import { TerminalFrame, visibleWidth } from '../../src/report/terminal-frame.js';
import { blankResult, emptyCounts, type PrinterResult } from '../../src/report/events.js';

/** Columns on a terminal, counted here on their own: CJK characters and kana take two. */
const columnsOf = (line: string) => [...line].reduce((n, c) => n + (/[\u3040-\u30ff\u4e00-\u9fff]/.test(c) ? 2 : 1), 0);

const syncing: PrinterRow = {
  name: 'printer-1',
  phase: 'syncing',
  actions: 12,
  actionIndex: 3,
  planBytes: 40_000_000,
  verb: 'upload',
  file: 'customers/2025/acme-brackets/very-long-descriptive-part-name-v12-final.bgcode',
  fileBytes: 1_200_000,
  fileTotal: 3_400_000,
  rate: 50_000,
  etaSeconds: 65,
  doneActions: 2,
  doneBytes: 6_800_000,
};
const failed: PrinterRow = {
  ...syncing,
  name: 'printer-2',
  phase: 'went-offline',
  note: 'went offline during the sync: cannot reach http://127.0.0.1:8002 (ECONNREFUSED)',
};
const overall: OverallRow = { printers: 2, active: 1, sentBytes: 8_000_000, planBytes: 40_000_000, elapsedMs: 61_000, etaSeconds: 65 };

describe('live view lines', () => {
  for (const columns of [60, 80, 130]) {
    it(`fit ${columns} columns`, () => {
      const width = columns - 1;
      const lines = renderLiveLines([syncing, failed], overall, width, false);
      for (const line of lines) assert.ok(visibleWidth(line) <= width, `${visibleWidth(line)} > ${width}: ${line}`);
      const row = lines[0]!;
      assert.match(row, /^printer-1 {2}3\/12 /);
      assert.match(row, /1\.2\/3\.4 MB/, 'bytes stay on the line');
      assert.match(row, /ETA 1:05$/, 'the ETA ends the line');
      assert.match(row, /…/, 'the path is shortened');
      assert.match(row, /inal\.bgcode /, 'the end of the file name is kept');
      if (columns >= 80) {
        assert.match(row, /\[####--------\]/, 'the bar fits at 80');
        assert.match(row, /50\.0 kB\/s/, 'the rate fits at 80');
      }
      assert.match(lines[1]!, /^printer-2 {2}went offline during the sync: /, 'a finished line carries its reason');
      assert.match(
        lines[2]!,
        /^overall {4}2 printers · 1 active · 8\.0\/40\.0 MB · (1 min 1 s · )?ETA 1:05$/,
        'the ETA stays; the elapsed time gives way',
      );
      if (columns >= 80) assert.match(lines[2]!, /1 min 1 s/);
    });
  }

  it('fit 60 columns with Japanese printer and file names, which take two columns a character', () => {
    const wide: PrinterRow = { ...syncing, name: 'プリンタ工房の一号機', file: '日本語/お客様/ブラケット左側の取り付け金具.gcode' };
    const lines = renderLiveLines([wide, { ...failed, name: '二号機' }], overall, 59, false);
    for (const line of lines) assert.ok(columnsOf(line) <= 59, `${columnsOf(line)} columns: ${line}`);
    assert.match(lines[0]!, /1\.2\/3\.4 MB/, 'bytes stay on the line');
    assert.match(lines[0]!, /金具\.gcode /, 'the end of the file name is kept');
    assert.equal(visibleWidth(lines[0]!), columnsOf(lines[0]!), 'the frame erases the rows the line takes');
  });

  it('at 130 columns the whole path shows', () => {
    const row = renderLiveLines([{ ...syncing, file: 'parts/bracket.bgcode' }], overall, 129, false)[0]!;
    assert.equal(row, 'printer-1  3/12 upload parts/bracket.bgcode [####--------] 1.2/3.4 MB 50.0 kB/s ETA 1:05');
  });

  it('a short path keeps the verb at 80 columns', () => {
    const row = renderLiveLines([{ ...syncing, file: 'cube.gcode' }], overall, 79, false)[0]!;
    assert.equal(row, 'printer-1  3/12 upload cube.gcode [####--------] 1.2/3.4 MB 50.0 kB/s ETA 1:05');
  });

  it('an upload the printer has not reported yet says it is sending', () => {
    const row = renderLiveLines([{ ...syncing, fileBytes: 0, rate: 0, sendingMs: 12_000, file: 'benchy.gcode' }], overall, 79, false)[0]!;
    assert.match(row, /^printer-1 {2}3\/12 upload benchy\.gcode sending… 0:12 ETA 1:05$/);
  });

  it('counts one printer in the singular on the overall line', () => {
    const lines = renderLiveLines([syncing], { ...overall, printers: 1 }, 79, false);
    assert.match(lines[1]!, /^overall {4}1 printer · 1 active · /);
  });

  it('shortens in the middle', () => {
    assert.equal(shortenMiddle('abcdefghij', 7), 'ab…ghij');
    assert.equal(shortenMiddle('short', 7), 'short');
  });

  it('colours take no columns', () => {
    const lines = renderLiveLines([syncing, failed], overall, 79, true);
    for (const line of lines) assert.ok(visibleWidth(line) <= 79);
  });
});

describe('live state', () => {
  it('a failed printer shows its reason, never a bare "failed:"', () => {
    let now = 0;
    const state = new LiveState(() => now);
    state.apply({ type: 'run-start', dryRun: false, printers: ['printer-1'], source: '/m', files: 1, bytes: 10 });
    now = 1000;
    state.apply({
      type: 'printer-done',
      result: { ...blankResult('printer-1', 'failed'), failed: 1, durationMs: 1000 },
    });
    const line = renderLiveLines(state.rows(), state.overall(), 79, false)[0]!;
    assert.equal(line, 'printer-1  failed: nothing changed, 1 failed');
  });
});

describe('terminal frame', () => {
  it('after a narrowing resize, erases the rows the old block now takes', () => {
    const written: string[] = [];
    const stream = { columns: 80, write: (s: string) => written.push(s) };
    const frame = new TerminalFrame(stream);
    frame.draw(['x'.repeat(79), 'y'.repeat(79)]);
    stream.columns = 40;
    frame.draw(['x'.repeat(39), 'y'.repeat(39)], ['a result line']);
    // Each 79-column line now wraps to two rows of 40: four rows up, then erase to the end.
    assert.ok(written[1]!.includes('\r\u001b[4A\u001b[J'), JSON.stringify(written[1]));
    assert.ok(written[1]!.indexOf('a result line') < written[1]!.indexOf('x'.repeat(39)), 'scrolled lines go above the block');
  });
});

describe('summary table on a narrow terminal', () => {
  const result = (over: Partial<PrinterResult>): PrinterResult => ({
    printer: 'mk4s-1',
    outcome: 'interrupted',
    planned: emptyCounts(),
    done: { ...emptyCounts(), upload: 3 },
    failed: 1,
    notRun: 4,
    problems: 0,
    held: 0,
    otherModel: 0,
    unchanged: 0,
    plannedBytes: 0,
    bytesSent: 4_200_000,
    durationMs: 85_000,
    ...over,
  });
  const fits = (lines: string[], width: number) => {
    for (const line of lines) assert.ok(line.length <= width, `${line.length} > ${width}: ${line}`);
  };

  it('lines up its columns under a Japanese printer name', async () => {
    const { summaryLines } = await import('../../src/report/summary.js');
    const run = {
      dryRun: false,
      printers: [result({ printer: 'プリンタ一号機' }), result({ printer: 'mk4-2' })],
      durationMs: 1000,
      interrupted: false,
    };
    const [, header, ...rows] = summaryLines(run);
    const resultAt = (line: string) => columnsOf(/^\S+ +/.exec(line)![0]);
    for (const row of rows) assert.equal(resultAt(row), resultAt(header!), row);
  });

  it('drops the unchanged column, then the time, to fit', async () => {
    const { summaryLines } = await import('../../src/report/summary.js');
    const run = { dryRun: false, printers: [result({})], durationMs: 85_000, interrupted: true };
    const wide = summaryLines(run);
    assert.ok(wide[1]!.includes('unchanged') && wide[1]!.includes('time'));
    const at80 = summaryLines(run, 79);
    fits(at80, 79);
    assert.doesNotMatch(at80[1]!, /unchanged/);
    assert.doesNotMatch(summaryLines(run, 59)[1]!, /unchanged|time/);
  });

  // Every optional column shown and the longest result words: the worst case for the width.
  const busyFarm = {
    dryRun: false,
    durationMs: 5_430_000,
    interrupted: false,
    printers: [
      result({ printer: 'prusa-xl-workshop-2', outcome: 'went-offline', problems: 2, held: 1, otherModel: 30, unchanged: 1200 }),
      result({ printer: 'mk4s-1', outcome: 'credentials-refused', done: emptyCounts(), failed: 0, notRun: 0, bytesSent: 0 }),
      result({
        printer: 'mini-3',
        outcome: 'in-sync',
        done: { ...emptyCounts(), upload: 12, replace: 4, delete: 7 },
        failed: 0,
        notRun: 0,
      }),
    ],
  };

  it('fits every line at 130, 80 and 60 columns with every optional column shown', async () => {
    const { summaryLines } = await import('../../src/report/summary.js');
    const at130 = summaryLines(busyFarm, 130);
    fits(at130, 130);
    assert.match(at130[1]!, /^printer +result +uploaded +replaced +deleted +problems +held +other model +failed +not run +sent$/);
    assert.match(at130[2]!, /^prusa-xl-workshop-2 +went offline +3 +0 +0 +2 +1 +30 +1 +4 +4\.2 MB$/);
    for (const width of [80, 60]) {
      const lines = summaryLines(busyFarm, width);
      fits(lines, width);
      // Too wide for a table even with short headers: each printer gets its own lines with its
      // non-zero counts, so nothing is lost.
      const text = lines.join('\n').replace(/\n +/g, ' ');
      assert.match(text, /prusa-xl-workshop-2: went offline;/);
      assert.match(text, /3 uploaded, 2 problems,\s+1 held, 30 other model, 1 failed, 4 not run, 4\.2 MB sent/);
      assert.match(text, /mk4s-1: credentials refused; 0 B sent/);
      assert.match(text, /mini-3: in sync; 12 uploaded, 4 replaced, 7 deleted,\s+4\.2 MB sent/);
    }
  });

  it('keeps a table for an ordinary farm, with short headers at 60 columns', async () => {
    const { summaryLines } = await import('../../src/report/summary.js');
    const farm = {
      dryRun: false,
      durationMs: 85_000,
      interrupted: false,
      printers: ['mk4s-1', 'mk4s-2', 'xl-1'].map((printer) =>
        result({ printer, outcome: 'in-sync', done: { ...emptyCounts(), upload: 3, replace: 1 }, failed: 0, notRun: 0, unchanged: 140 }),
      ),
    };
    const at130 = summaryLines(farm, 130);
    assert.match(at130[1]!, /^printer +result +uploaded +replaced +deleted +unchanged +sent +time$/);
    const at80 = summaryLines(farm, 80);
    fits(at80, 80);
    assert.match(at80[1]!, /^printer +result +uploaded +replaced +deleted +unchanged +sent +time$/);
    const at60 = summaryLines({ ...farm, printers: farm.printers.map((r) => ({ ...r, otherModel: 30, problems: 1 })) }, 60);
    fits(at60, 60);
    assert.match(at60[1]!, /^printer result +up repl del prob other sent$/);
    assert.match(at60[2]!, /^mk4s-1 +in sync +3 +1 +0 +1 +30 +4\.2 MB$/);
  });

  it('shortens the dry-run title where the long one does not fit', async () => {
    const { summaryLines } = await import('../../src/report/summary.js');
    const run = {
      dryRun: true,
      durationMs: 1000,
      interrupted: false,
      printers: [result({ outcome: 'planned', planned: { ...emptyCounts(), upload: 2 }, plannedBytes: 155 })],
    };
    assert.match(summaryLines(run)[0]!, /counts are planned actions, nothing was changed/);
    const at60 = summaryLines(run, 60);
    fits(at60, 60);
    assert.equal(at60[0], 'Summary (dry run, 1 printer, nothing changed):');
  });
});
