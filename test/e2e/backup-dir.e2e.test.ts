// End to end: sync --backup-dir keeps each printer's copy of a file before the printer loses it (the
// request log shows the download before the DELETE or the replacing PUT), keeps earlier backups, and
// holds the change when the backup cannot be made.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import type { SimPrinter } from '../../src/simulator/index.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { gcode } from '../helpers/fixtures.js';
import { useWorkspace } from '../helpers/workspace.js';
import { startCli } from '../reliability/cli-process.js';

const T = { timeout: 90_000 };
const NEW = gcode('new benchy', 3000);
const OLD = gcode('old benchy', 2000);
const EXTRA = gcode('sliced at the printer', 2500);

const ws = useWorkspace({
  printers: [
    { name: 'mk4-b', model: 'MK4' },
    { name: 'mk3-b', model: 'MK3S' },
  ],
  master: { 'farm/benchy.gcode': NEW },
});

const backups = (): string => path.join(ws.dir, 'backups');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const sync = (...args: string[]): Promise<CliRun> =>
  runCli(['-c', ws.config, '-s', path.join(ws.master, 'farm'), '-r', ws.master, '--retry-delay', '0.01', ...args], { cwd: ws.dir });
const show = (run: CliRun): string => `exit ${run.code}\n${run.stdout}\n${run.stderr}`;

/** Index in the request log of the first request matching. */
function at(p: SimPrinter, match: (method: string, target: string) => boolean): number {
  return p.requests().findIndex((r) => match(r.method, decodeURIComponent(r.target)));
}
const isDownload = (name: string) => (method: string, target: string) =>
  method === 'GET' && (target.startsWith('/usb/') || target.endsWith('/raw')) && target.toLowerCase().includes(name);

function seedPrinters(): void {
  // A day old: without a record, Buddy (whose listing has no sizes) replaces it by the time rule.
  const dayAgo = Math.floor(Date.now() / 1000) - 86_400;
  for (const p of ws.farm.printers) {
    p.seed('farm/benchy.gcode', OLD, { mTimestamp: dayAgo });
    p.seed('farm/extra.gcode', EXTRA);
  }
}

/**
 * A dry run with --backup-dir in which every printer plans its one replacement and one deletion, and
 * says `backingUp` (a RegExp source) of the backups they need first.
 */
async function dryRunBackingUp(backingUp: string): Promise<CliRun> {
  const dry = await sync('--backup-dir', backups());
  assert.equal(dry.code, 0, show(dry));
  for (const p of ws.farm.printers) {
    assert.match(
      dry.stdout,
      new RegExp(`${p.name}: 0 missing to upload, 1 stale to refresh, 1 file to delete, 0 unchanged .*; ${backingUp}`),
      show(dry),
    );
  }
  return dry;
}

describe('sync --backup-dir', () => {
  test('the dry run says what the backups download; --go keeps each copy before the printer loses it', T, async () => {
    seedPrinters();
    await dryRunBackingUp('4\\.5 kB to back up first \\(downloaded at printer speed\\)');
    assert.equal(existsSync(backups()), false, 'a dry run downloads nothing');

    const run = await sync('--go', '--backup-dir', backups());
    assert.equal(run.code, 0, show(run));
    for (const p of ws.farm.printers) {
      const dir = path.join(backups(), p.name, 'farm');
      assert.equal(readFileSync(path.join(dir, 'benchy.gcode'), 'utf8'), OLD, p.name);
      assert.equal(readFileSync(path.join(dir, 'extra.gcode'), 'utf8'), EXTRA, p.name);
      assert.equal(p.readFile('farm/benchy.gcode')?.toString(), NEW);
      assert.equal(p.readFile('farm/extra.gcode'), undefined);
      const put = at(p, (m, t) => m === 'PUT' && t.toLowerCase().includes('benchy'));
      const del = at(p, (m, t) => m === 'DELETE' && t.toLowerCase().includes('extra'));
      assert.ok(
        put > at(p, isDownload('benchy')) && at(p, isDownload('benchy')) >= 0,
        `${p.name}: benchy backed up before it was replaced`,
      );
      assert.ok(del > at(p, isDownload('extra')) && at(p, isDownload('extra')) >= 0, `${p.name}: extra backed up before it was deleted`);
      assert.match(run.stdout, new RegExp(`${p.name}: backed up extra\\.gcode 2\\.5 kB to .*extra\\.gcode`));
    }
  });

  test('an earlier backup is kept: the new one gets a time suffix', T, async () => {
    seedPrinters();
    assert.equal((await sync('--go', '--backup-dir', backups())).code, 0);
    const again = gcode('sliced again', 2700);
    const mk4 = ws.printer('mk4-b');
    mk4.seed('farm/extra.gcode', again);
    const run = await sync('--go', '--backup-dir', backups(), '-p', 'mk4-b');
    assert.equal(run.code, 0, show(run));
    const dir = path.join(backups(), 'mk4-b', 'farm');
    const names = readdirSync(dir).sort();
    assert.equal(readFileSync(path.join(dir, 'extra.gcode'), 'utf8'), EXTRA, 'the first backup is untouched');
    const suffixed = names.filter((n) => /^extra\.\d{8}T\d{6}Z\.gcode$/.test(n));
    assert.equal(suffixed.length, 1, names.join(', '));
    assert.equal(readFileSync(path.join(dir, suffixed[0]!), 'utf8'), again);
  });

  /** A first run whose backups are made but whose uploads the printers refuse (503, not retried). */
  async function backedUpButNotReplaced(): Promise<void> {
    for (const p of ws.farm.printers) p.inject({ kind: 'status', status: 503, method: 'PUT' });
    const first = await sync('--go', '--backup-dir', backups(), '--retries', '0');
    assert.equal(first.code, 1, show(first));
    for (const p of ws.farm.printers) {
      assert.equal(p.readFile('farm/benchy.gcode')?.toString(), OLD, `${p.name} keeps its copy`);
      assert.equal(readFileSync(path.join(backups(), p.name, 'farm', 'benchy.gcode'), 'utf8'), OLD, `${p.name} backed up`);
      p.clearFaults();
      p.clearRequests();
    }
  }

  test('a replacement whose upload failed is not backed up twice: the next run keeps the earlier backup', T, async () => {
    seedPrinters();
    await backedUpButNotReplaced();
    const run = await sync('--go', '--backup-dir', backups());
    assert.equal(run.code, 0, show(run));
    for (const p of ws.farm.printers) {
      const dir = path.join(backups(), p.name, 'farm');
      assert.deepEqual(readdirSync(dir).sort(), ['benchy.gcode', 'extra.gcode'], `${p.name}: no second copy of benchy`);
      assert.equal(readFileSync(path.join(dir, 'benchy.gcode'), 'utf8'), OLD);
      assert.match(
        run.stdout,
        new RegExp(
          `${p.name}: kept the backup of benchy\\.gcode from an earlier run: .*benchy\\.gcode \\(the printer's copy is the same file\\)`,
        ),
      );
      assert.equal(at(p, isDownload('benchy')), -1, `${p.name}: the printer's time stamp told, without a download`);
      assert.equal(p.readFile('farm/benchy.gcode')?.toString(), NEW);
    }
  });

  test("the dry run does not count a backup the printer's time stamp shows is kept", T, async () => {
    seedPrinters();
    await backedUpButNotReplaced();
    // extra.gcode changed on the printer since (another size): its backup is downloaded again.
    for (const p of ws.farm.printers) p.seed('farm/extra.gcode', gcode('sliced again', 2700));
    await dryRunBackingUp('2\\.7 kB to back up first \\(downloaded at printer speed; 1 backup kept from an earlier run\\)');
    for (const p of ws.farm.printers) {
      assert.equal(
        at(p, (m, t) => m === 'GET' && isDownload('benchy')(m, t)),
        -1,
        `${p.name}: a dry run downloads nothing`,
      );
    }
  });

  test('the dry run does not count as kept a backup reached through a link out of the backup folder, which --go refuses', T, async () => {
    seedPrinters();
    await backedUpButNotReplaced();
    const outside = path.join(ws.dir, 'outside');
    mkdirSync(outside);
    for (const p of ws.farm.printers) {
      const folder = path.join(backups(), p.name, 'farm');
      renameSync(folder, path.join(outside, p.name));
      symlinkSync(path.join(outside, p.name), folder);
    }
    const dry = await dryRunBackingUp('4\\.5 kB to back up first \\(downloaded at printer speed\\)');
    assert.doesNotMatch(dry.stdout, /kept from an earlier run/);
    const run = await sync('--go', '--backup-dir', backups());
    assert.equal(run.code, 1, show(run));
    for (const p of ws.farm.printers) {
      assert.equal(p.readFile('farm/benchy.gcode')?.toString(), OLD, `${p.name} keeps its copy`);
      assert.match(run.stdout + run.stderr, /leads outside the backup folder/);
    }
  });

  test('a printer without a clock: its copy is downloaded and compared, and the same content keeps the earlier backup', T, async () => {
    seedPrinters();
    // 1980-01-01, what a Buddy that never got the time writes: no proof that two files are one.
    for (const p of ws.farm.printers) p.seed('farm/benchy.gcode', OLD, { mTimestamp: 315532800 });
    await backedUpButNotReplaced();
    const run = await sync('--go', '--backup-dir', backups());
    assert.equal(run.code, 0, show(run));
    for (const p of ws.farm.printers) {
      const dir = path.join(backups(), p.name, 'farm');
      assert.ok(at(p, isDownload('benchy')) >= 0, `${p.name}: downloaded to compare`);
      assert.deepEqual(readdirSync(dir).sort(), ['benchy.gcode', 'extra.gcode'], p.name);
      assert.match(run.stdout, new RegExp(`${p.name}: kept the backup of benchy\\.gcode from an earlier run`));
    }
  });

  test('a printer copy that changed since the earlier backup, at the same size, is backed up again', T, async () => {
    seedPrinters();
    await backedUpButNotReplaced();
    const other = gcode('odd benchy', 2000);
    assert.equal(other.length, OLD.length);
    for (const p of ws.farm.printers) p.seed('farm/benchy.gcode', other, { mTimestamp: Math.floor(Date.now() / 1000) - 3_600 });
    const run = await sync('--go', '--backup-dir', backups());
    assert.equal(run.code, 0, show(run));
    assert.doesNotMatch(run.stdout, /kept the backup/);
    for (const p of ws.farm.printers) {
      const dir = path.join(backups(), p.name, 'farm');
      assert.equal(readFileSync(path.join(dir, 'benchy.gcode'), 'utf8'), OLD, `${p.name}: the earlier backup untouched`);
      const suffixed = readdirSync(dir).filter((n) => /^benchy\.\d{8}T\d{6}Z\.gcode$/.test(n));
      assert.equal(suffixed.length, 1, `${p.name}: ${readdirSync(dir).join(', ')}`);
      assert.equal(readFileSync(path.join(dir, suffixed[0]!), 'utf8'), other);
    }
  });

  test('a backup that cannot be downloaded holds the deletion and the replacement: the printer keeps its files, exit 1', T, async () => {
    seedPrinters();
    const mk4 = ws.printer('mk4-b');
    const mk3 = ws.printer('mk3-b');
    mk4.inject({ kind: 'status', status: 500, method: 'GET', pathPrefix: '/usb/' });
    mk3.inject({ kind: 'cut-download', afterBytes: 100 });
    const run = await sync('--go', '--backup-dir', backups(), '--retries', '0');
    assert.equal(run.code, 1, show(run));
    for (const p of [mk4, mk3]) {
      assert.match(run.stderr, new RegExp(`${p.name}: held: replace benchy\\.gcode not done`));
      assert.match(run.stderr, new RegExp(`${p.name}: held: delete extra\\.gcode not done`));
      assert.equal(p.readFile('farm/benchy.gcode')?.toString(), OLD, `${p.name} keeps its copy`);
      assert.equal(p.readFile('farm/extra.gcode')?.toString(), EXTRA, `${p.name} keeps its file`);
      assert.equal(p.requests().filter((r) => r.method === 'DELETE' || r.method === 'PUT').length, 0, p.name);
    }
    const left = existsSync(backups())
      ? readdirSync(backups(), { recursive: true })
          .map(String)
          .filter((n) => n.endsWith('.gcode') || n.endsWith('.part'))
      : [];
    assert.deepEqual(left, [], 'no partial backup left');
    assert.equal(existsSync(backups()), false, 'no folder the run made is left');
  });

  test('a held deletion keeps its folder without asking the printer to remove it, and says nothing false about it', T, async () => {
    const mk3 = ws.printer('mk3-b');
    mk3.seed('farm/benchy.gcode', NEW);
    mk3.seed('farm/old/extra.gcode', EXTRA);
    mk3.inject({ kind: 'cut-download', afterBytes: 100 });
    const run = await sync('--go', '--backup-dir', backups(), '--retries', '0', '-p', 'mk3-b');
    assert.equal(run.code, 1, show(run));
    assert.match(run.stderr, /mk3-b: held: delete old\/extra\.gcode not done/);
    assert.doesNotMatch(run.stdout + run.stderr, /kept folder/);
    assert.equal(mk3.readFile('farm/old/extra.gcode')?.toString(), EXTRA);
    assert.deepEqual(
      mk3.requests().filter((r) => r.method === 'DELETE'),
      [],
      'no deletion asked for',
    );
  });

  test('Ctrl-C during a backup: exit 130, the printer keeps its file, the folders the run made are gone, the others stay', T, async () => {
    const mk3 = ws.printer('mk3-b');
    // 40 kB/s: the 400 kB backup takes about 10 s.
    mk3.seed('farm/old/parts/deep/slow.gcode', gcode('slow', 400_000));
    mk3.setRate(40_000);
    // There before the run, and empty: it stays.
    const before = path.join(backups(), 'mk3-b', 'farm', 'old');
    mkdirSync(before, { recursive: true });
    const cli = startCli(
      ['-c', ws.config, '-s', path.join(ws.master, 'farm'), '-r', ws.master, '-p', 'mk3-b', '--go', '--backup-dir', backups()],
      { cwd: ws.dir, env: { XDG_STATE_HOME: path.join(ws.dir, 'state') }, timeoutMs: 30_000 },
    );
    const output = (): string => cli.output().stdout + cli.output().stderr;
    // The signal comes once the backup is under way: its hidden temporary file exists.
    const folder = path.join(before, 'parts', 'deep');
    const partial = (): boolean => existsSync(folder) && readdirSync(folder).some((n) => n.endsWith('.link-sync.part'));
    for (let i = 0; i < 400 && !partial(); i++) await sleep(50);
    assert.ok(partial(), `the backup started:\n${output()}`);
    cli.child.kill('SIGINT');
    const { code } = await cli.done;
    assert.equal(code, 130, output());
    assert.equal(mk3.readFile('farm/old/parts/deep/slow.gcode')?.toString(), gcode('slow', 400_000), 'the printer keeps its file');
    assert.deepEqual(readdirSync(before), [], 'no file, no temporary file, and parts/deep, made by the run, removed');
  });
});
