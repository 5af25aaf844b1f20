// End to end: runs in a row, where what one run leaves on the printers decides what the next one does.

import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startFarm, type SimFarm } from '../../src/simulator/index.js';
import { runCli } from '../helpers/cli.js';
import { gcode, remoteTree, tempDir, writeConfig, writeTree } from '../helpers/fixtures.js';

describe('runs in a row', { timeout: 120_000 }, () => {
  let farm: SimFarm;
  let work: { dir: string; cleanup: () => void };
  let master: string;
  let config: string;
  const sync = (...args: string[]) =>
    runCli(['-c', config, '-s', master, ...args], { cwd: work.dir, env: { XDG_STATE_HOME: path.join(work.dir, 'state') } });

  beforeEach(async () => {
    farm = await startFarm([
      { name: 'mk4', model: 'MK4' },
      { name: 'mk3s', model: 'MK3S' },
    ]);
    work = tempDir();
    master = path.join(work.dir, 'master');
    config = writeConfig(work.dir, farm.printers);
  });
  afterEach(async () => {
    await farm.close();
    work.cleanup();
  });

  test('a file replaced by a folder of the same name, and back: the printer ends with the new one, not stuck', async () => {
    writeTree(master, { 'keep.gcode': gcode('keep'), 'x.gcode': gcode('x file') });
    assert.equal((await sync('--go')).code, 0);

    // The file becomes a folder: the printer's file x.gcode is in the way of x.gcode/y.gcode.
    rmSync(path.join(master, 'x.gcode'));
    writeTree(master, { 'x.gcode/y.gcode': gcode('y') });
    const blocked = await sync('--go');
    assert.match(blocked.stdout + blocked.stderr, /the printer has a file "x\.gcode" where this file's folder goes/);
    const moved = await sync('--go');
    assert.equal(moved.code, 0, `${moved.stdout}\n${moved.stderr}`);
    for (const p of farm.printers) assert.deepEqual(remoteTree(p), ['keep.gcode', 'x.gcode/y.gcode'], p.name);

    // And back: the printer's folder x.gcode is in the way of the file x.gcode.
    rmSync(path.join(master, 'x.gcode'), { recursive: true });
    writeFileSync(path.join(master, 'x.gcode'), gcode('x file again'));
    const folderInWay = await sync('--go');
    assert.match(folderInWay.stdout + folderInWay.stderr, /the printer has a folder "x\.gcode" where this file goes/);
    const back = await sync('--go');
    assert.equal(back.code, 0, `${back.stdout}\n${back.stderr}`);
    for (const p of farm.printers) {
      assert.deepEqual(remoteTree(p), ['keep.gcode', 'x.gcode'], p.name);
      assert.equal(p.readFile('x.gcode')?.toString(), gcode('x file again'), p.name);
    }
    const settled = await sync();
    assert.equal(settled.code, 0, `${settled.stdout}\n${settled.stderr}`);
    assert.doesNotMatch(settled.stdout, /cannot sync/);
  });

  test('a file the printer holds in the way of a folder is kept while it is printed', async () => {
    writeTree(master, { 'x.gcode': gcode('x file'), 'old.gcode': gcode('old') });
    assert.equal((await sync('--go')).code, 0);
    const mk4 = farm.printers[0]!;
    mk4.setState('PRINTING', { file: 'x.gcode' });
    rmSync(path.join(master, 'x.gcode'));
    rmSync(path.join(master, 'old.gcode'));
    mkdirSync(path.join(master, 'x.gcode'));
    writeTree(master, { 'x.gcode/old.gcode': gcode('old') });
    const run = await sync('--go', '--ignore-state', '-p', 'mk4');
    assert.equal(run.code, 1);
    // old.gcode moved into the folder it cannot reach yet: its copy on the printer stays.
    assert.deepEqual(remoteTree(mk4), ['old.gcode', 'x.gcode']);
  });
});
