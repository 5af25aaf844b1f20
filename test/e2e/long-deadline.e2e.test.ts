// End to end: a plan whose deadline is longer than a timer can wait (about 2,000 uploads at the
// default settings, or 25 with --timeout at its maximum) is carried out. Such a deadline used to make
// the timer fire at once, and every printer stopped as past its deadline before its first upload.

import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startFarm, type SimFarm } from '../../src/simulator/index.js';
import { runCli } from '../helpers/cli.js';
import { gcode, remoteTree, tempDir, writeConfig, writeTree } from '../helpers/fixtures.js';

const FILES = 30;

describe('a plan with a deadline beyond 24.8 days', { timeout: 60_000 }, () => {
  let farm: SimFarm | undefined;
  let work: { dir: string; cleanup: () => void } | undefined;
  afterEach(async () => {
    await farm?.close();
    work?.cleanup();
  });

  test('is carried out, not stopped at once', { timeout: 45_000 }, async () => {
    farm = await startFarm([
      { name: 'mk4-1', model: 'MK4' },
      { name: 'mk3s-2', model: 'MK3S' },
    ]);
    work = tempDir();
    const master = path.join(work.dir, 'master');
    const tree: Record<string, string> = {};
    for (let i = 0; i < FILES; i++) tree[`parts/part-${String(i).padStart(2, '0')}.gcode`] = gcode(`part ${i}`, 200);
    writeTree(master, tree);
    const config = writeConfig(work.dir, farm.printers);
    // --timeout 3600: each upload's share of the deadline is about 24 h, so 30 need more than a timer holds.
    const run = await runCli(['-c', config, '-s', master, '--go', '--timeout', '3600'], { cwd: work.dir });
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stderr, /deadline/);
    for (const printer of farm.printers) assert.deepEqual(remoteTree(printer), Object.keys(tree).sort(), printer.name);
  });
});
