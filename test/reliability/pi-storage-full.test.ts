// PrusaLink on a Pi takes a PUT without looking at its free space and answers 500 once the disk is
// full, after the whole body went out. Its storage list tells the free space, so a file that cannot
// fit is not sent at all; a disk that fills during the run costs one re-send at most (the PrusaLink
// notes: a 500 is retried once), and both are reported as a full storage with the fix.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SimPrinterOptions } from '../../src/simulator/index.js';
import { gcode } from '../helpers/fixtures.js';
import { runSync, startBench, type Bench } from './support.js';

const MASTER = { 'a.gcode': gcode('a', 3_000), 'b.gcode': gcode('b', 3_000), 'c.gcode': gcode('c', 3_000) };
const SIZE = Buffer.byteLength(MASTER['a.gcode']);
const T = { timeout: 20_000 };
const PI: SimPrinterOptions = { name: 'mk3s', model: 'MK3S', password: 'mk3s-secret-Pa55word' };

const puts = (bench: Bench) =>
  bench
    .printer('mk3s')
    .requests()
    .filter((r) => r.method === 'PUT');

async function withBench(totalSpace: number | undefined, body: (bench: Bench) => Promise<void>): Promise<void> {
  const bench = await startBench([{ ...PI, ...(totalSpace !== undefined ? { totalSpace } : {}) }], MASTER);
  try {
    await body(bench);
  } finally {
    await bench.close();
  }
}

describe('a Pi whose storage is full', { timeout: 30_000 }, () => {
  test('sends nothing when its free space is less than the file, and says the storage is full', T, () =>
    withBench(undefined, async (bench) => {
      bench.printer('mk3s').inject({ kind: 'storage-full' });
      const run = await runSync(bench);
      const result = run.result('mk3s');
      assert.equal(result.outcome, 'failed');
      assert.equal(result.failed, 1);
      assert.equal(result.notRun, 2, 'the others not tried');
      assert.equal(result.error?.code, 'PRINTER_STORAGE');
      assert.match(result.error?.message ?? '', /not sent: storage "local" is full \(0 B free, the file needs 3\.0 kB\)/);
      assert.match(result.error?.hint ?? '', /free space/);
      assert.equal(puts(bench).length, 0, 'no body sent onto a full disk');
    }),
  );

  test('counts the space each upload takes: what no longer fits is not sent', T, () =>
    withBench(2 * SIZE + 1_000, async (bench) => {
      const run = await runSync(bench);
      const result = run.result('mk3s');
      assert.equal(result.done.upload, 2);
      assert.equal(result.error?.code, 'PRINTER_STORAGE');
      assert.match(result.error?.message ?? '', /is full \(1\.0 kB free/);
      assert.deepEqual(
        puts(bench).map((r) => r.status),
        [201, 201],
      );
    }),
  );

  test('a dry run says which upload will not fit, before anything is sent; --go then leaves it out', T, () =>
    withBench(2 * SIZE + 1_000, async (bench) => {
      const dry = await runSync(bench, { go: false });
      const said =
        /storage "local" has 7\.0 kB free, too little for c\.gcode \(3\.0 kB\) after the uploads before it: free space on the printer, or it is not sent/;
      assert.match(dry.warnings('mk3s').join('\n'), said);
      assert.equal(puts(bench).length, 0);
      const run = await runSync(bench);
      assert.match(run.warnings('mk3s').join('\n'), said);
      assert.deepEqual(
        puts(bench).map((r) => r.target),
        ['/api/v1/files/local/a.gcode', '/api/v1/files/local/b.gcode'],
      );
    }),
  );

  test('the dry run counts the uploads after the first that will not fit: a full storage stops them', T, () =>
    withBench(SIZE + 1_000, async (bench) => {
      const dry = await runSync(bench, { go: false });
      assert.match(
        dry.warnings('mk3s').join('\n'),
        /too little for b\.gcode \(3\.0 kB\) after the uploads before it: free space on the printer, or it and 1 upload after it \(3\.0 kB\) are not sent/,
      );
    }),
  );

  test('a disk that fills during the run: the upload is sent twice at most and reported as storage full', T, () =>
    withBench(undefined, async (bench) => {
      const pi = bench.printer('mk3s');
      const run = await runSync(bench, {
        onEvent: (e) => {
          // Full only once the run has read the free space.
          if (e.type === 'action-start') pi.inject({ kind: 'storage-full' });
        },
      });
      const result = run.result('mk3s');
      assert.equal(result.failed, 1);
      assert.equal(result.notRun, 2);
      assert.equal(result.error?.code, 'PRINTER_STORAGE');
      assert.match(result.error?.message ?? '', /500 .*after 2 attempts: storage "local" is full \(0 B free/);
      assert.deepEqual(
        puts(bench).map((r) => r.status),
        [500, 500],
      );
      assert.match(run.warnings('mk3s').join('\n'), /retry 1 of 1/);
    }),
  );

  test('a 500 with room to spare is retried once and stays an unexpected answer', T, () =>
    withBench(undefined, async (bench) => {
      bench.printer('mk3s').inject({ kind: 'status', status: 500, method: 'PUT' });
      const run = await runSync(bench);
      const result = run.result('mk3s');
      assert.equal(result.error?.code, 'PRINTER_HTTP');
      assert.equal(result.failed, 3);
      assert.equal(puts(bench).length, 6, 'each file sent twice');
    }),
  );
});
