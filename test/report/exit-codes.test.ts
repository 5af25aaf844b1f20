// Every error maps to the exit code docs/errors.md promises, and the documented table matches.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  ConfigError,
  InternalError,
  LinkSyncError,
  PrinterError,
  SourceError,
  StateError,
  UsageError,
  type PrinterErrorKind,
} from '../../src/errors.js';
import { ExitCode, combineExitCodes, exitCodeFor, exitCodeForSummary } from '../../src/report/exit-codes.js';
import { blankResult, type PrinterResult, type RunSummary } from '../../src/report/events.js';

const result = (outcome: PrinterResult['outcome'], extra: Partial<PrinterResult> = {}): PrinterResult => ({
  ...blankResult('p', outcome),
  durationMs: 1,
  ...extra,
});
const summary = (printers: PrinterResult[], interrupted = false): RunSummary => ({ dryRun: false, printers, durationMs: 1, interrupted });

const KINDS: PrinterErrorKind[] = [
  'unreachable',
  'auth',
  'file-in-use',
  'transfer-busy',
  'storage',
  'not-found',
  'rejected',
  'http',
  'protocol',
  'unknown-outcome',
  'aborted',
  'not-prusalink',
  'local-limit',
];

describe('exit codes', { timeout: 5000 }, () => {
  const table: Array<[name: string, error: unknown, code: number]> = [
    ['a usage error', new UsageError('x'), 2],
    ['a config error', new ConfigError('x'), 2],
    ['a source error', new SourceError('x'), 2],
    ['a sync record folder locked by another run', new StateError('STATE_LOCKED', 'x'), 2],
    ['a sync record folder that cannot be written', new StateError('STATE_UNWRITABLE', 'x'), 2],
    ['an internal error', new InternalError('x'), 70],
    ['an unreachable printer', new PrinterError('p', 'unreachable', 'x'), 3],
    ['refused credentials', new PrinterError('p', 'auth', 'x'), 3],
    ['a file in use', new PrinterError('p', 'file-in-use', 'x'), 1],
    ['a full USB stick', new PrinterError('p', 'storage', 'x'), 1],
    ['a protocol error', new PrinterError('p', 'protocol', 'x'), 1],
    ['an address that is not a PrusaLink printer', new PrinterError('p', 'not-prusalink', 'x'), 3],
    ['no free file descriptor on this computer', new PrinterError('p', 'local-limit', 'x'), 1],
    ['an interrupted printer', new PrinterError('p', 'aborted', 'x'), 130],
    ['an AbortError from a signal', Object.assign(new Error('aborted'), { name: 'AbortError' }), 130],
    ['an unexpected exception', new TypeError('x is undefined'), 70],
    ['a thrown string', 'boom', 70],
    ['an unknown LinkSyncError code', new LinkSyncError('SOMETHING', 'x'), 1],
  ];
  for (const [name, error, code] of table) {
    it(`exits ${code} for ${name}`, () => assert.equal(exitCodeFor(error), code));
  }

  it('names the promised values', () => {
    assert.deepEqual(ExitCode, { OK: 0, ACTIONS_FAILED: 1, USAGE: 2, PRINTERS_UNREACHABLE: 3, INTERNAL: 70, INTERRUPTED: 130 });
  });

  const combined: Array<[codes: Array<(typeof ExitCode)[keyof typeof ExitCode]>, expected: number]> = [
    [[], 0],
    [[0, 0], 0],
    [[0, 1], 1],
    [[1, 3, 0], 3],
    [[3, 2], 2],
    [[2, 70], 70],
    [[70, 130, 1], 130],
  ];
  for (const [codes, expected] of combined) {
    it(`combines [${codes.join(', ')}] into ${expected}`, () => assert.equal(combineExitCodes(codes), expected));
  }

  const runs: Array<[name: string, run: RunSummary, code: number]> = [
    ['a run where every printer is in sync', summary([result('in-sync'), result('in-sync')]), 0],
    ['a clean dry run', summary([result('planned'), result('planned')]), 0],
    ['a dry run that found files a printer cannot store', summary([result('planned', { problems: 2 })]), 1],
    ['a run where an upload failed', summary([result('in-sync'), result('failed', { failed: 1 })]), 1],
    ['a run with a busy printer left alone', summary([result('in-sync'), result('skipped')]), 0],
    ['a run with an unreachable printer', summary([result('failed', { failed: 1 }), result('unreachable')]), 3],
    ['a printer whose credentials were refused', summary([result('credentials-refused')]), 3],
    ['a printer that went offline during the sync', summary([result('in-sync'), result('went-offline', { failed: 1 })]), 3],
    ['an address that is not a PrusaLink printer', summary([result('not-prusalink')]), 3],
    [
      'a dry run whose deletions --max-delete refused',
      summary([result('planned', { held: 6, error: { code: 'MAX_DELETE', message: 'x' } })]),
      1,
    ],
    ['a printer that refused the credentials', summary([result('failed', { error: { code: 'PRINTER_AUTH', message: 'x' } })]), 3],
    ['an interrupted run', summary([result('in-sync'), result('interrupted')], true), 130],
    ['a run interrupted before any printer ended', summary([], true), 130],
    ['a run with no printers', summary([]), 0],
  ];
  for (const [name, run, code] of runs) {
    it(`exits ${code} for ${name}`, () => assert.equal(exitCodeForSummary(run), code));
  }

  it('documents every exit code and every error code in docs/errors.md', async () => {
    const doc = await readFile(fileURLToPath(new URL('../../../docs/errors.md', import.meta.url)), 'utf8');
    for (const [name, code] of Object.entries(ExitCode)) assert.match(doc, new RegExp(`\\| ${code} \\| \`${name}\``), name);
    const codes = ['USAGE', 'CONFIG', 'SOURCE', 'INTERNAL', ...KINDS.map((k) => new PrinterError('p', k, 'x').code)];
    for (const code of codes) assert.match(doc, new RegExp(`^### \`${code}\``, 'm'), code);
  });
});
