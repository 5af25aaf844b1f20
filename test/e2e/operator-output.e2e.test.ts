// What the operator reads, through the real CLI: results a person can act on (credentials refused,
// went offline, not PrusaLink), counts per file, the compact dry run, help, and output channels
// that never decide the run (closed pipe, full disk, log-file errors, no warnings on stderr).

import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, writeFileSync, appendFileSync, readdirSync, openSync, closeSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startFarm, type SimFarm, type SimPrinter, type SimPrinterOptions } from '../../src/simulator/index.js';
import { binPath, repoRoot, runCli } from '../helpers/cli.js';
import { configYaml, gcode, tempDir, writeConfig, writeTree } from '../helpers/fixtures.js';
import { startCli } from '../reliability/cli-process.js';
import { sha256, waitFor } from '../reliability/support.js';

interface Event {
  type: string;
  [key: string]: unknown;
}
const events = (stdout: string): Event[] =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Event);
type Result = { printer: string; outcome: string; problems: number; held: number; otherModel: number; plannedBytes: number };
async function transferPath(p: SimPrinter): Promise<string | undefined> {
  const state = (await (await fetch(`${p.url}/_sim/state`)).json()) as { transfer: { path?: string } | null };
  return state.transfer?.path;
}
const resultsOf = (evs: Event[]): Map<string, Result> =>
  new Map((evs.find((e) => e.type === 'run-done')!['summary'] as { printers: Result[] }).printers.map((r) => [r.printer, r]));

describe('operator output through the CLI', { timeout: 300_000 }, () => {
  let farm: SimFarm | undefined;
  let work: { dir: string; cleanup: () => void } | undefined;
  let extra: Server | undefined;
  afterEach(async () => {
    await farm?.close();
    work?.cleanup();
    if (extra) await new Promise<void>((r) => extra!.close(() => r()));
    farm = undefined;
    work = undefined;
    extra = undefined;
  });

  async function setUp(printers: SimPrinterOptions[], master: Record<string, string>) {
    farm = await startFarm(printers);
    work = tempDir('link-sync-operator-');
    const dir = work.dir;
    writeTree(path.join(dir, 'master'), master);
    const config = writeConfig(dir, farm.printers);
    const env = { XDG_STATE_HOME: path.join(dir, 'state') };
    const run = (...args: string[]) => runCli(['-c', config, '-s', path.join(dir, 'master'), ...args], { cwd: dir, env });
    return { dir, config, env, run, master: path.join(dir, 'master') };
  }

  test('a wrong password reads "credentials refused", apart from unreachable, status once, exit 3', async () => {
    const { dir, run } = await setUp([{ name: 'mk4-1', model: 'MK4' }], { 'a.gcode': gcode('a') });
    const p = farm!.printers[0]!;
    writeFileSync(path.join(dir, 'printers.yml'), configYaml([p]).replace(p.credentials.password, 'wrong-one'), { mode: 0o600 });
    const out = await run();
    assert.equal(out.code, 3, out.stderr);
    assert.match(
      out.stderr,
      /^mk4-1: CREDENTIALS REFUSED when reading the storage list \(401 Unauthorized\) \(check the username and password/m,
    );
    assert.doesNotMatch(out.stderr + out.stdout, /401 401|UNREACHABLE/);
    assert.match(out.stdout, /^mk4-1 +credentials refused /m);
    const json = resultsOf(events((await run('--json')).stdout));
    assert.equal(json.get('mk4-1')!.outcome, 'credentials-refused');
  });

  test('a host answering 404 to everything is "not a PrusaLink printer", exit 3', async () => {
    const { dir, run } = await setUp([{ name: 'mk4-1', model: 'MK4' }], { 'a.gcode': gcode('a') });
    extra = createServer((_req, res) => res.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>Not Found</h1>'));
    await new Promise<void>((r) => extra!.listen(0, '127.0.0.1', r));
    const port = (extra.address() as { port: number }).port;
    appendFileSync(
      path.join(dir, 'printers.yml'),
      `web-2:\n  printer_type: MK4\n  host: 127.0.0.1:${port}\n  username: maker\n  password: x\n`,
    );
    const out = await run();
    assert.equal(out.code, 3, out.stderr);
    assert.match(
      out.stderr,
      /^web-2: NOT A PRUSALINK PRINTER \(the address answers 404 to \/api\/v1\/storage and \/api\/version\) \(check the host in the config/m,
    );
    assert.match(out.stdout, /^web-2 +not PrusaLink /m);
  });

  test('a printer that goes offline during the sync is "went offline", counted with unreachable (exit 3)', async () => {
    const { run } = await setUp(
      [
        { name: 'mk4-1', model: 'MK4', rateBytesPerSec: 40_000 },
        { name: 'mk4-2', model: 'MK4' },
      ],
      {
        'a.gcode': gcode('a', 2_000),
        'big.gcode': gcode('big', 200_000),
        'z.gcode': gcode('z', 2_000),
      },
    );
    const [slow] = farm!.printers as [SimPrinter];
    const running = run('--go', '--json', '--retries', '0');
    await waitFor('the big upload under way', async () => (await transferPath(slow)) === 'big.gcode', 30_000);
    await slow.close();
    const out = await running;
    assert.equal(
      out.code,
      3,
      out.stdout
        .split('\n')
        .filter((l) => /failed|printer-done|warning/.test(l))
        .join('\n'),
    );
    const results = resultsOf(events(out.stdout));
    assert.equal(results.get('mk4-1')!.outcome, 'went-offline');
    assert.equal(results.get('mk4-2')!.outcome, 'in-sync');
    const plain = resultsOf(events(out.stdout));
    assert.ok(plain.size === 2);
  });

  test('one count per file: two problems are one file, held deletions are held, the same numbers everywhere', async () => {
    const longName = `${'a-long-descriptive-name-'.repeat(6)}.gcode`;
    const { run } = await setUp([{ name: 'mk4-1', model: 'MK4' }], {
      'a.gcode': gcode('a'),
      [`deep/${'x'.repeat(40)}/${longName}`]: gcode('long'),
    });
    const p = farm!.printers[0]!;
    for (let i = 1; i <= 6; i++) p.seed(`old-${i}.gcode`, gcode(`old ${i}`, 100));
    const json = events((await run('--json', '--max-delete', '3')).stdout);
    const plan = json.find((e) => e.type === 'plan')!;
    const problems = plan['problems'] as Array<{ path: string }>;
    const holds = plan['holds'] as Array<{ path: string; reason: string }>;
    const done = json.find((e) => e.type === 'printer-done')!['result'] as Result;
    const summary = resultsOf(json).get('mk4-1')!;
    assert.equal(new Set(problems.map((q) => q.path)).size, 1, 'one file cannot be stored');
    assert.equal(holds.filter((h) => h.reason === 'max-delete').length, 6, 'the six refused deletions are listed');
    for (const r of [done, summary]) {
      assert.equal(r.problems, 1);
      assert.equal(r.held, 6);
    }
    const plain = await run('--max-delete', '3');
    assert.equal(plain.code, 1);
    assert.match(plain.stdout, /^printer +result +upload +replace +delete +unchanged +problems +held +to send +time$/m);
    assert.match(plain.stdout, /^mk4-1 +planned +1 +0 +0 +0 +1 +6 +\d/m);
    assert.equal((plain.stderr.match(/mk4-1: cannot sync /g) ?? []).length, 1, plain.stderr);
    assert.match(plain.stdout, /^mk4-1: leaving old-1\.gcode alone \(more deletions than --max-delete allows; it would delete it\)$/m);
    assert.doesNotMatch(plain.stdout + plain.stderr, /file\(s\)|being-printed|1 folders/);
  });

  test('the compact dry run: same plans once, the first few actions, --verbose for all; planned bytes in the summary', async () => {
    const master: Record<string, string> = {};
    for (let i = 1; i <= 9; i++) master[`part-${i}.gcode`] = gcode(`p${i}`, 1000);
    const { run } = await setUp(
      [
        { name: 'mk4-1', model: 'MK4' },
        { name: 'mk4-2', model: 'MK4' },
        { name: 'mk4-3', model: 'MK4' },
        { name: 'mk3s-4', model: 'MK3S' },
      ],
      master,
    );
    const out = await run();
    assert.equal(out.code, 0, out.stderr);
    const lines = out.stdout.split('\n');
    assert.ok(
      lines.includes(
        'mk4-1, mk4-2, mk4-3 (same plan): 9 missing to upload, 0 stale to refresh, 0 files to delete, 0 unchanged (/usb/); 9.1 kB to send',
      ),
      out.stdout,
    );
    assert.equal(lines.filter((l) => /^ {4}upload /.test(l)).length, 5, 'the first five actions of the shared plan');
    assert.ok(lines.includes('    … and 4 more actions (--verbose lists every action)'));
    assert.match(out.stdout, /^mk3s-4: 9 missing to upload/m);
    assert.match(out.stdout, /^mk4-2 +planned +9 +0 +0 +0 +9\.1 kB /m, 'planned bytes in the dry-run summary');
    assert.ok(lines.length < 30, `${lines.length} lines`);
    const verbose = await run('--verbose');
    assert.equal((verbose.stdout.match(/^ {4}upload /gm) ?? []).length, 9);
  });

  test('a clean run of 12 printers prints nothing on stderr, dry run and --go', async () => {
    const printers = Array.from({ length: 12 }, (_, i) => ({ name: `mk4-${i + 1}`, model: 'MK4' as const }));
    const { run } = await setUp(printers, { 'a.gcode': gcode('a'), 'b/c.gcode': gcode('c') });
    for (const args of [[], ['--go'], ['--go']]) {
      const out = await run(...args);
      assert.equal(out.code, 0, out.stderr);
      assert.equal(out.stderr, '', `stderr of ${args.join(' ') || 'the dry run'}`);
    }
  });

  test('--log-file on a full disk: one warning, logging stops, the sync goes on (exit 0)', async () => {
    const { run, master } = await setUp(
      [
        { name: 'mk4-1', model: 'MK4' },
        { name: 'mk3s-2', model: 'MK3S' },
      ],
      { 'a.gcode': gcode('a'), 'b.gcode': gcode('b') },
    );
    const out = await run('--go', '--log-file', '/dev/full');
    assert.equal(out.code, 0, out.stderr);
    assert.equal(
      out.stderr,
      'link-sync: warning: cannot write to --log-file /dev/full (no space left on the device); logging stopped, the sync goes on\n',
    );
    for (const p of farm!.printers) assert.equal(p.readFile('a.gcode')?.toString(), readFileSync(path.join(master, 'a.gcode'), 'utf8'));
  });

  test('--log-file ends each run with its exit code and counts, or with the error that refused it', async () => {
    const { run, dir } = await setUp([{ name: 'mk4-1', model: 'MK4' }], { 'a.gcode': gcode('a') });
    const log = path.join(dir, 'sync.log');
    assert.equal((await run('--go', '--log-file', log)).code, 0);
    assert.equal((await run('-d', 'farm/../..', '--log-file', log)).code, 2);
    const ends = readFileSync(log, 'utf8')
      .trimEnd()
      .split('\n')
      .filter((l) => l.includes('run ended'));
    assert.equal(ends.length, 2, ends.join('\n'));
    assert.match(
      ends[0]!,
      /Z run ended: exit 0; printers: 1 in sync; files: 1 uploaded, 0 replaced, 0 deleted, 0 failed, 0 problems, 0 held$/,
    );
    assert.match(ends[1]!, /Z run ended: exit 2; -d "farm\/\.\.\/\.\.": "\.\." is not allowed \(give a folder inside the printer storage/);
  });

  test('a closed stdout pipe stops the run like SIGTERM: exit 130, no stack trace, lock released, printers consistent', async () => {
    const master: Record<string, string> = { 'big.gcode': gcode('big', 300_000) };
    for (let i = 10; i < 40; i++) master[`small-${i}.gcode`] = gcode(`s${i}`, 1_000);
    const { config, env, dir } = await setUp(
      [
        { name: 'slow-1', model: 'MK4', rateBytesPerSec: 40_000 },
        { name: 'chatty-2', model: 'MK4' },
      ],
      master,
    );
    const [slow, chatty] = farm!.printers as [SimPrinter, SimPrinter];
    // The second printer takes its time over each file, so result lines keep coming while the first uploads.
    chatty.inject({ kind: 'delay', ms: 250, method: 'PUT' });
    const cli = startCli(['-c', config, '-s', path.join(dir, 'master'), '--go'], { cwd: dir, env });
    await waitFor('the big upload under way', async () => (await transferPath(slow)) === 'big.gcode', 30_000);
    cli.child.stdout!.destroy();
    const out = await cli.done;
    assert.equal(out.code, 130, out.stderr);
    assert.match(out.stderr, /^link-sync: stdout was closed \(EPIPE\): stopping cleanly; nothing new is started$/m);
    assert.doesNotMatch(out.stderr, /\n\s+at |Unhandled|node:events/, 'no stack trace');
    assert.match(out.stderr, /slow-1: INTERRUPTED/);
    assert.equal(slow.readFile('big.gcode'), undefined, 'the upload under way was aborted');
    assert.ok(chatty.files().length < Object.keys(master).length, 'the rest was not started');
    for (const p of [slow, chatty]) {
      for (const f of p.files()) assert.equal(f.sha256, sha256(master[f.path] ?? ''), `${p.name}: ${f.path} is complete`);
    }
    const stateDir = path.join(env.XDG_STATE_HOME, 'link-sync');
    assert.ok(!readdirSync(stateDir).some((f) => f.endsWith('.lock')), 'the lock is released');
  });

  test('stdout on a full disk (/dev/full): one warning on stderr, the sync goes on, exit 0, lock released', async () => {
    const master: Record<string, string> = {};
    for (let i = 0; i < 12; i++) master[`part-${i}.gcode`] = gcode(`p${i}`, 2_000);
    const { config, env, dir } = await setUp(
      [
        { name: 'mk4-1', model: 'MK4' },
        { name: 'xl-2', model: 'XL' },
      ],
      master,
    );
    const full = openSync('/dev/full', 'w');
    try {
      for (const mode of [['--go'], []]) {
        const child = spawn(process.execPath, [binPath, '-c', config, '-s', path.join(dir, 'master'), ...mode], {
          cwd: dir,
          env: { ...process.env, ...env },
          stdio: ['ignore', full, 'pipe'],
        });
        let stderr = '';
        child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
        assert.equal(code, 0, stderr);
        assert.equal(
          stderr,
          'link-sync: warning: cannot write to stdout (no space left on the device); the sync goes on, its output is lost\n',
          'one warning, no stack trace',
        );
      }
    } finally {
      closeSync(full);
    }
    for (const p of farm!.printers) {
      assert.equal(p.files().length, Object.keys(master).length, `${p.name} has every file`);
      for (const f of p.files()) assert.equal(f.sha256, sha256(master[f.path]!), `${p.name}: ${f.path} is complete`);
    }
    const stateDir = path.join(env.XDG_STATE_HOME, 'link-sync');
    assert.ok(!readdirSync(stateDir).some((f) => f.endsWith('.lock')), 'the lock is released');
  });

  test('problems on a Buddy with a long folder name name the long path, the short one in parentheses', async () => {
    const { run } = await setUp([{ name: 'mk4-1', model: 'MK4' }], { 'Long Folder Name/new.gcode': gcode('new') });
    const p = farm!.printers[0]!;
    p.seed('farm/Long Folder Name/old.gcode', gcode('old'));
    const dry = await run('-d', 'farm');
    const requested = /^mk4-1: delete Long Folder Name\/old\.gcode: .*requested as (\/usb\/FARM\/[A-Z0-9~]+\/[A-Z0-9~.]+)\)$/m.exec(
      dry.stdout,
    );
    assert.ok(requested, dry.stdout);
    assert.match(requested[1]!, /~1/, 'the simulated Buddy gives the folder a short name');
    p.inject({ kind: 'status', status: 400, method: 'DELETE', message: 'refused for the test' });
    const out = await run('-d', 'farm', '--go');
    assert.equal(out.code, 1, out.stderr);
    const text = out.stdout + out.stderr;
    assert.match(
      text,
      new RegExp(`deletion of Long Folder Name/old\\.gcode \\(requested as ${requested[1]!.replace(/[.~]/g, '\\$&')}\\) refused`),
    );
    // The short name appears only inside the parentheses.
    for (const line of text.split('\n').filter((l) => l.includes('~1'))) assert.match(line, /\(requested as [^)]*~1/, line);
    assert.ok(p.readFile('farm/Long Folder Name/new.gcode'), 'the upload into the long-named folder went through');
  });

  test('--timeout is capped with a clear usage error, no Node warning', async () => {
    const { run } = await setUp([{ name: 'mk4-1', model: 'MK4' }], { 'a.gcode': gcode('a') });
    const out = await run('--timeout', '3000000');
    assert.equal(out.code, 2);
    assert.equal(
      out.stderr,
      "link-sync: error: option '--timeout <SECONDS>' argument '3000000' is invalid. must be at most 3600 seconds (1 hour) (see link-sync --help)\n",
    );
    assert.equal((await run('--timeout', '3600')).code, 0);
  });

  test('state_dir in the config is where the record goes; printers with files but no record are said in one warning naming each', async () => {
    const { run, dir, config } = await setUp(
      [
        { name: 'mk4-1', model: 'MK4' },
        { name: 'mk4-2', model: 'MK4' },
      ],
      { 'a.gcode': gcode('a') },
    );
    writeFileSync(config, `state_dir: farm-state\n${readFileSync(config, 'utf8')}`);
    assert.equal((await run('--go')).code, 0);
    assert.ok(
      readdirSync(path.join(dir, 'farm-state')).some((f) => f.endsWith('.json')),
      'records in the config state_dir',
    );
    const elsewhere = await run('--state-dir', path.join(dir, 'other'));
    assert.equal(elsewhere.code, 0);
    const said = elsewhere.stderr.split('\n').filter((l) => l.includes('no sync record for'));
    assert.equal(said.length, 1, elsewhere.stderr);
    assert.equal(
      said[0]!,
      `warning: no sync record for mk4-1 and mk4-2 in ${path.join(dir, 'other')}: judging by time; is this the state folder you meant? (set state_dir in the config or --state-dir)`,
    );
    assert.equal((await run()).stderr, '', 'the config state_dir knows the files');
    assert.ok(existsSync(path.join(dir, 'farm-state')));
  });
});

describe('help that matches', { timeout: 60_000 }, () => {
  test('--help lists the subcommands; help, help simulate, demo --help print help and start nothing', async () => {
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /link-sync simulate \[options\]/);
    assert.match(help.stdout, /link-sync demo /);
    for (const command of ['status', 'watch', 'pull']) assert.match(help.stdout, new RegExp(`link-sync ${command} \\[options\\]`));
    const plain = await runCli(['help']);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout, help.stdout);
    const sim = await runCli(['help', 'simulate']);
    assert.equal(sim.code, 0);
    assert.match(sim.stdout, /Usage: link-sync simulate/);
    assert.doesNotMatch(sim.stdout, /Simulated printers on/);
    const demo = await runCli(['demo', '--help']);
    assert.equal(demo.code, 0);
    assert.match(demo.stdout, /^Usage: link-sync demo/);
    assert.doesNotMatch(demo.stdout, /mk4s-1/);
    const unknown = await runCli(['help', 'sink']);
    assert.equal(unknown.code, 2);
  });

  test("every flag's help text is the README's, word for word", async () => {
    const help = (await runCli(['--help'])).stdout.replace(/\s+/g, ' ');
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('### Flags'), readme.indexOf('Other commands:'));
    const rows = [...table.matchAll(/^\| `([^|]+)` \| (.*) \|$/gm)].filter((m) => !m[1]!.includes('--help'));
    assert.ok(rows.length >= 20, `${rows.length} rows`);
    for (const [, flag, text] of rows) {
      const plain = text!.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1').replace(/`/g, '');
      assert.ok(help.includes(plain), `${flag}: the help does not say "${plain}"`);
    }
  });
});
