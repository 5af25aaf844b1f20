// What the operator reads, pure: sizes, durations and rates rounded as a whole, plurals, outcome
// words with their reasons, one count per file in the summary columns, and the log's closing line.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatDuration, formatSpeed, plural } from '../../src/report/format.js';
import { closingText, lineMaker, printerLines } from '../../src/report/plain.js';
import { closingCountsLine, summaryLines } from '../../src/report/summary.js';
import { blankResult, emptyCounts, type PrinterResult, type RunSummary, type SyncEvent } from '../../src/report/events.js';
import { socketError, statusDetail } from '../../src/printer/http-errors.js';

const result = (outcome: PrinterResult['outcome'], extra: Partial<PrinterResult> = {}): PrinterResult => ({
  ...blankResult('mk4-1', outcome),
  durationMs: 1200,
  ...extra,
});

describe('numbers in words', () => {
  const durations: Array<[number, string]> = [
    [0, '0 ms'],
    [999.6, '1.0 s'],
    [9_249, '9.2 s'],
    [59_949, '59.9 s'],
    [59_999, '1 min 0 s'],
    [119_999, '2 min 0 s'],
    [179_600, '3 min 0 s'],
    [3_599_600, '1 h 0 min'],
    [7_380_000, '2 h 3 min'],
  ];
  for (const [ms, text] of durations) it(`${ms} ms reads "${text}"`, () => assert.equal(formatDuration(ms), text));

  const sizes: Array<[number, string]> = [
    [0, '0 B'],
    [51.724137931034484, '52 B'],
    [999.6, '1.0 kB'],
    [1_500, '1.5 kB'],
    [99_960, '100 kB'],
    [999_999, '1.0 MB'],
    [23_400_000, '23.4 MB'],
  ];
  for (const [bytes, text] of sizes) it(`${bytes} bytes read "${text}"`, () => assert.equal(formatBytes(bytes), text));

  it('rates are rounded', () => {
    assert.equal(formatSpeed(1500, 29), '51.7 kB/s');
    assert.equal(formatSpeed(3, 58), '52 B/s');
  });

  it('plurals', () => {
    assert.deepEqual([plural(1, 'folder'), plural(0, 'folder'), plural(2, 'folder')], ['1 folder', '0 folders', '2 folders']);
  });

  it('an answer over the size cap is a protocol error and EMFILE is this computer\'s, neither "unreachable"', () => {
    const big = socketError(
      'mk4-1',
      'reading the file list',
      'http://10.0.0.5',
      Object.assign(new Error('too large'), { code: 'ERESPONSETOOLARGE' }),
    );
    assert.equal(big.kind, 'protocol');
    assert.match(big.message, /larger than link-sync accepts/);
    const emfile = socketError('mk4-1', 'reading the status', 'http://10.0.0.5', Object.assign(new Error('EMFILE'), { code: 'EMFILE' }));
    assert.equal(emfile.kind, 'local-limit');
    assert.doesNotMatch(emfile.message + emfile.hint, /reach|printer is on/);
    assert.equal(
      socketError('mk4-1', 'x', 'http://10.0.0.5', Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })).kind,
      'unreachable',
    );
  });

  it('a status the printer repeats in its text is written once', () => {
    assert.equal(statusDetail(401, '401: Unauthorized'), '401 Unauthorized');
    assert.equal(statusDetail(409, 'File already exists'), '409 File already exists');
    assert.equal(statusDetail(404, ''), '404');
  });
});

describe('closing lines carry their reason', () => {
  const cases: Array<[string, PrinterResult, RegExp]> = [
    [
      'credentials refused',
      result('credentials-refused', {
        reason: 'printer mk4-1: credentials refused when reading the storage list (401 Unauthorized)',
        error: {
          code: 'PRINTER_AUTH',
          message: 'printer mk4-1: credentials refused when reading the storage list (401 Unauthorized)',
          hint: 'check the password',
        },
      }),
      /^CREDENTIALS REFUSED when reading the storage list \(401 Unauthorized\) \(check the password\)$/,
    ],
    [
      'went offline',
      result('went-offline', {
        reason: 'printer mk4-1: cannot reach http://x for upload of a.gcode (ECONNREFUSED)',
        done: { ...emptyCounts(), upload: 2 },
        bytesSent: 2000,
        failed: 1,
        notRun: 3,
      }),
      /^WENT OFFLINE DURING THE SYNC: cannot reach http:\/\/x for upload of a\.gcode \(ECONNREFUSED\); 2 uploaded, 2\.0 kB sent, 1 failed, 3 not run$/,
    ],
    [
      'not PrusaLink',
      result('not-prusalink', {
        reason: 'printer mk4-1: not a PrusaLink printer (the address answers 404 to /api/v1/storage and /api/version)',
      }),
      /^NOT A PRUSALINK PRINTER \(the address answers 404/,
    ],
    ['failed without a reason', result('failed', { failed: 2 }), /^FAILED: nothing changed, 2 failed$/],
    ['interrupted', result('interrupted', { reason: 'interrupted', notRun: 4 }), /^INTERRUPTED: nothing changed, 4 not run$/],
  ];
  for (const [name, r, line] of cases) {
    it(name, () => {
      const text = closingText(r);
      assert.match(text, line);
      assert.doesNotMatch(text, /: $|interrupted: interrupted/i);
    });
  }

  it('an in-sync printer says what it did, with plurals', () => {
    const [line] = printerLines(result('in-sync', { done: { upload: 1, replace: 0, delete: 0, rmdir: 1 }, bytesSent: 1500 }));
    assert.equal(line!.text, 'mk4-1: in sync: 1 uploaded, 1 folder removed, 1.5 kB sent in 1.2 s');
  });
});

describe('the summary counts each file once', () => {
  const dry: RunSummary = {
    dryRun: true,
    durationMs: 3000,
    interrupted: false,
    printers: [
      result('planned', {
        planned: { upload: 3, replace: 0, delete: 0, rmdir: 0 },
        plannedBytes: 23_400_000,
        problems: 1,
        held: 6,
        otherModel: 30,
      }),
      result('credentials-refused', { printer: 'xl-2' }),
    ],
  };

  it('planned bytes, problems, held and other-model files each have their column', () => {
    const [title, header, first, second] = summaryLines(dry);
    assert.match(title!, /^Summary \(dry run of 2 printers: counts are planned actions/);
    assert.deepEqual(header!.split(/\s{2,}/), [
      'printer',
      'result',
      'upload',
      'replace',
      'delete',
      'unchanged',
      'problems',
      'held',
      'other model',
      'to send',
      'time',
    ]);
    assert.deepEqual(first!.split(/\s{2,}/), ['mk4-1', 'planned', '3', '0', '0', '0', '1', '6', '30', '23.4 MB', '1.2 s']);
    assert.match(second!, /^xl-2 +credentials refused +0 /);
  });

  it('columns nobody needs are left out', () => {
    const [, header] = summaryLines({ ...dry, printers: [result('planned')] });
    assert.doesNotMatch(header!, /problems|held|other model/);
  });

  it('the closing log line holds the exit code and the counts', () => {
    assert.equal(
      closingCountsLine(dry, 3),
      'run ended: exit 3; printers: 1 planned, 1 credentials refused; files: planned 3 uploads, 0 replacements, 0 deletions, 1 problems, 6 held',
    );
  });
});

describe('plan lines', () => {
  const plan = (printer: string, extra: Partial<Extract<SyncEvent, { type: 'plan' }>> = {}): SyncEvent => ({
    type: 'plan',
    printer,
    storage: 'usb',
    root: '',
    actions: [],
    problems: [],
    holds: [],
    unchanged: 0,
    uploadBytes: 0,
    ...extra,
  });

  it('a file with two problems is one line; holds use words, not codes', () => {
    const lines = lineMaker({ verbose: false });
    const out = lines(
      plan('mk4-1', {
        problems: [
          { path: 'x.gcode', code: 'NAME_TOO_LONG', message: 'the name is too long' },
          { path: 'x.gcode', code: 'PATH_TOO_LONG', message: 'the path is too long' },
        ],
        holds: [{ path: 'job.gcode', reason: 'being-printed', wouldHave: 'replace' }],
      }),
    ).map((l) => l.text);
    assert.deepEqual(out, [
      'mk4-1: 0 missing to upload, 0 stale to refresh, 0 files to delete, 0 unchanged (/usb/)',
      'mk4-1: cannot sync x.gcode: the name is too long; the path is too long',
      'mk4-1: leaving job.gcode alone (being printed; it would replace it)',
    ]);
  });
});
