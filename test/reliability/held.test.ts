// Held is not in sync: with --ignore-state, a printer whose printed file needed replacing keeps the
// old copy and ends "held", with the exit code of a busy printer (0, or 1 with --fail-on-busy).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExitCode, exitCodeForSummary } from '../../src/report/exit-codes.js';
import { gcode } from '../helpers/fixtures.js';
import { FARM, masterHashes, runSync, startBench, assertMirrors } from './support.js';

test('--ignore-state with the printed file held: "held", not "in-sync"; exit 0, or 1 with --fail-on-busy', {
  timeout: 60_000,
}, async () => {
  const bench = await startBench(FARM);
  try {
    const mk4 = bench.printer('mk4-a');
    const old = gcode('old benchy', 900);
    mk4.seed('benchy.gcode', old, { mTimestamp: 1_600_000_000 });
    mk4.setState('PRINTING', { file: 'benchy.gcode' });
    const run = await runSync(bench, { ignoreState: true });
    const result = run.result('mk4-a');
    assert.equal(result.outcome, 'held');
    assert.match(result.reason ?? '', /benchy\.gcode is being printed and keeps its old copy/);
    assert.equal(result.held, 1);
    assert.equal(mk4.readFile('benchy.gcode')?.toString(), old, 'the printed file is untouched');
    assert.ok(mk4.readFile('parts/clip.gcode'), 'the rest was synced');
    assert.equal(run.exitCode, ExitCode.OK);
    assert.equal(exitCodeForSummary(run.summary, { failOnBusy: true }), ExitCode.ACTIONS_FAILED);
    for (const name of ['xl-b', 'mk3s-c']) {
      assert.equal(run.result(name).outcome, 'in-sync');
      assertMirrors(bench.printer(name), masterHashes(bench.master));
    }
  } finally {
    await bench.close();
  }
});
