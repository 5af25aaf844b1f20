// End to end with the built CLI: a listing entry that climbs out of the mirrored folder, control
// characters and echoed secrets in what the run prints, files adopted from a printer on a first run,
// and deletions held for another destination (-d farm, then no -d).

import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startFarm, type SimFarm, type SimPrinter, type SimPrinterOptions } from '../../src/simulator/index.js';
import { printerKey } from '../../src/record/keys.js';
import { recordPath } from '../../src/record/store.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { configYaml, gcode, tempDir, writeConfig, writeTree } from '../helpers/fixtures.js';
import { readRecordFile, type RecordOnDisk } from '../helpers/record-file.js';

const MUTATING = new Set(['PUT', 'POST', 'DELETE']);
/** Any raw control byte but the line feeds that end lines. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const show = (run: CliRun): string => `exit ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;

interface Ctx {
  farm: SimFarm;
  dir: string;
  master: string;
  config: string;
  state: string;
  sync(...args: string[]): Promise<CliRun>;
  printer(name: string): SimPrinter;
  record(p: SimPrinter): RecordOnDisk;
}

function useFarm(printers: SimPrinterOptions[], master: Record<string, string | Buffer>): Ctx {
  const ctx = {} as Ctx;
  let cleanup = (): void => {};
  beforeEach(async () => {
    ctx.farm = await startFarm(printers);
    const work = tempDir();
    cleanup = work.cleanup;
    ctx.dir = work.dir;
    ctx.master = path.join(work.dir, 'master');
    ctx.state = path.join(work.dir, 'state');
    writeTree(ctx.master, master);
    ctx.config = writeConfig(work.dir, ctx.farm.printers);
    ctx.sync = (...args) => runCli(['-c', ctx.config, '-s', ctx.master, '--state-dir', ctx.state, ...args], { cwd: ctx.dir });
    ctx.printer = (name) => ctx.farm.printers.find((p) => p.name === name)!;
    ctx.record = (p) => readRecordFile(recordPath(ctx.state, printerKey(p.serial, p.url)));
  });
  afterEach(async () => {
    await ctx.farm.close();
    cleanup();
  });
  return ctx;
}

describe('a listing entry climbing out of the mirrored folder (Buddy)', { timeout: 120_000 }, () => {
  const ctx = useFarm(
    [
      { name: 'mk4', model: 'MK4' },
      { name: 'core', model: 'COREONE' },
    ],
    { 'part.gcode': gcode('part', 800) },
  );

  test('"..\\victim2.gcode" shown as old-part.gcode: the victim survives, the printer has a protocol problem, the other syncs', {
    timeout: 60_000,
  }, async () => {
    for (const p of ctx.farm.printers) {
      p.seed('victim2.gcode', gcode('victim', 500));
      p.seed('farm/old-part.gcode', gcode('old', 300));
    }
    const mk4 = ctx.printer('mk4');
    // Through the control API, as a test of another language would.
    const armed = await fetch(new URL('/_sim/faults', mk4.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        kind: 'listing-entries',
        path: '/api/v1/files/usb/FARM',
        times: 2,
        entries: [{ name: '..\\victim2.gcode', display_name: 'old-part.gcode', type: 'PRINT_FILE', ro: false, m_timestamp: 1_700_000_000 }],
      }),
    });
    assert.equal(armed.status, 200);

    const dry = await ctx.sync('-d', 'farm');
    assert.equal(dry.code, 1, show(dry));
    assert.match(
      dry.stderr,
      /^mk4: FAILED: listing of usb\/FARM: lists an entry with a name holding "\\" \("\.\.\\\\victim2\.gcode"\); nothing is changed on this printer while its listing holds such a name/m,
    );
    assert.doesNotMatch(dry.stdout, /^mk4: delete/m);
    assert.match(
      dry.stdout,
      /^core: delete old-part\.gcode: not in source folder \(on the printer: \/usb\/farm\/old-part\.gcode, requested as \/usb\/FARM\/OLD-PA~1\.GCO\)$/m,
    );

    const run = await ctx.sync('-d', 'farm', '--go');
    assert.equal(run.code, 1, show(run));
    assert.ok(mk4.readFile('victim2.gcode'), 'the victim outside the mirrored folder survives');
    assert.ok(mk4.readFile('farm/old-part.gcode'), 'no deletion on the printer whose listing lies');
    assert.deepEqual(
      mk4.requests().filter((r) => MUTATING.has(r.method)),
      [],
    );
    const core = ctx.printer('core');
    assert.match(run.stdout, /^core: in sync/m);
    assert.ok(core.readFile('victim2.gcode'));
    assert.equal(core.readFile('farm/old-part.gcode'), undefined);
    for (const r of core.requests().filter((req) => MUTATING.has(req.method)))
      assert.match(decodeURIComponent(r.target), /^\/api\/v1\/files\/usb\/farm\//i);
  });
});

describe('output is inert', { timeout: 120_000 }, () => {
  const EVIL = 'evil\u001b[2J\rmk4: in sync\n.gcode';
  const ctx = useFarm(
    [
      { name: 'mk4', model: 'MK4' },
      { name: 'mk3s', model: 'MK3S' },
    ],
    { 'good.gcode': gcode('good', 600), [EVIL]: gcode('evil', 300) },
  );

  test('ESC, CR, LF and NUL in names and printer texts are shown escaped; a secret a printer echoes is never printed', {
    timeout: 60_000,
  }, async () => {
    const mk4 = ctx.printer('mk4');
    const mk3s = ctx.printer('mk3s');
    const echoed = (p: SimPrinter): string =>
      `File busy \u001b]0;owned\u0007 \u0000 X-Api-Key: ${p.credentials.apiKey ?? p.credentials.password} password=${p.credentials.password}\rmk4: in sync`;
    mk4.inject({ kind: 'status', status: 409, method: 'PUT', message: echoed(mk4) });
    mk3s.inject({ kind: 'status', status: 409, method: 'PUT', message: echoed(mk3s) });
    const log = path.join(ctx.dir, 'sync.log');
    const plain = await ctx.sync('--go', '--log-file', log);
    const json = await ctx.sync('--go', '--json');
    assert.equal(plain.code, 1, show(plain));
    const logText = readFileSync(log, 'utf8');
    const secrets = ctx.farm.printers.flatMap((p) => [p.credentials.password, ...(p.credentials.apiKey ? [p.credentials.apiKey] : [])]);
    for (const [where, text] of [
      ['stdout', plain.stdout],
      ['stderr', plain.stderr],
      ['log file', logText],
      ['JSON stdout', json.stdout],
      ['JSON stderr', json.stderr],
    ] as const) {
      assert.doesNotMatch(text, RAW_CONTROL, `a raw control byte in ${where}:\n${text}`);
      for (const secret of secrets) assert.ok(!text.includes(secret), `a password appears in ${where}`);
    }
    // The local name, escaped, in the per-file problem line; the printer's text, escaped and redacted.
    assert.match(plain.stderr, /^mk4: cannot sync evil\\x1b\[2J\\rmk4: in sync\\n\.gcode: /m);
    assert.match(
      plain.stderr,
      /^mk4: FAILED to upload good\.gcode: upload of good\.gcode refused: 409 File busy \\x1b\]0;owned\\x07 \\x00 X-Api-Key: \*\*\* password=\*\*\* mk4: in sync/m,
    );
    assert.match(logText, /mk3s: FAILED to upload good\.gcode: .*X-Api-Key: \*\*\* password=\*\*\*/);
    // JSON keeps the exact name (JSON escapes it) and only the secrets are hidden.
    const events = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, any>);
    assert.ok(
      events.some((e) => e['type'] === 'plan' && e['problems'].some((p: { path: string }) => p.path === EVIL)),
      'JSON keeps the exact name',
    );
    const failed = events.find((e) => e['type'] === 'action-failed' && e['printer'] === 'mk4');
    assert.match(failed?.['error'].message, /File busy \u001b\]0;owned\u0007 \u0000 X-Api-Key: \*\*\* password=\*\*\*/);
  });
});

describe('an error line naming a hostile local name', { timeout: 60_000 }, () => {
  const ctx = useFarm([{ name: 'mk4', model: 'MK4' }], { 'good.gcode': gcode('good', 300) });

  test('a FIFO named with ESC and LF stops the run with exit 2, the name escaped', {
    timeout: 30_000,
    skip: process.platform === 'win32' ? 'no FIFOs on Windows' : undefined,
  }, async () => {
    execFileSync('mkfifo', [path.join(ctx.master, 'pipe\u001b]0;x\u0007\n.gcode')]);
    const run = await ctx.sync('--go');
    assert.equal(run.code, 2, show(run));
    assert.doesNotMatch(run.stderr, RAW_CONTROL);
    assert.match(
      run.stderr,
      /^link-sync: error: cannot sync pipe\\x1b\]0;x\\x07\\n\.gcode in source folder .*: it is a FIFO \(named pipe\), not a regular file/,
    );
    assert.deepEqual(ctx.printer('mk4').requests(), []);
  });
});

describe('adopt only what was checked', { timeout: 180_000 }, () => {
  const SAME = gcode('ours', 1000);
  const master = { 'other-size.gcode': gcode('ours, long', 1500), 'same-size.gcode': SAME };
  const ctx = useFarm(
    [
      { name: 'mk4', model: 'MK4' },
      { name: 'mk3s', model: 'MK3S' },
    ],
    master,
  );

  test('a printer copy of another size is replaced; one of the same size is recorded unverified, and replaced by the next --checksum', {
    timeout: 90_000,
  }, async () => {
    const future = Math.floor(Date.now() / 1000) + 3600;
    const theirs = SAME.replace('ours', 'THEM');
    assert.equal(theirs.length, SAME.length);
    for (const p of ctx.farm.printers) {
      // Newer on the printer than here: the time rule alone would call both "same".
      p.seed('other-size.gcode', gcode('theirs', 700), { mTimestamp: future });
      p.seed('same-size.gcode', theirs, { mTimestamp: future });
    }
    const first = await ctx.sync('--go');
    assert.equal(first.code, 0, show(first));
    for (const p of ctx.farm.printers) {
      assert.equal(p.readFile('other-size.gcode')?.toString(), master['other-size.gcode'], `${p.name}: a different size is replaced`);
      assert.equal(p.readFile('same-size.gcode')?.toString(), theirs, `${p.name}: same size, kept`);
      const entries = ctx.record(p).storages[p.storage]!;
      assert.equal(entries['same-size.gcode']?.['unverified'], true, `${p.name}: recorded as adopted, unverified`);
      assert.equal(entries['other-size.gcode']?.['unverified'], undefined, `${p.name}: the replaced file is verified`);
    }
    assert.match(first.stdout, /mk4: replaced other-size\.gcode/);

    const plain = await ctx.sync('--go');
    assert.match(plain.stdout, /mk4: 0 missing to upload, 0 stale to refresh/);
    const checked = await ctx.sync('--go', '--checksum');
    assert.equal(checked.code, 0, show(checked));
    for (const p of ctx.farm.printers) {
      assert.equal(p.readFile('same-size.gcode')?.toString(), SAME, `${p.name}: --checksum replaced the unverified copy`);
      assert.equal(ctx.record(p).storages[p.storage]!['same-size.gcode']?.['unverified'], undefined, `${p.name}: now verified`);
    }
    assert.match(checked.stdout, /mk3s: replaced same-size\.gcode/);
  });
});

describe('deletions held for another destination', { timeout: 180_000 }, () => {
  const ctx = useFarm(
    [
      { name: 'mk4', model: 'MK4' },
      { name: 'mk3s', model: 'MK3S' },
    ],
    { 'a.gcode': gcode('a', 500), 'parts/b.gcode': gcode('b', 400) },
  );

  test('-d farm, then a run without -d: the farm files are held and explained; with --delete-other-destinations they go', {
    timeout: 90_000,
  }, async () => {
    const first = await ctx.sync('-d', 'farm', '--go');
    assert.equal(first.code, 0, show(first));
    const second = await ctx.sync('--go');
    assert.equal(second.code, 0, show(second));
    for (const p of ctx.farm.printers) {
      assert.ok(p.readFile('farm/a.gcode') && p.readFile('farm/parts/b.gcode'), `${p.name}: the farm files are kept`);
      assert.ok(p.readFile('a.gcode'), `${p.name}: the run without -d synced its own files`);
      assert.match(
        second.stderr,
        new RegExp(
          `^warning: ${p.name}: 2 deletions held: 2 placed by a sync to -d /${p.storage}/farm, inside this run's destination the root of /${p.storage} \\(to sync that folder, run with -d /${p.storage}/farm; to delete them, run again with --delete-other-destinations\\)$`,
          'm',
        ),
      );
      assert.match(second.stdout, new RegExp(`^${p.name}: held: 2 deletions held for another destination`, 'm'));
    }
    const busyFails = await ctx.sync('--go', '--fail-on-busy');
    assert.equal(busyFails.code, 1, 'held counts as busy with --fail-on-busy');

    const third = await ctx.sync('--go', '--delete-other-destinations');
    assert.equal(third.code, 0, show(third));
    for (const p of ctx.farm.printers) {
      assert.equal(p.readFile('farm/a.gcode'), undefined, p.name);
      assert.equal(p.readFile('farm/parts/b.gcode'), undefined, p.name);
      assert.ok(p.readFile('parts/b.gcode'), p.name);
      assert.match(third.stdout, new RegExp(`^${p.name}: in sync`, 'm'));
    }
  });
});

describe('deletions held for a sync scoped with -r', { timeout: 120_000 }, () => {
  const ctx = useFarm([{ name: 'mk4', model: 'MK4' }], {
    'a.gcode': gcode('a', 500),
    'parts/b.gcode': gcode('b', 400),
    'parts/c.gcode': gcode('c', 300),
  });

  test('-s master/parts -r master, then a run of another master: the parts files are held, as after -d parts', {
    timeout: 60_000,
  }, async () => {
    const run = (...args: string[]) => runCli(['-c', ctx.config, '--state-dir', ctx.state, ...args], { cwd: ctx.dir });
    const scoped = await run('-s', path.join(ctx.master, 'parts'), '-r', ctx.master, '--go');
    assert.equal(scoped.code, 0, show(scoped));
    const mk4 = ctx.printer('mk4');
    assert.ok(mk4.readFile('parts/b.gcode') && mk4.readFile('parts/c.gcode'), 'the scoped run placed its files under parts/');
    const other = path.join(ctx.dir, 'other');
    writeTree(other, { 'z.gcode': gcode('z', 200) });
    const wider = await run('-s', other, '--go');
    assert.equal(wider.code, 0, show(wider));
    assert.ok(mk4.readFile('parts/b.gcode') && mk4.readFile('parts/c.gcode'), "the scoped run's files are kept");
    assert.match(
      wider.stderr,
      /^warning: mk4: 2 deletions held: 2 placed by a sync to -d \/usb\/parts, inside this run's destination the root of \/usb/m,
    );
  });
});

describe('two config entries for one printer', { timeout: 120_000 }, () => {
  const ctx = useFarm([{ name: 'mk4', model: 'MK4' }], { 'a.gcode': gcode('a', 500), 'parts/b.gcode': gcode('b', 400) });

  test('the entry that reaches it second is not synced: nothing either placed is deleted by the other; exit 1', {
    timeout: 60_000,
  }, async () => {
    const mk4 = ctx.printer('mk4');
    // The same printer by IP and by name, one entry syncing into farm/, the other the whole stick.
    const byName = configYaml([mk4]).replace(/^mk4:/m, 'mk4-root:').replace('127.0.0.1', 'localhost');
    const byIp = configYaml([mk4]).replace(/^mk4:/m, 'mk4-farm:').concat('  destination: farm\n');
    writeFileSync(ctx.config, byIp + byName, { mode: 0o600 });
    for (let i = 0; i < 2; i++) {
      const run = await ctx.sync('--go');
      assert.equal(run.code, 1, show(run));
      assert.match(run.stderr, /(mk4-root|mk4-farm): FAILED: it is the same printer as (mk4-farm|mk4-root) in the config \(serial:/);
      assert.deepEqual(
        mk4.requests().filter((r) => r.method === 'DELETE'),
        [],
        'neither entry deletes what the other placed',
      );
    }
  });
});

describe('a local folder with nothing in it (a share not mounted)', { timeout: 120_000 }, () => {
  const ctx = useFarm(
    [
      { name: 'mk4', model: 'MK4' },
      { name: 'mk3s', model: 'MK3S' },
    ],
    { 'top.gcode': gcode('top', 300), 'parts/a.gcode': gcode('a', 500), 'parts/b.gcode': gcode('b', 400) },
  );

  test("holds the deletion of the printers' files under it until the folder is gone; then they go", { timeout: 60_000 }, async () => {
    assert.equal((await ctx.sync('--go')).code, 0);
    const parts = path.join(ctx.master, 'parts');
    rmSync(parts, { recursive: true });
    mkdirSync(parts);
    const held = await ctx.sync('--go');
    assert.equal(held.code, 0, show(held));
    for (const p of ctx.farm.printers) {
      assert.ok(p.readFile('parts/a.gcode') && p.readFile('parts/b.gcode'), `${p.name}: kept`);
      assert.match(
        held.stderr,
        new RegExp(
          `^warning: ${p.name}: 2 deletions held: the local folder .*parts is empty, as a share that is not mounted looks \\(mount it and run again; if it was emptied on purpose, remove the folder, then run again\\)$`,
          'm',
        ),
      );
      assert.match(held.stdout, new RegExp(`^${p.name}: held: 2 deletions held under an empty local folder`, 'm'));
    }
    rmSync(parts, { recursive: true });
    const emptied = await ctx.sync('--go');
    assert.equal(emptied.code, 0, show(emptied));
    for (const p of ctx.farm.printers) {
      assert.equal(p.readFile('parts/a.gcode'), undefined, p.name);
      assert.ok(p.readFile('top.gcode'), p.name);
    }
  });
});

describe('upload confirmation', { timeout: 60_000 }, () => {
  const ctx = useFarm([{ name: 'mk3s', model: 'MK3S' }], { 'a.gcode': gcode('a', 500), 'b.gcode': gcode('b', 500) });

  test('a 2xx upload the printer then does not list is a failed action, not recorded, and withholds deletions', {
    timeout: 30_000,
  }, async () => {
    const pi = ctx.printer('mk3s');
    pi.seed('old.gcode', gcode('old', 200));
    // Not found however often it is looked for (a file list that merely lags is test/reliability/pi-tree-lag.test.ts).
    pi.inject({ kind: 'status', status: 404, method: 'GET', pathPrefix: '/api/v1/files/local/a.gcode' });
    const run = await ctx.sync('--go');
    assert.equal(run.code, 1, show(run));
    assert.match(
      run.stderr,
      /^mk3s: FAILED to upload a\.gcode: upload of a\.gcode: the printer acknowledged the upload but does not list the file/m,
    );
    const entries = ctx.record(pi).storages['local'] ?? {};
    assert.equal(entries['a.gcode'], undefined, 'not recorded');
    assert.ok(entries['b.gcode'], 'the confirmed upload is recorded');
    assert.ok(pi.readFile('old.gcode'), 'deletions withheld after the failure');
  });
});
