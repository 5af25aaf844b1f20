// The bundled command line (scripts/bundle.mjs, what `npm install` puts on the PATH) does what the
// unbundled one does: built here from the current source into a temporary folder, then run for real.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, runCli } from '../helpers/cli.js';
import { gcode, remoteTree, tempDir, writeConfig, writeTree } from '../helpers/fixtures.js';
import { startFarm, type SimFarm } from '../../src/simulator/index.js';

describe('the bundled CLI', { timeout: 120_000 }, () => {
  let work: { dir: string; cleanup: () => void };
  let bin: string;
  let farm: SimFarm;
  before(async () => {
    work = tempDir('link-sync-bundle-');
    const script = pathToFileURL(path.join(repoRoot, 'scripts/bundle.mjs')).href;
    const { bundleCli } = (await import(script)) as { bundleCli: (outdir: string) => Promise<string> };
    bin = await bundleCli(path.join(work.dir, 'cli'));
    farm = await startFarm([{ name: 'mk4-1', model: 'MK4' }]);
  });
  after(async () => {
    await farm?.close();
    work?.cleanup();
  });

  test('prints the package version, written in at build time', async () => {
    const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const run = await runCli(['--version'], { bin });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), version);
  });

  test('syncs a master folder onto a printer with a YAML config, then finds nothing to do', async () => {
    const master = path.join(work.dir, 'master');
    writeTree(master, { 'benchy.gcode': gcode('benchy', 3000), 'parts/clip.gcode': gcode('clip', 1200) });
    const config = writeConfig(work.dir, farm.printers);
    const state = { XDG_STATE_HOME: path.join(work.dir, 'state') };
    const first = await runCli(['-c', config, '-s', master, '--go'], { bin, env: state });
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(remoteTree(farm.printers[0]!), ['benchy.gcode', 'parts/clip.gcode']);
    const again = await runCli(['-c', config, '-s', master, '--go'], { bin, env: state });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /in sync/i);
  });

  test('reports a bad config as the unbundled CLI does', async () => {
    const config = path.join(work.dir, 'bad.yml');
    writeTree(work.dir, { 'bad.yml': 'mk4-1:\n  printer_type: MK4\n  host: 127.0.0.1\n  pasword: x\n' });
    const run = await runCli(['-c', config, '-s', work.dir], { bin });
    const unbundled = await runCli(['-c', config, '-s', work.dir]);
    assert.equal(run.code, unbundled.code);
    assert.notEqual(run.code, 0);
    assert.equal(run.stderr, unbundled.stderr);
  });
});
