// End to end: the built CLI against a simulated farm of three models (Buddy MK4S, Buddy XL, Pi MK3S).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { perPrinter } from '../helpers/dry-run.js';
import { gcode, remoteTree, writeTree } from '../helpers/fixtures.js';
import { useWorkspace } from '../helpers/workspace.js';

const MASTER = {
  'benchy.gcode': gcode('benchy', 3000),
  'parts/bracket.bgcode': gcode('bracket', 2500),
  'parts/clips/cable clip ×8.gcode': gcode('clip', 1200),
  'calibration/temp tower.gcode': gcode('tower', 4000),
  'calibration/Ω+plus & more.gcode': gcode('unicode', 900),
};
const MASTER_PATHS = Object.keys(MASTER).sort();
const MUTATING = new Set(['PUT', 'POST', 'DELETE']);

describe('link-sync against a simulated farm', { timeout: 120_000 }, () => {
  // A fresh farm and master folder for every test: each starts from empty printers. One state
  // folder per test, as a user's would be: runs within a test share their sync record.
  const ws = useWorkspace({
    printers: [
      { name: 'mk4s-1', model: 'MK4S' },
      { name: 'xl-2', model: 'XL' },
      { name: 'mk3s-3', model: 'MK3S' },
    ],
    master: MASTER,
    env: (dir) => ({ XDG_STATE_HOME: path.join(dir, 'state') }),
  });
  const { printer, sync } = ws;

  test('a dry run plans every upload and sends no mutating request', async () => {
    const run = await sync();
    assert.equal(run.code, 0, run.stderr);
    assert.match(perPrinter(run.stdout), /Dry run/);
    for (const p of ws.farm.printers) {
      assert.match(perPrinter(run.stdout), new RegExp(`${p.name}: 5 missing to upload, 0 stale to refresh, 0 files to delete`));
      assert.deepEqual(
        p.requests().filter((r) => MUTATING.has(r.method)),
        [],
        `${p.name} got a mutating request`,
      );
      assert.deepEqual(remoteTree(p), []);
    }
    assert.match(perPrinter(run.stdout), /mk4s-1: upload calibration\/Ω\+plus & more\.gcode/);
  });

  test('first sync fills empty printers with nested, unicode and spaced names, byte for byte', async () => {
    const run = await ws.syncProcess('--go');
    assert.equal(run.code, 0, run.stderr);
    for (const p of ws.farm.printers) {
      assert.deepEqual(remoteTree(p), MASTER_PATHS, p.name);
      for (const [rel, content] of Object.entries(MASTER)) {
        assert.equal(p.readFile(rel)?.toString(), content, `${p.name}: ${rel}`);
      }
      assert.match(perPrinter(run.stdout), new RegExp(`${p.name}: uploaded parts/clips/cable clip ×8\\.gcode .* in .*\\(.*/s\\)`));
      assert.match(perPrinter(run.stdout), new RegExp(`${p.name}: in sync: 5 uploaded`));
    }
    assert.match(perPrinter(run.stdout), /Summary/);
  });

  /** A --go run that plans nothing on every printer (`unchanged` files each) and sends no change. */
  async function syncChangesNothing(unchanged: number): Promise<void> {
    for (const p of ws.farm.printers) p.clearRequests();
    const run = await sync('--go');
    assert.equal(run.code, 0, run.stderr);
    for (const p of ws.farm.printers) {
      assert.match(
        perPrinter(run.stdout),
        new RegExp(`${p.name}: 0 missing to upload, 0 stale to refresh, 0 files to delete, ${unchanged} unchanged`),
      );
      assert.deepEqual(
        p.requests().filter((r) => MUTATING.has(r.method)),
        [],
        p.name,
      );
    }
  }

  test('a second run over an unchanged tree uploads nothing', async () => {
    assert.equal((await sync('--go')).code, 0);
    await syncChangesNothing(5);
  });

  test('linked print files with nanosecond mtimes upload on the first --go; the next plans nothing', {
    skip: process.platform === 'win32' ? 'symlinks need privileges on Windows' : false,
  }, async () => {
    const library = path.join(ws.dir, 'library');
    const linked: string[] = [];
    for (let i = 0; i < 12; i++) {
      const name = `linked ${String(i).padStart(2, '0')}.gcode`;
      const target = path.join(library, name);
      writeTree(library, { [name]: gcode(name, 300) });
      // Nine digits of nanoseconds, as ext4 and APFS keep them; several of these are times whose plain
      // and bigint stats part ways when the milliseconds are built from the nanoseconds by one division.
      const nsec = String((i * 123_456_791 + 987_654_321) % 1_000_000_000).padStart(9, '0');
      execFileSync('touch', ['-d', `@${1_700_000_000 + i * 7_919}.${nsec}`, target]);
      symlinkSync(target, path.join(ws.master, name));
      linked.push(name);
    }
    const differ = linked.filter((n) => {
      const f = path.join(library, n);
      return Number(statSync(f, { bigint: true }).mtimeNs) / 1e6 !== statSync(f).mtimeMs;
    });
    assert.ok(differ.length > 0, 'no time here tells the two computations apart');

    const first = await sync('--go');
    assert.equal(first.code, 0, first.stderr);
    assert.doesNotMatch(first.stderr, /changed in the source folder/);
    for (const p of ws.farm.printers) {
      assert.deepEqual(remoteTree(p), [...MASTER_PATHS, ...linked].sort(), p.name);
    }

    await syncChangesNothing(17);
  });

  test('a locally modified file is replaced in place', async () => {
    assert.equal((await sync('--go')).code, 0);
    const changed = gcode('benchy v2', 3500);
    writeFileSync(path.join(ws.master, 'benchy.gcode'), changed);
    const later = Date.now() / 1000 + 3600;
    utimesSync(path.join(ws.master, 'benchy.gcode'), later, later);
    for (const p of ws.farm.printers) p.clearRequests();
    const run = await sync('--go');
    assert.equal(run.code, 0, run.stderr);
    for (const p of ws.farm.printers) {
      assert.equal(p.readFile('benchy.gcode')?.toString(), changed, p.name);
      assert.match(perPrinter(run.stdout), new RegExp(`${p.name}: replaced benchy\\.gcode`));
      const puts = p.requests().filter((r) => r.method === 'PUT');
      assert.equal(puts.length, 1, `${p.name}: one PUT`);
      assert.equal(puts[0]!.headers['overwrite'], '?1');
      assert.equal(p.requests().filter((r) => r.method === 'DELETE').length, 0, `${p.name}: replaced without a delete`);
    }
  });

  test('a locally deleted file is deleted on the printers and its emptied folder removed', async () => {
    assert.equal((await sync('--go')).code, 0);
    rmSync(path.join(ws.master, 'parts/clips'), { recursive: true });
    const run = await sync('--go');
    assert.equal(run.code, 0, run.stderr);
    for (const p of ws.farm.printers) {
      assert.deepEqual(
        remoteTree(p),
        MASTER_PATHS.filter((f) => !f.startsWith('parts/clips/')),
        p.name,
      );
      assert.ok(!p.folders().some((f) => f.toLowerCase() === 'parts/clips'), `${p.name} kept parts/clips: ${p.folders()}`);
      assert.ok(
        p.folders().some((f) => f.toLowerCase() === 'parts'),
        `${p.name} lost parts`,
      );
      assert.match(perPrinter(run.stdout), new RegExp(`${p.name}: deleted parts/clips/cable clip ×8\\.gcode`));
    }
  });

  test('a printing printer is skipped; with --ignore-state it is synced except the printed file', async () => {
    assert.equal((await sync('--go')).code, 0);
    const xl = printer('xl-2');
    xl.setState('PRINTING', { file: 'benchy.gcode' });
    rmSync(path.join(ws.master, 'benchy.gcode'));
    writeTree(ws.master, { 'new part.gcode': gcode('new', 800) });

    const skipped = await sync('--go');
    assert.equal(skipped.code, 0, skipped.stderr);
    assert.match(perPrinter(skipped.stdout), /xl-2: skipped: .*PRINTING/);
    assert.ok(remoteTree(xl).includes('benchy.gcode'));
    assert.ok(!remoteTree(xl).includes('new part.gcode'));
    assert.ok(!remoteTree(printer('mk4s-1')).includes('benchy.gcode'), 'idle printers are synced');

    const forced = await sync('--go', '--ignore-state');
    assert.match(perPrinter(forced.stdout), /xl-2: leaving benchy\.gcode alone \(being printed; it would delete it\)/);
    assert.ok(remoteTree(xl).includes('benchy.gcode'), 'the printed file is never deleted');
    assert.ok(remoteTree(xl).includes('new part.gcode'), 'the rest is synced');
  });

  test('-p and -x select printers case-insensitively; unknown names are an error', async () => {
    const only = await sync('--go', '-p', 'MK4S-1', '-p', 'xl-2');
    assert.equal(only.code, 0, only.stderr);
    assert.deepEqual(remoteTree(printer('mk3s-3')), []);
    assert.deepEqual(remoteTree(printer('xl-2')), MASTER_PATHS);

    const unknown = await sync('-p', 'mk5');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /mk5.*mk4s-1.*xl-2.*mk3s-3/s);

    const excluded = await sync('--go', '-x', 'XL-2', 'mk4s-1');
    assert.equal(excluded.code, 0, excluded.stderr);
    assert.deepEqual(remoteTree(printer('mk3s-3')), MASTER_PATHS);
  });

  test('-d puts files in a folder of the storage and -r keeps the source folder name', async () => {
    const run = await runCli(
      ['-c', ws.config, '-s', path.join(ws.master, 'parts'), '-r', ws.master, '-d', '/usb/farm', '-p', 'mk4s-1', '--go'],
      { cwd: ws.dir },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(remoteTree(printer('mk4s-1')), ['farm/parts/bracket.bgcode', 'farm/parts/clips/cable clip ×8.gcode']);

    const pi = await runCli(['-c', ws.config, '-s', ws.master, '-d', 'farm', '-p', 'mk3s-3', '--go'], { cwd: ws.dir });
    assert.equal(pi.code, 0, pi.stderr);
    assert.deepEqual(
      remoteTree(printer('mk3s-3')),
      MASTER_PATHS.map((f) => `farm/${f}`),
    );
  });

  test('a name too long for Buddy is reported in the dry run and the rest is still synced', async () => {
    const longName = `${'very-long-name-'.repeat(6)}.gcode`;
    mkdirSync(path.join(ws.master, 'deep'), { recursive: true });
    writeTree(ws.master, { [`deep/${longName}`]: gcode('long', 500) });
    const dry = await sync();
    assert.equal(dry.code, 1);
    assert.match(dry.stderr, new RegExp(`mk4s-1: cannot sync deep/${longName}: .*103`));
    assert.doesNotMatch(dry.stderr, /mk3s-3: cannot sync/, 'the Pi can store it');

    const run = await sync('--go');
    assert.equal(run.code, 1);
    assert.deepEqual(remoteTree(printer('mk4s-1')), MASTER_PATHS);
    assert.ok(remoteTree(printer('mk3s-3')).includes(`deep/${longName}`));
    assert.match(run.stderr, /mk4s-1: FAILED: 1 file cannot be stored/);
  });

  // Buddy's USB drive is FAT32 (the firmware has no exFAT): a 4 GiB file would fail only after hours of upload.
  test('a file over 4 GiB − 1 is a problem on Buddy, never sent, its printer copy kept; the Pi plans it', async () => {
    const huge = path.join(ws.master, 'huge.gcode');
    writeFileSync(huge, '');
    truncateSync(huge, 2 ** 32 + 1); // sparse: no disk space used
    for (const name of ['mk4s-1', 'xl-2']) printer(name).seed('huge.gcode', 'an older, smaller copy');

    const dry = await sync();
    assert.equal(dry.code, 1, dry.stderr);
    for (const name of ['mk4s-1', 'xl-2']) {
      assert.match(dry.stderr, new RegExp(`${name}: cannot sync huge\\.gcode: the file is 4\\.3 GB \\(4294967297 bytes\\) .*FAT32`));
    }
    assert.doesNotMatch(dry.stderr, /mk3s-3: cannot sync/, 'ext4 on the Pi stores it');
    assert.match(perPrinter(dry.stdout), /mk3s-3: upload huge\.gcode \(4\.3 GB\)/);

    // --go on the Buddy printers only: the Pi would take the whole 4 GiB.
    const run = await sync('--go', '-p', 'mk4s-1', 'xl-2');
    assert.equal(run.code, 1, run.stderr);
    for (const name of ['mk4s-1', 'xl-2']) {
      const p = printer(name);
      assert.deepEqual(remoteTree(p), [...MASTER_PATHS, 'huge.gcode'].sort(), name);
      assert.equal(p.readFile('huge.gcode')?.toString(), 'an older, smaller copy', `${name} kept its copy`);
      assert.deepEqual(
        p.requests().filter((r) => MUTATING.has(r.method) && /huge/i.test(r.target)),
        [],
        `${name} got a request for huge.gcode`,
      );
      assert.match(run.stderr, new RegExp(`${name}: FAILED: 1 file cannot be stored`));
    }
  });
});
