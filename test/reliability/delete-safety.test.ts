// Delete safety against simulated printers: --max-delete, no deletions after any failure on a
// printer, none while a file cannot be stored, and --no-delete.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ExitCode } from '../../src/report/exit-codes.js';
import type { SimPrinter } from '../../src/simulator/index.js';
import { gcode, writeTree } from '../helpers/fixtures.js';
import { FARM, runSync, startBench, type Bench } from './support.js';

const T = { timeout: 30_000 };
const deletes = (p: SimPrinter) => p.requests().filter((r) => r.method === 'DELETE');

async function withBench(body: (bench: Bench) => Promise<void>): Promise<void> {
  const bench = await startBench(FARM.slice(0, 2));
  try {
    await body(bench);
  } finally {
    await bench.close();
  }
}

/** Seeds `count` files that are not in the master folder. */
function seedExtraneous(p: SimPrinter, count: number): string[] {
  const names = Array.from({ length: count }, (_, i) => `old/legacy-${i + 1}.gcode`);
  for (const name of names) p.seed(name, gcode(name, 300));
  return names;
}

describe('delete safety', { timeout: 120_000 }, () => {
  test('--max-delete refuses every deletion on a printer over the limit, in the dry run too', T, () =>
    withBench(async (bench) => {
      const mk4 = bench.printer('mk4-a');
      const xl = bench.printer('xl-b');
      const many = seedExtraneous(mk4, 3);
      seedExtraneous(xl, 2);

      const dry = await runSync(bench, { go: false, maxDelete: 2 });
      assert.equal(dry.exitCode, ExitCode.ACTIONS_FAILED, 'a refused printer is not in sync, even in a dry run');
      assert.match(
        dry.warnings('mk4-a').join('\n'),
        /refusing to delete 3 files, more than --max-delete 2: nothing is deleted on this printer \(check -s and -d; if these deletions are intended, run with --max-delete 3\)/,
      );
      assert.deepEqual(dry.warnings('xl-b'), []);

      const run = await runSync(bench, { maxDelete: 2 });
      assert.equal(run.exitCode, ExitCode.ACTIONS_FAILED);
      assert.equal(run.result('mk4-a').outcome, 'failed');
      assert.equal(run.result('mk4-a').done.upload, 3, 'uploads still happen');
      assert.equal(run.result('mk4-a').held, 3);
      assert.deepEqual(deletes(mk4), []);
      for (const name of many) assert.ok(mk4.readFile(name), `${name} kept`);
      assert.equal(run.result('xl-b').outcome, 'in-sync', 'a printer within the limit deletes');
      assert.equal(deletes(xl).length, 3, 'two files and their folder');

      const allowed = await runSync(bench, { maxDelete: 3 });
      assert.equal(allowed.exitCode, ExitCode.OK);
      for (const name of many) assert.equal(mk4.readFile(name), undefined);
    }),
  );

  test('after a failed deletion, no further deletion on that printer', T, () =>
    withBench(async (bench) => {
      const mk4 = bench.printer('mk4-a');
      const names = seedExtraneous(mk4, 3);
      mk4.inject({ kind: 'status', status: 409, times: 1, method: 'DELETE' });
      const run = await runSync(bench);
      const r = run.result('mk4-a');
      assert.equal(run.exitCode, ExitCode.ACTIONS_FAILED);
      assert.deepEqual([r.failed, r.done.delete, r.done.upload], [1, 0, 3]);
      assert.equal(deletes(mk4).length, 1, 'one attempt, then none');
      for (const name of names) assert.ok(mk4.readFile(name), `${name} kept`);
      assert.match(r.reason ?? '', /deletions withheld because an action failed on this printer/);
      assert.match(
        run.warnings('mk4-a').join('\n'),
        /not done \(deletions withheld.*\): delete old\/legacy-2\.gcode, delete old\/legacy-3\.gcode, rmdir old/,
      );
    }),
  );

  test('while a file cannot be stored on a printer, nothing is deleted there', T, () =>
    withBench(async (bench) => {
      // A renamed file: its new name is too long for Buddy, its old name is on the printers.
      const newName = `${'renamed-part-with-a-very-long-descriptive-name-'.repeat(3)}.gcode`;
      writeTree(bench.master, { [newName]: gcode('renamed', 400) });
      const mk4 = bench.printer('mk4-a');
      mk4.seed('short-old-name.gcode', gcode('renamed', 400));
      const run = await runSync(bench);
      assert.equal(run.exitCode, ExitCode.ACTIONS_FAILED);
      assert.match(run.warnings('mk4-a').join('\n'), /1 deletion withheld because 1 file cannot be stored on this printer/);
      assert.ok(mk4.readFile('short-old-name.gcode'), 'the old copy is kept');
      assert.deepEqual(deletes(mk4), []);
    }),
  );

  test('--no-delete only adds and replaces', T, () =>
    withBench(async (bench) => {
      const mk4 = bench.printer('mk4-a');
      const names = seedExtraneous(mk4, 2);
      const run = await runSync(bench, { delete: false });
      assert.equal(run.exitCode, ExitCode.OK);
      assert.equal(run.result('mk4-a').done.upload, 3);
      assert.deepEqual(deletes(mk4), []);
      for (const name of names) assert.ok(mk4.readFile(name));
    }),
  );
});
