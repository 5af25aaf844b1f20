// End to end: `link-sync pull` against a simulated farm of a Buddy, a Pi and a Pi on PrusaLink 0.6.
// Printer-only files come back into the master once, conflicts write nothing, hostile names never
// leave the master, a cut download leaves no file, and the next sync spreads what was pulled.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { SimPrinter } from '../../src/simulator/index.js';
import { repoRoot, runCli, type CliRun } from '../helpers/cli.js';
import { gcode } from '../helpers/fixtures.js';
import { lockFolder } from '../helpers/locked-folder.js';
import { useWorkspace } from '../helpers/workspace.js';

const T = { timeout: 90_000 };
const pullSchema = JSON.parse(readFileSync(path.join(repoRoot, 'schema/pull-events.schema.json'), 'utf8')) as object;
const validatePullEvent = new Ajv2020({ strict: true, validateFormats: false, allErrors: true }).compile(pullSchema);
type PullJsonEvent = { v: number; time: string; command: string; type: string; [key: string]: unknown };
const MK4 = 'mk4-pull';
const MK3 = 'mk3-pull';
const OLD = 'mk3-legacy';

const ws = useWorkspace({
  printers: [
    { name: MK4, model: 'MK4' },
    { name: MK3, model: 'MK3S' },
    { name: OLD, model: 'MK3S', firmware: 'legacy' },
  ],
  master: { 'kept.gcode': gcode('kept', 1500) },
});

const state = (): Record<string, string> => ({ XDG_STATE_HOME: path.join(ws.dir, 'state') });
const pull = (...args: string[]): Promise<CliRun> =>
  runCli(['pull', '-c', ws.config, '-s', ws.master, '--retry-delay', '0.01', ...args], { cwd: ws.dir, env: state() });
const sync = (...args: string[]): Promise<CliRun> => runCli(['-c', ws.config, '-s', ws.master, ...args], { cwd: ws.dir, env: state() });
const show = (run: CliRun): string => `exit ${run.code}\n${run.stdout}\n${run.stderr}`;
const downloads = (p: SimPrinter): string[] =>
  p
    .requests()
    .filter((r) => r.method === 'GET' && (r.target.startsWith('/usb/') || r.target.endsWith('/raw')))
    .map((r) => r.target);
const local = (rel: string): string => path.join(ws.master, ...rel.split('/'));
const read = (rel: string): string => readFileSync(local(rel), 'utf8');

describe('link-sync pull', () => {
  test("files only on printers are listed by a dry run, then pulled with the printer's time, from every dialect", T, async () => {
    const mk4 = ws.printer(MK4);
    const mk3 = ws.printer(MK3);
    const old = ws.printer(OLD);
    const stamp = Math.floor(Date.now() / 1000) - 3 * 86_400;
    mk4.seed('sliced/Benchy Long Name.gcode', gcode('from mk4', 40_000), { mTimestamp: stamp });
    mk3.seed('from-pi.gcode', gcode('from pi', 5000));
    old.seed('old/legacy.gcode', gcode('from 0.6', 3000));
    mk3.seed('notes.txt', 'not a print file');
    const dry = await pull();
    assert.equal(dry.code, 0, show(dry));
    assert.match(dry.stdout, new RegExp(`${MK4}: 1 file the master lacks \\(40\\.\\d kB\\)`));
    assert.match(dry.stdout, /pull sliced\/Benchy Long Name\.gcode \(40\.\d kB\) from mk4-pull\n/);
    assert.match(dry.stdout, /pull from-pi\.gcode .* from mk3-pull\n/);
    assert.match(dry.stdout, /pull old\/legacy\.gcode .* from mk3-legacy\n/);
    assert.doesNotMatch(dry.stdout, /notes\.txt/);
    assert.equal(existsSync(local('from-pi.gcode')), false, 'a dry run writes nothing');
    assert.deepEqual([mk4, mk3, old].flatMap(downloads), [], 'a dry run downloads nothing');

    const run = await pull('--go');
    assert.equal(run.code, 0, show(run));
    assert.equal(read('sliced/Benchy Long Name.gcode'), gcode('from mk4', 40_000));
    assert.equal(read('from-pi.gcode'), gcode('from pi', 5000));
    assert.equal(read('old/legacy.gcode'), gcode('from 0.6', 3000));
    assert.equal(statSync(local('sliced/Benchy Long Name.gcode')).mtimeMs, stamp * 1000, 'mtime from the printer');
    assert.equal(read('kept.gcode'), gcode('kept', 1500), 'the master file is untouched');
    assert.deepEqual(readdirSync(local('sliced')), ['Benchy Long Name.gcode'], 'no temporary file left');
    assert.match(run.stdout, /3 files pulled, 0 conflicts/);
  });

  test('one file on two printers is pulled once; a second pull does nothing; the next sync spreads it, never back', T, async () => {
    const mk4 = ws.printer(MK4);
    const mk3 = ws.printer(MK3);
    const old = ws.printer(OLD);
    mk4.seed('shared.gcode', gcode('shared', 8000));
    mk3.seed('shared.gcode', gcode('shared', 8000));
    mk4.seed('only-mk4.gcode', gcode('only mk4', 2000));
    const run = await pull('--go');
    assert.equal(run.code, 0, show(run));
    assert.equal(read('shared.gcode'), gcode('shared', 8000));
    assert.match(
      run.stdout,
      /pull shared\.gcode .* from mk4-pull, mk3-pull \(same size; contents compared while downloading, pulled once\)/,
    );
    assert.match(run.stdout, /pulled shared\.gcode into .* \(from mk4-pull, mk3-pull\)/);
    assert.equal((run.stdout.match(/^pulled shared\.gcode/gm) ?? []).length, 1);

    for (const p of [mk4, mk3, old]) p.clearRequests();
    const again = await pull('--go');
    assert.equal(again.code, 0, show(again));
    assert.match(again.stdout, /0 files pulled/);
    assert.deepEqual([mk4, mk3, old].flatMap(downloads), []);

    const spread = await sync('--go');
    assert.equal(spread.code, 0, show(spread));
    const puts = (p: SimPrinter): string[] =>
      p
        .requests()
        .filter((r) => r.method === 'PUT' || r.method === 'POST')
        .map((r) => decodeURIComponent(r.target));
    assert.deepEqual(
      puts(mk4).filter((t) => /shared|only-mk4/.test(t)),
      [],
      'nothing sent back to the printers it came from',
    );
    assert.deepEqual(
      puts(mk3).filter((t) => /shared/.test(t)),
      [],
    );
    assert.ok(
      puts(mk3).some((t) => t.endsWith('/only-mk4.gcode')),
      'the Pi gets the file pulled from the Buddy',
    );
    assert.equal(old.readFile('shared.gcode')?.toString(), gcode('shared', 8000), 'the printer that lacked it gets it');
    assert.equal(mk3.readFile('only-mk4.gcode')?.toString(), gcode('only mk4', 2000));
    assert.equal(mk4.requests().filter((r) => r.method === 'DELETE').length, 0);
  });

  test('different content under one name is a conflict: nothing written, exit 1; --prefer resolves it', T, async () => {
    const mk4 = ws.printer(MK4);
    const mk3 = ws.printer(MK3);
    const stamp = 1_750_000_000;
    mk4.seed('part.gcode', gcode('version A', 3000), { mTimestamp: stamp });
    mk3.seed('part.gcode', gcode('version B', 3500), { mTimestamp: stamp + 60 });
    // Same size, different bytes: found only by comparing the downloads.
    mk4.seed('twin.gcode', 'G28 ; A\n'.repeat(100));
    mk3.seed('twin.gcode', 'G28 ; B\n'.repeat(100));
    const run = await pull('--go');
    assert.equal(run.code, 1, show(run));
    assert.match(
      run.stderr,
      /CONFLICT part\.gcode: the printers hold copies of different sizes \(mk4-pull 3\.0 kB, 2025-06-15T15:06:40Z; mk3-pull 3\.5 kB, 2025-06-15T15:07:40Z\); nothing written/,
    );
    assert.match(run.stderr, /CONFLICT twin\.gcode: the printers hold copies of the same size with different content/);
    assert.equal(existsSync(local('part.gcode')), false);
    assert.equal(existsSync(local('twin.gcode')), false);
    assert.deepEqual(
      readdirSync(ws.master).filter((n) => n.startsWith('.')),
      [],
      'no temporary file left',
    );

    const dry = await pull('--prefer', 'MK3-PULL');
    assert.equal(dry.code, 0, show(dry));
    assert.match(dry.stdout, /pull part\.gcode \(3\.5 kB\) from mk3-pull \(--prefer; set aside: mk4-pull\)/);
    const chosen = await pull('--go', '--prefer', MK3);
    assert.equal(chosen.code, 0, show(chosen));
    assert.equal(read('part.gcode'), gcode('version B', 3500));
    assert.equal(read('twin.gcode'), 'G28 ; B\n'.repeat(100));
    assert.equal(statSync(local('part.gcode')).mtimeMs, (stamp + 60) * 1000);

    // The printer whose copy was set aside gets the chosen one at the next sync; the chosen printer nothing.
    mk4.clearRequests();
    mk3.clearRequests();
    const spread = await sync('--go');
    assert.equal(spread.code, 0, show(spread));
    assert.match(spread.stdout, /mk4-pull: replaced part\.gcode/);
    assert.equal(mk4.readFile('part.gcode')?.toString(), gcode('version B', 3500));
    assert.equal(mk4.readFile('twin.gcode')?.toString(), 'G28 ; B\n'.repeat(100), 'a same-size copy set aside is replaced too');
    assert.equal(mk3.requests().filter((r) => r.method === 'PUT' && /part|twin/.test(r.target)).length, 0);
  });

  test('hostile names in a listing: refused and reported, exit 1, nothing written outside the master', T, async () => {
    const mk3 = ws.printer(MK3);
    const mk4 = ws.printer(MK4);
    mk3.seedNamed('', '../escape.gcode', gcode('escape'));
    mk3.seedNamed('', '..\\win.gcode', gcode('win'));
    mk3.seedNamed('', 'bell\u0007.gcode', gcode('bell'));
    mk3.seedNamed('', 'nul\u0000.gcode', gcode('nul'));
    mk3.seedNamed('', 'esc\u001b[2J.gcode', gcode('esc'));
    mk4.seedNamed('', '..', gcode('dotdot'));
    mk3.seed('fine.gcode', gcode('fine'));
    const beside = (): string[] =>
      readdirSync(ws.dir)
        .filter((n) => n !== 'state')
        .sort();
    const before = beside();
    const run = await pull('--go');
    assert.equal(run.code, 1, show(run));
    // Refused by the local guard (REFUSED name ...) or, earlier, by the gate on names from printers
    // (the printer's listing refused as a whole): either way reported, and nothing written.
    for (const printer of [MK3, MK4]) assert.match(run.stderr, new RegExp(`${printer}: (REFUSED name|FAILED: listing)`), run.stderr);
    assert.doesNotMatch(run.stdout + run.stderr, /\u001b|\u0007/, 'no raw control character reaches the terminal');
    assert.deepEqual(beside(), before, 'nothing new next to the master (the sync record folder aside)');
    assert.deepEqual(
      readdirSync(ws.master)
        .filter((n) => n !== 'fine.gcode')
        .sort(),
      ['kept.gcode'],
    );
    assert.deepEqual(
      downloads(mk3).filter((t) => !t.includes('fine.gcode')),
      [],
      'refused names are never downloaded',
    );
  });

  test('a symbolic link in the master that leads outside it: the file is not written, nothing is created outside', T, async () => {
    const outside = path.join(ws.dir, 'outside');
    mkdirSync(outside);
    symlinkSync(outside, local('linked'));
    ws.printer(MK4).seed('linked/deeper/x.gcode', gcode('x'));
    ws.printer(MK4).seed('linked/y.gcode', gcode('y'));
    const run = await pull('--go');
    assert.equal(run.code, 1, show(run));
    assert.match(run.stderr, /leads outside the master folder .* through a symbolic link/);
    assert.deepEqual(readdirSync(outside), [], 'nothing created outside the master');
  });

  test('a download cut mid-way leaves no file under its name and no folder made for it; the next run completes it', T, async () => {
    const mk4 = ws.printer(MK4);
    const mk3 = ws.printer(MK3);
    mk4.seed('big.gcode', gcode('big', 300_000));
    mk3.seed('new/deeper/pi-big.gcode', gcode('pi big', 200_000));
    mk4.inject({ kind: 'cut-download', afterBytes: 100_000 });
    mk3.inject({ kind: 'cut-download', afterBytes: 50_000 });
    const cut = await pull('--go', '--retries', '1');
    assert.equal(cut.code, 1, show(cut));
    assert.match(cut.stderr, /mk4-pull: FAILED to download big\.gcode/);
    assert.match(cut.stderr, /mk3-pull: FAILED to download new\/deeper\/pi-big\.gcode/);
    assert.deepEqual(readdirSync(ws.master), ['kept.gcode'], 'no file, no temporary file, and the folders made for it removed');
    assert.equal(downloads(mk4).length, 2, 'tried, then retried once');
    mk4.clearFaults();
    mk3.clearFaults();
    const next = await pull('--go');
    assert.equal(next.code, 0, show(next));
    assert.equal(read('big.gcode'), gcode('big', 300_000));
    assert.equal(read('new/deeper/pi-big.gcode'), gcode('pi big', 200_000));
  });

  test('--json, dry run and --go: every line valid against the pull schema, a conflict and a refused name too', T, async () => {
    const mk4 = ws.printer(MK4);
    const mk3 = ws.printer(MK3);
    mk4.seed('j.gcode', gcode('json', 50_000));
    mk4.seed('part.gcode', gcode('version A', 3000));
    mk3.seed('part.gcode', gcode('version B', 3500));
    // Passes the printer-name gate (130 UTF-16 units) but not the local one (266 bytes > 255).
    const long = `${'\u00e9'.repeat(130)}.gcode`;
    mk3.seedNamed('', long, gcode('long'));
    const parse = (run: CliRun): PullJsonEvent[] => {
      const lines = run.stdout.split('\n').filter((l) => l !== '');
      assert.ok(lines.length > 0, show(run));
      return lines.map((line) => {
        const event = JSON.parse(line) as PullJsonEvent;
        assert.ok(validatePullEvent(event), `not valid against the schema: ${line}\n${JSON.stringify(validatePullEvent.errors, null, 1)}`);
        assert.ok(!Number.isNaN(Date.parse(event.time)), `bad time in ${line}`);
        return event;
      });
    };
    const check = (events: PullJsonEvent[], dryRun: boolean): void => {
      const types = events.map((e) => e.type);
      assert.equal(types[0], 'pull-start');
      assert.equal(types.at(-1), 'pull-done');
      assert.equal(events[0]!['dryRun'], dryRun);
      const conflicts = events.filter((e) => e.type === 'conflict').map((e) => (e['conflict'] as { path: string }).path);
      assert.deepEqual(conflicts, ['part.gcode']);
      const scanned = events.find((e) => e.type === 'printer-scanned' && e['printer'] === MK3);
      assert.ok(scanned, `no printer-scanned event for ${MK3}`);
      assert.deepEqual(
        (scanned['refused'] as Array<{ path: string }>).map((r) => r.path),
        [long],
      );
      const summary = events.at(-1)!['summary'] as { conflicts: number; refused: number; pulled: number };
      assert.equal(summary.conflicts, 1);
      assert.equal(summary.refused, 1);
      assert.equal(summary.pulled, dryRun ? 0 : 1);
    };

    const dry = await pull('--json');
    assert.equal(dry.code, 1, show(dry));
    assert.equal(dry.stderr, '', 'with --json every report is an event on stdout');
    const dryEvents = parse(dry);
    check(dryEvents, true);
    assert.ok(!dryEvents.some((e) => e.type.startsWith('download-')), 'a dry run downloads nothing');

    const run = await pull('--go', '--json');
    assert.equal(run.code, 1, show(run));
    assert.equal(run.stderr, '');
    const events = parse(run);
    check(events, false);
    const types = events.map((e) => e.type);
    for (const t of ['printer-scanned', 'plan', 'download-start', 'download-progress', 'download-done', 'pulled', 'printer-done'])
      assert.ok(types.includes(t), t);
    assert.equal(read('j.gcode'), gcode('json', 50_000));
    assert.equal(existsSync(local('part.gcode')), false);
  });

  test('a busy printer is read; a partial Connect download and a running transfer are skipped with a note', T, async () => {
    const mk4 = ws.printer(MK4);
    const mk3 = ws.printer(MK3);
    mk4.seed('printing.gcode', gcode('printing', 4000));
    mk4.setState('PRINTING', { file: 'printing.gcode' });
    mk4.setForeignTransfer(true, { path: 'incoming.gcode', size: 50_000 });
    mk3.seed('pi.gcode', gcode('pi', 2000));
    mk3.setForeignTransfer(true, { path: 'other.gcode', size: 10_000 });
    const run = await pull('--go');
    assert.equal(run.code, 0, show(run));
    assert.match(run.stdout, /mk4-pull: skipping incoming\.gcode: a Prusa Connect download still in progress/);
    assert.match(run.stdout, /mk3-pull: skipping pi\.gcode: a transfer is running on the printer/);
    assert.match(run.stdout, /mk4-pull: skipping printing\.gcode: a transfer is running/);
    assert.equal(existsSync(local('pi.gcode')), false);
    mk4.setForeignTransfer(false);
    mk3.setForeignTransfer(false);
    const after = await pull('--go');
    assert.equal(after.code, 0, show(after));
    assert.equal(read('printing.gcode'), gcode('printing', 4000), 'the printed file is read while it prints');
    assert.equal(read('pi.gcode'), gcode('pi', 2000));
  });
});

describe('link-sync pull: bad input stops before any download', () => {
  const noDownloads = (): void => {
    for (const p of ws.farm.printers) assert.deepEqual(downloads(p), [], p.name);
  };

  test('a missing master folder, or one that is a file: exit 2', T, async () => {
    ws.printer(MK4).seed('a.gcode', gcode('a'));
    const missing = await runCli(['pull', '-c', ws.config, '-s', path.join(ws.dir, 'nope'), '--go'], { cwd: ws.dir });
    assert.equal(missing.code, 2, show(missing));
    assert.match(missing.stderr, /nope/);
    const file = await runCli(['pull', '-c', ws.config, '-s', path.join(ws.master, 'kept.gcode'), '--go'], { cwd: ws.dir });
    assert.equal(file.code, 2, show(file));
    assert.match(file.stderr, /kept\.gcode/);
    noDownloads();
  });

  test('--prefer naming an unknown printer: exit 2 with the list of printers', T, async () => {
    const run = await pull('--prefer', 'xl-9');
    assert.equal(run.code, 2, show(run));
    assert.match(run.stderr, /--prefer "xl-9" names no printer in the config \(the printers: mk4-pull, mk3-pull, mk3-legacy\)/);
    const unselected = await pull('-p', MK4, '--prefer', MK3);
    assert.equal(unselected.code, 2, show(unselected));
    assert.match(unselected.stderr, /--prefer "mk3-pull" is not among the printers of this run \(the printers: mk4-pull\)/);
  });

  test('a master folder that cannot be written: exit 2 before any download, the cause in words', T, async (t) => {
    ws.printer(MK4).seed('a.gcode', gcode('a'));
    const locked = lockFolder(ws.master);
    if (!locked.ok) return t.skip(locked.why);
    try {
      const run = await pull('--go');
      assert.equal(run.code, 2, show(run));
      const cause = process.getuid?.() === 0 ? 'operation not permitted' : 'permission denied';
      assert.ok(
        run.stderr.includes(`cannot write into ${ws.master} (${cause}): pulled files go there`) &&
          run.stderr.includes(`make ${ws.master} writable, or pull into another folder with -s; nothing was downloaded`),
        show(run),
      );
      noDownloads();
    } finally {
      locked.unlock();
    }
  });
});
