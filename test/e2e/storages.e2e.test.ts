// End to end: which storage a sync writes to. -d names a storage (/usb/..., /local/...) or a folder
// relative to each printer's writable storage; a storage a printer lacks is that printer's error;
// the Pi's read-only SD card is never written. Farms mix v1 and legacy-only printers.

import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startFarm, type SimFarm, type SimPrinter, type SimPrinterOptions } from '../../src/simulator/index.js';
import { runCli } from '../helpers/cli.js';
import { gcode, remoteTree, tempDir, writeConfig, writeTree } from '../helpers/fixtures.js';

const MASTER = {
  'benchy.gcode': gcode('benchy', 3000),
  'parts/bracket.gcode': gcode('bracket', 2500),
  'parts/clips/cable clip.gcode': gcode('clip', 1200),
};
const MASTER_PATHS = Object.keys(MASTER).sort();
const MUTATING = new Set(['PUT', 'POST', 'DELETE']);
const T = { timeout: 90_000 };

describe('storages and -d', { timeout: 120_000 }, () => {
  let farm: SimFarm | undefined;
  let work: { dir: string; cleanup: () => void } | undefined;

  afterEach(async () => {
    await farm?.close();
    work?.cleanup();
    farm = undefined;
    work = undefined;
  });

  async function setUp(
    printers: SimPrinterOptions[],
  ): Promise<{ sync: (...args: string[]) => ReturnType<typeof runCli>; printer: (name: string) => SimPrinter }> {
    farm = await startFarm(printers);
    work = tempDir();
    const master = path.join(work.dir, 'master');
    writeTree(master, MASTER);
    const config = writeConfig(work.dir, farm.printers);
    const cwd = work.dir;
    const all = farm.printers;
    return {
      sync: (...args: string[]) => runCli(['-c', config, '-s', master, ...args], { cwd }),
      printer: (name: string) => all.find((p) => p.name === name)!,
    };
  }

  test('-d /local/farm fills the local storage of a Pi and leaves its SD card alone', T, async () => {
    const { sync, printer } = await setUp([{ name: 'mk3s-1', model: 'MK3S' }]);
    const pi = printer('mk3s-1');
    pi.seed('on the card.gcode', 'G28\n', { storage: 'sdcard' });
    const run = await sync('-d', '/local/farm', '--go');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      remoteTree(pi),
      MASTER_PATHS.map((f) => `farm/${f}`),
    );
    assert.deepEqual(
      pi
        .files()
        .filter((f) => f.storage === 'sdcard')
        .map((f) => f.path),
      ['on the card.gcode'],
    );
    assert.ok(
      pi.requests().every((r) => !MUTATING.has(r.method) || !/sdcard/.test(r.target)),
      'nothing sent to the SD card',
    );
  });

  test('-d /local/farm on a mixed farm: Buddy printers fail with a clear error, Pis are synced', T, async () => {
    const { sync, printer } = await setUp([
      { name: 'mk4s-1', model: 'MK4S' },
      { name: 'mini-old', model: 'MINI', firmware: 'legacy' },
      { name: 'mk3s-3', model: 'MK3S' },
      { name: 'mk3s-old', model: 'MK3S', firmware: 'legacy' },
    ]);
    const run = await sync('-d', '/local/farm', '--go');
    assert.notEqual(run.code, 0);
    const out = run.stdout + run.stderr;
    assert.match(out, /mk4s-1: .*has no storage "local" \(it has: usb\)/);
    assert.match(out, /mini-old: .*has no storage "local" \(it has: usb\)/);
    for (const name of ['mk4s-1', 'mini-old']) {
      assert.deepEqual(remoteTree(printer(name)), [], `${name} untouched`);
      assert.deepEqual(
        printer(name)
          .requests()
          .filter((r) => MUTATING.has(r.method)),
        [],
        `${name} got no change`,
      );
    }
    for (const name of ['mk3s-3', 'mk3s-old'])
      assert.deepEqual(
        remoteTree(printer(name)),
        MASTER_PATHS.map((f) => `farm/${f}`),
        name,
      );
  });

  test('-d /usb/farm on a mixed farm: Pis fail with a clear error naming their storages', T, async () => {
    const { sync, printer } = await setUp([
      { name: 'xl-1', model: 'XL' },
      { name: 'mk3s-2', model: 'MK3S' },
      { name: 'mk3s-old', model: 'MK3S', firmware: 'legacy' },
    ]);
    const run = await sync('-d', '/usb/farm', '--go');
    assert.notEqual(run.code, 0);
    const out = run.stdout + run.stderr;
    assert.match(out, /mk3s-2: .*has no storage "usb" \(it has: local, sdcard\)/);
    assert.match(out, /mk3s-old: .*has no storage "usb" \(it has: local\)/);
    assert.match(out, /give the destination without one \(-d farm\) to use each printer's own storage/);
    assert.deepEqual(
      remoteTree(printer('xl-1')),
      MASTER_PATHS.map((f) => `farm/${f}`),
    );
    assert.deepEqual(remoteTree(printer('mk3s-2')), []);
    assert.deepEqual(remoteTree(printer('mk3s-old')), []);
  });

  test("-d farm is relative to each printer's writable storage, on v1 and legacy printers alike", T, async () => {
    const { sync, printer } = await setUp([
      { name: 'mk4-1', model: 'MK4' },
      { name: 'mk3s-2', model: 'MK3S' },
      { name: 'mk3s-old', model: 'MK3S', firmware: 'legacy' },
    ]);
    const run = await sync('-d', 'farm', '--go');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    for (const p of ['mk4-1', 'mk3s-2', 'mk3s-old'].map(printer)) {
      assert.deepEqual(
        remoteTree(p),
        MASTER_PATHS.map((f) => `farm/${f}`),
        p.name,
      );
      for (const [rel, content] of Object.entries(MASTER))
        assert.equal(p.readFile(`farm/${rel}`)?.toString(), content, `${p.name}: ${rel}`);
      p.clearRequests();
    }
    const again = await sync('-d', 'farm', '--go');
    assert.equal(again.code, 0, again.stdout + again.stderr);
    for (const p of ['mk4-1', 'mk3s-2', 'mk3s-old'].map(printer)) {
      assert.deepEqual(
        p.requests().filter((r) => MUTATING.has(r.method)),
        [],
        `${p.name}: nothing to do the second time`,
      );
    }
  });

  test('a Buddy 4.4 gets the root files and a clear per-file error for each file in a folder, in the dry run already', T, async () => {
    const { sync, printer } = await setUp([{ name: 'mini-old', model: 'MINI', firmware: 'legacy' }]);
    const dry = await sync();
    assert.equal(dry.code, 1);
    assert.match(dry.stderr, /mini-old: cannot sync parts\/bracket\.gcode: .*only in the root of the USB drive/);
    const run = await sync('--go');
    const posts = printer('mini-old')
      .requests()
      .filter((r) => r.method === 'POST');
    assert.equal(posts.length, 1, 'only the root file is sent; nested files are not even tried');
    assert.notEqual(run.code, 0);
    assert.deepEqual(remoteTree(printer('mini-old')), ['benchy.gcode']);
    const out = run.stdout + run.stderr;
    assert.match(out, /parts\/bracket\.gcode.*only in the root of the USB drive/);
    assert.match(out, /parts\/clips\/cable clip\.gcode.*only in the root of the USB drive/);
  });

  test('-d /sdcard is refused before any printer is touched', T, async () => {
    const { sync, printer } = await setUp([{ name: 'mk3s-1', model: 'MK3S' }]);
    const run = await sync('-d', '/sdcard/farm', '--go');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /sdcard storage is read-only/);
    assert.deepEqual(printer('mk3s-1').requests(), []);
  });
});
