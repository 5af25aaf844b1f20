// End to end: exact change detection with the sync record, against printers whose clocks are wrong.

import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  FAT_EPOCH_SEC,
  startFarm,
  startPrinter,
  type SimFarm,
  type SimPrinter,
  type SimPrinterOptions,
} from '../../src/simulator/index.js';
import { printerKey } from '../../src/record/keys.js';
import { recordPath } from '../../src/record/store.js';
import { repoRoot, runCli, type CliRun } from '../helpers/cli.js';
import { perPrinter } from '../helpers/dry-run.js';
import { gcode, tempDir, writeConfig, writeTree } from '../helpers/fixtures.js';
import { readRecordFile } from '../helpers/record-file.js';

const DAY = 86_400;
const MASTER = {
  'benchy.gcode': gcode('benchy', 3000),
  'parts/bracket.bgcode': gcode('bracket', 2500),
  'parts/Clip.gcode': gcode('clip', 1200),
};
const FILES = Object.keys(MASTER).length;

/** Both PrusaLink implementations with a clock a day behind, a day ahead, and never set. */
const CLOCKS: SimPrinterOptions[] = [
  { name: 'mk4s-behind', model: 'MK4S', clock: { skewSec: -DAY } },
  { name: 'xl-ahead', model: 'XL', clock: { skewSec: DAY } },
  { name: 'mini-unset', model: 'MINI', clock: { unset: true } },
  { name: 'mk3s-behind', model: 'MK3S', clock: { skewSec: -DAY } },
  { name: 'mk3s-ahead', model: 'MK3S', clock: { skewSec: DAY } },
  { name: 'mk25s-unset', model: 'MK2.5S', clock: { unset: true } },
];

/** Asserts a clean exit, showing the output when it is not. */
const ok = (run: CliRun): void => assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
const puts = (p: SimPrinter): number => p.requests().filter((r) => r.method === 'PUT').length;
const content = (p: SimPrinter, rel: string): string | undefined => p.readFile(rel)?.toString();
const planLine = (p: SimPrinter, upload: number, replace: number) =>
  new RegExp(`${p.name}: ${upload} missing to upload, ${replace} stale to refresh`);

describe('sync record against printers with wrong clocks', { timeout: 120_000 }, () => {
  let farm: SimFarm;
  let work: { dir: string; cleanup: () => void };
  let master: string;
  let config: string;
  let stateHome: string;
  const sync = (...args: string[]) => runCli(['-c', config, '-s', master, ...args], { cwd: work.dir, env: { XDG_STATE_HOME: stateHome } });
  const recordOf = (p: SimPrinter): string => recordPath(path.join(stateHome, 'link-sync'), printerKey(p.serial, p.url));

  beforeEach(async () => {
    farm = await startFarm(CLOCKS);
    work = tempDir();
    master = path.join(work.dir, 'master');
    stateHome = path.join(work.dir, 'state');
    writeTree(master, MASTER);
    config = writeConfig(work.dir, farm.printers);
  });
  afterEach(async () => {
    await farm.close();
    work.cleanup();
  });

  test('after a first sync, a second run uploads nothing on every printer, where the time rule alone would not', async () => {
    const first = await sync('--go');
    assert.equal(first.code, 0, first.stderr);
    for (const p of farm.printers) {
      assert.equal(puts(p), FILES, p.name);
      assert.ok(existsSync(recordOf(p)), `${p.name}: record written`);
      p.clearRequests();
    }
    const second = await sync('--go');
    assert.equal(second.code, 0, second.stderr);
    for (const p of farm.printers) {
      assert.match(perPrinter(second.stdout), planLine(p, 0, 0));
      assert.equal(puts(p), 0, `${p.name} got an upload`);
    }

    // The same tree judged without a record: the printers whose clocks are behind look stale.
    const withoutRecord = await runCli(['-c', config, '-s', master, '--state-dir', path.join(work.dir, 'empty')], { cwd: work.dir });
    for (const name of ['mk4s-behind', 'mk3s-behind']) {
      assert.match(
        perPrinter(withoutRecord.stdout),
        new RegExp(`${name}: replace benchy\\.gcode .*: no sync record; local copy newer by (1 d|23 h 59 min)`),
      );
    }
  });

  test('a local edit is replaced on every printer, and then left alone', async () => {
    ok(await sync('--go'));
    const edited = gcode('benchy v2', 3400);
    writeFileSync(path.join(master, 'benchy.gcode'), edited);
    for (const p of farm.printers) p.clearRequests();

    const dry = await sync();
    for (const p of farm.printers) {
      assert.match(
        perPrinter(dry.stdout),
        new RegExp(`${p.name}: replace benchy\\.gcode \\(.*\\): changed here since the last upload: 3\\.4 kB now, 3\\.0 kB then`),
      );
    }
    const run = await sync('--go');
    assert.equal(run.code, 0, run.stderr);
    for (const p of farm.printers) {
      assert.equal(content(p, 'benchy.gcode'), edited, p.name);
      assert.equal(puts(p), 1, `${p.name}: one upload`);
      p.clearRequests();
    }
    const again = await sync('--go');
    for (const p of farm.printers) {
      assert.match(perPrinter(again.stdout), planLine(p, 0, 0));
      assert.equal(puts(p), 0, p.name);
    }
  });

  test('an edit that keeps size and mtime is found with --checksum, and only then', async () => {
    const file = path.join(master, 'parts/Clip.gcode');
    // Whole seconds, so that setting the mtime back restores it exactly.
    const mtime = Math.floor(Date.now() / 1000) - 600;
    utimesSync(file, mtime, mtime);
    ok(await sync('--go'));
    const original = readFileSync(file, 'utf8');
    const edited = original.replace('G28', 'G29');
    assert.equal(edited.length, original.length);
    writeFileSync(file, edited);
    utimesSync(file, mtime, mtime);

    const plain = await sync();
    for (const p of farm.printers) assert.match(perPrinter(plain.stdout), planLine(p, 0, 0));

    const dry = await sync('--checksum');
    const run = await sync('--go', '--checksum');
    assert.equal(run.code, 0, run.stderr);
    for (const p of farm.printers) {
      assert.match(
        perPrinter(dry.stdout),
        new RegExp(`${p.name}: replace parts/Clip\\.gcode .*: changed here since the last upload: same size, different content`),
      );
      assert.match(perPrinter(run.stdout), new RegExp(`${p.name}: replaced parts/Clip\\.gcode`));
      assert.equal(content(p, 'parts/Clip.gcode'), edited, p.name);
    }
  });

  test('a file replaced on the printer behind our back is restored', async () => {
    ok(await sync('--go'));
    for (const p of farm.printers) {
      const current = p.files().find((f) => f.path === 'benchy.gcode')!;
      // A Buddy without a clock stamps everything with the same date; the others stamp the replacement later.
      const mTimestamp = p.name === 'mini-unset' ? FAT_EPOCH_SEC : current.mTimestamp + 120;
      p.seed('benchy.gcode', gcode('someone else', 2000), { mTimestamp });
      p.clearRequests();
    }
    const dry = await sync();
    for (const p of farm.printers) {
      assert.match(
        perPrinter(dry.stdout),
        new RegExp(`${p.name}: replace benchy\\.gcode .*: (changed|replaced) on the printer since the last upload`),
      );
    }
    const run = await sync('--go');
    assert.equal(run.code, 0, run.stderr);
    for (const p of farm.printers) {
      assert.equal(content(p, 'benchy.gcode'), MASTER['benchy.gcode'], `${p.name}: restored`);
      assert.equal(puts(p), 1, `${p.name}: only the replaced file is sent`);
    }
  });

  test('--force sends every file again', async () => {
    ok(await sync('--go'));
    for (const p of farm.printers) p.clearRequests();
    const run = await sync('--go', '--force');
    assert.equal(run.code, 0, run.stderr);
    for (const p of farm.printers) {
      assert.equal(puts(p), FILES, p.name);
      assert.match(perPrinter(run.stdout), new RegExp(`${p.name}: replaced benchy\\.gcode`));
    }
  });
});

describe('the sync record on disk', { timeout: 120_000 }, () => {
  let farm: SimFarm;
  let work: { dir: string; cleanup: () => void };
  let master: string;
  let config: string;
  let stateDir: string;
  const sync = (...args: string[]) => runCli(['-c', config, '-s', master, '--state-dir', stateDir, ...args], { cwd: work.dir });
  const recordOf = (p: SimPrinter): string => recordPath(stateDir, printerKey(p.serial, p.url));

  beforeEach(async () => {
    farm = await startFarm([
      { name: 'mk4s', model: 'MK4S', rateBytesPerSec: 100_000 },
      { name: 'mk3s', model: 'MK3S', rateBytesPerSec: 100_000 },
    ]);
    work = tempDir();
    master = path.join(work.dir, 'master');
    stateDir = path.join(work.dir, 'records');
    writeTree(master, MASTER);
    config = writeConfig(work.dir, farm.printers);
  });
  afterEach(async () => {
    await farm.close();
    work.cleanup();
  });

  test('a dry run never writes it; --go records size, hash, mtime and the printer timestamp', async () => {
    ok(await sync());
    assert.equal(existsSync(stateDir), false, 'a dry run created the state folder');
    ok(await sync('--go'));
    const [buddy] = farm.printers;
    const doc = readRecordFile(recordOf(buddy!));
    assert.equal(doc.printer, `serial:${buddy!.serial}`);
    const entry = doc.storages['usb']?.['parts/clip.gcode'];
    const remote = buddy!.files().find((f) => f.path === 'parts/Clip.gcode')!;
    assert.deepEqual(entry, {
      size: remote.size,
      sha256: remote.sha256,
      mtimeMs: statSync(path.join(master, 'parts/Clip.gcode')).mtimeMs,
      mTimestamp: remote.mTimestamp,
      placedUnder: '',
    });
    const before = readFileSync(recordOf(buddy!), 'utf8');
    writeFileSync(path.join(master, 'benchy.gcode'), 'G28\n');
    ok(await sync());
    assert.equal(readFileSync(recordOf(buddy!), 'utf8'), before, 'a dry run changed the record');
  });

  test('a deleted file leaves the record; a damaged record is reported, ignored and rewritten', async () => {
    ok(await sync('--go'));
    const pi = farm.printers[1]!;
    rmSync(path.join(master, 'parts/Clip.gcode'));
    ok(await sync('--go'));
    const keys = Object.keys(readRecordFile(recordOf(pi)).storages['local'] ?? {});
    assert.deepEqual(keys, ['benchy.gcode', 'parts/bracket.bgcode']);

    writeFileSync(recordOf(pi), '{"format":"link-sync-record","vers');
    const run = await sync('--go');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /warning: mk3s: sync record .* ignored: it is not valid JSON/);
    assert.doesNotMatch(run.stderr, /no sync record for mk3s/, 'the record was there: no doubt about the state folder');
    const rewritten = readRecordFile(recordOf(pi));
    assert.deepEqual(Object.keys(rewritten.storages['local'] ?? {}), ['benchy.gcode', 'parts/bracket.bgcode'], 'adopted again');
  });

  test('a second run at the same time is refused with a clear message; a dry run still works', async () => {
    // At the printers' 100 kB/s this upload takes 20 s: the first run holds the lock until it is stopped.
    writeTree(master, { 'big.gcode': gcode('big', 2_000_000) });
    const stop = new AbortController();
    const first = runCli(['-c', config, '-s', master, '--state-dir', stateDir, '--go'], { cwd: work.dir, signal: stop.signal });
    const lockFile = path.join(stateDir, 'link-sync.lock');
    const deadline = Date.now() + 20_000;
    while (!existsSync(lockFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(existsSync(lockFile), 'the first run took the lock');
    const second = await sync('--go');
    assert.equal(second.code, 2);
    assert.match(
      second.stderr,
      new RegExp(`another link-sync run is using the state folder ${stateDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(pid \\d+`),
    );
    assert.match(second.stderr, /if no link-sync is running, delete .*link-sync\.lock/);
    const dry = await sync();
    assert.equal(dry.code, 0, dry.stderr);
    assert.ok(existsSync(lockFile), 'the refused run and the dry run left the lock of the first alone');
    // Stopped as Ctrl-C stops it: the first run ends interrupted and releases its lock.
    stop.abort();
    const done = await first;
    assert.equal(done.code, 130, done.stderr);
    assert.equal(existsSync(lockFile), false, 'the lock is released');
  });

  test('--verbose says where the record lives; normal output does not', async () => {
    const quiet = await sync();
    assert.doesNotMatch(perPrinter(quiet.stdout), /Sync record/);
    const verbose = await sync('--verbose');
    assert.match(perPrinter(verbose.stdout), new RegExp(`Sync record: ${stateDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  test('an upload that fails is not recorded; the ones confirmed before it are', async () => {
    const [buddy] = farm.printers;
    buddy!.inject({ kind: 'status', status: 500, method: 'PUT', pathPrefix: '/api/v1/files/usb/parts' });
    // The 500s are retried (short waits here) and still fail.
    const run = await sync('--go', '-p', 'mk4s', '--retry-delay', '0.01');
    assert.equal(run.code, 1);
    const doc = readRecordFile(recordOf(buddy!));
    assert.deepEqual(Object.keys(doc.storages['usb'] ?? {}), ['benchy.gcode']);
    buddy!.clearFaults();
    buddy!.clearRequests();
    const retry = await sync('--go', '-p', 'mk4s');
    assert.equal(retry.code, 0, retry.stderr);
    assert.equal(puts(buddy!), 2, 'only the two failed files are sent');
  });
});

// The rule, not the scale: bench scenario 2 (no-change) times 64 printers × 10,000 files.
describe('an unchanged tree', { timeout: 120_000 }, () => {
  test('a second run reads no file content: only size and mtime are compared', async () => {
    const farm = await startFarm([
      { name: 'mk4s', model: 'MK4S' },
      { name: 'mk3s', model: 'MK3S' },
    ]);
    const work = tempDir();
    try {
      const master = path.join(work.dir, 'master');
      const stateDir = path.join(work.dir, 'records');
      const mtime = Math.floor(Date.now() / 1000) - 3600;
      const FILES = 90;
      const PER_FOLDER = 30;
      const rel = (i: number): string => `d${String(Math.floor(i / PER_FOLDER)).padStart(2, '0')}/f${String(i).padStart(5, '0')}.gcode`;
      const body = (i: number, mark: string): string => `; ${mark} ${i}\nG28\n`;
      for (let d = 0; d < FILES / PER_FOLDER; d++) mkdirSync(path.join(master, `d${String(d).padStart(2, '0')}`), { recursive: true });
      for (let i = 0; i < FILES; i++) {
        const file = path.join(master, rel(i));
        writeFileSync(file, body(i, 'A'));
        utimesSync(file, mtime, mtime);
        for (const p of farm.printers) p.seed(rel(i), body(i, 'A'));
      }
      const config = writeConfig(work.dir, farm.printers);
      const sync = (...args: string[]) =>
        runCli(['-c', config, '-s', master, '--state-dir', stateDir, ...args], { cwd: work.dir, timeoutMs: 60_000 });

      // First run: the printers already hold the files; the time rule keeps them and the record adopts them.
      const first = await sync('--go');
      assert.equal(first.code, 0, first.stderr);
      for (const p of farm.printers) {
        assert.match(
          perPrinter(first.stdout),
          new RegExp(`${p.name}: 0 missing to upload, 0 stale to refresh, 0 files to delete, ${FILES} unchanged`),
        );
        assert.equal(puts(p), 0);
      }

      // Every file now holds other bytes of the same size under the same mtime. A run that read any
      // content would see it differ from the record; only --checksum may read it.
      for (let i = 0; i < FILES; i++) {
        const file = path.join(master, rel(i));
        writeFileSync(file, body(i, 'B'));
        utimesSync(file, mtime, mtime);
      }
      const second = await sync('--go');
      assert.equal(second.code, 0, second.stderr);
      for (const p of farm.printers) {
        assert.match(
          perPrinter(second.stdout),
          new RegExp(`${p.name}: 0 missing to upload, 0 stale to refresh, 0 files to delete, ${FILES} unchanged`),
        );
        assert.equal(puts(p), 0, `${p.name}: nothing sent`);
      }
      const checked = await sync('--checksum');
      for (const p of farm.printers)
        assert.match(perPrinter(checked.stdout), new RegExp(`${p.name}: 0 missing to upload, ${FILES} stale to refresh`));
    } finally {
      await farm.close();
      work.cleanup();
    }
  });
});

// Records are kept by serial: another printer at a synced printer's address has none, and the run says why.
describe('another printer at a synced address', { timeout: 60_000 }, () => {
  test('its missing record is put down to the printer it replaced, not to the state folder', async () => {
    const work = tempDir();
    const password = 'swap-test-password';
    let before: SimPrinter | undefined = await startPrinter({ name: 'mk4', model: 'MK4', serial: 'SN-BEFORE', password });
    let after: SimPrinter | undefined;
    try {
      const master = path.join(work.dir, 'master');
      const stateDir = path.join(work.dir, 'records');
      writeTree(master, { 'benchy.gcode': gcode('benchy') });
      const config = writeConfig(work.dir, [before]);
      const sync = (...args: string[]) => runCli(['-c', config, '-s', master, '--state-dir', stateDir, ...args], { cwd: work.dir });
      ok(await sync('--go'));
      const port = before.port;
      await before.close();
      before = undefined;
      after = await startPrinter({ name: 'mk4', model: 'MK4', serial: 'SN-AFTER', password, port });
      after.seed('benchy.gcode', gcode('benchy'));
      const run = await sync();
      ok(run);
      assert.deepEqual(
        run.stderr.split('\n').filter((l) => l.includes('record')),
        [
          `warning: mk4: the printer at ${after.url} reports serial SN-AFTER, but the sync record in ${stateDir} for that address is of serial SN-BEFORE: a different printer answers there now, so it has no record and its files are judged by time`,
        ],
      );
    } finally {
      await before?.close();
      await after?.close();
      work.cleanup();
    }
  });
});

// What the README says of a deleted state folder, checked against what a run does.
describe('a deleted state folder', { timeout: 60_000 }, () => {
  test('a stale copy of the same size is kept as adopted, unverified, until --checksum; the README says so', async () => {
    const farm = await startFarm([{ name: 'mk3s', model: 'MK3S' }]);
    const work = tempDir();
    try {
      const [printer] = farm.printers;
      const master = path.join(work.dir, 'master');
      const hourAgo = Math.floor(Date.now() / 1000) - 3600;
      writeTree(master, { 'part.gcode': gcode('new', 2000) }, hourAgo);
      // The printer's copy is older content of the same size, stamped after the local edit.
      printer!.seed('part.gcode', gcode('old', 2000), { mTimestamp: hourAgo + 60 });
      const config = writeConfig(work.dir, farm.printers);
      const sync = (...args: string[]) =>
        runCli(['-c', config, '-s', master, '--state-dir', path.join(work.dir, 'deleted'), '--verbose', ...args], { cwd: work.dir });
      const first = await sync('--go');
      ok(first);
      assert.match(first.stdout, /part\.gcode: no sync record; .*same size, recorded as adopted \(content unverified\)/);
      assert.equal(content(printer!, 'part.gcode'), gcode('old', 2000), 'the stale copy is kept');
      ok(await sync('--go', '--checksum'));
      assert.equal(content(printer!, 'part.gcode'), gcode('new', 2000), '--checksum replaces it');

      const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8').replace(/\s+/g, ' ');
      const said = /Deleting the folder [^.]*\.[^.]*\.[^.]*\./.exec(readme)?.[0] ?? '';
      assert.doesNotMatch(said, /\bis safe\b/, said);
      assert.match(said, /same size/, said);
      assert.match(said, /adopted, unverified/, said);
      assert.match(said, /--checksum/, said);
    } finally {
      await farm.close();
      work.cleanup();
    }
  });
});
