// End to end: `link-sync watch` against simulated printers, with short polling and settle times:
// new files reach idle printers, half-written files wait, a print that ends gets its files at the
// next poll, a printer that comes back is synced, and SIGTERM stops cleanly. One case runs the built CLI
// and signals it; the others call main() in this process and stop it as bin.ts does on a signal.

import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { startFarm, startPrinter, type SimPrinter } from '../../src/simulator/index.js';
import { repoRoot } from '../helpers/cli.js';
import { startCli, type BackgroundCli } from '../helpers/background.js';
import { configYaml, gcode, remoteTree, tempDir, writeTree } from '../helpers/fixtures.js';
import { acquireStateLock } from '../../src/record/lock.js';

const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schema/events.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ strict: true, validateFormats: false, allErrors: true }).compile(schema);

/** Short times so the tests run in seconds; the command line never allows polling this fast. */
const FAST = ['--poll-ms', '300', '--settle-ms', '400'];

interface Event {
  type: string;
  [key: string]: unknown;
}

function events(cli: BackgroundCli): Event[] {
  return cli
    .stdout()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((line) => {
      const event = JSON.parse(line) as Event;
      assert.ok(validate(event), `event does not match the schema: ${line}\n${JSON.stringify(validate.errors)}`);
      return event;
    });
}

const has = (printer: SimPrinter, rel: string) => remoteTree(printer).includes(rel);

const statusSchema = JSON.parse(readFileSync(path.join(repoRoot, 'schema/status.schema.json'), 'utf8')) as object;
const validateStatus = new Ajv2020({ strict: true, validateFormats: false, allErrors: true }).compile(statusSchema);

/** The little of a GET /api/farm row these tests read. */
interface FarmRow {
  name: string;
  state: string | null;
  pending: { inSync: boolean } | null;
  error: { code: string; status?: number } | null;
  activity?: string;
  behindMaster?: boolean;
}

// The cases run at once: each has its own farm, folder and watch, and mostly waits for polls.
describe('link-sync watch', { timeout: 120_000, concurrency: true }, () => {
  /** A farm, a master folder and a config for one test; everything is stopped and removed after it. */
  async function setUp(t: TestContext, printers: Parameters<typeof startFarm>[0], master: Record<string, string>, configExtra = '') {
    const farm = await startFarm(printers);
    const work = tempDir();
    const extra: SimPrinter[] = [];
    let cli: BackgroundCli | undefined;
    t.after(async () => {
      await cli?.stop('SIGKILL');
      await farm.close();
      for (const p of extra) await p.close();
      work.cleanup();
    });
    const dir = work.dir;
    writeTree(path.join(dir, 'master'), master);
    writeFileSync(path.join(dir, 'printers.yml'), configYaml(farm.printers) + configExtra, { mode: 0o600 });
    return {
      dir,
      farm,
      /** Printers started by the test itself, closed after it. */
      extra,
      master: path.join(dir, 'master'),
      state: path.join(dir, 'state'),
      /** `link-sync watch` in this process; `process: true` starts the built CLI (signals, exit code); `plain: true` drops --json. */
      watch: (args: string[], options: { process?: boolean; plain?: boolean } = {}): BackgroundCli =>
        (cli = startCli(['watch', '-c', 'printers.yml', '-s', 'master', ...(options.plain ? [] : ['--json']), ...FAST, ...args], {
          cwd: dir,
          env: { XDG_STATE_HOME: path.join(dir, 'state') },
          ...(options.process ? { process: true } : {}),
        })),
    };
  }

  test('a file added to the master reaches every idle printer, and SIGTERM stops with exit 0', async (t) => {
    const ws = await setUp(
      t,
      [
        { name: 'a', model: 'MK4S' },
        { name: 'b', model: 'XL' },
        { name: 'c', model: 'MK3S' },
      ],
      { 'one.gcode': gcode('one') },
    );
    // The built CLI: the signal and the exit code are the process's.
    const cli = ws.watch(['--go'], { process: true });
    for (const p of ws.farm.printers) await cli.waitFor(`${p.name} has one.gcode`, () => has(p, 'one.gcode'));
    writeTree(ws.master, { 'parts/two.gcode': gcode('two', 5000) });
    for (const p of ws.farm.printers) await cli.waitFor(`${p.name} has parts/two.gcode`, () => has(p, 'parts/two.gcode'));
    for (const p of ws.farm.printers) assert.equal(p.readFile('parts/two.gcode')?.toString(), gcode('two', 5000));
    await cli.waitFor('source-changed event', () => events(cli).some((e) => e.type === 'source-changed'));
    const end = await cli.stop('SIGTERM');
    assert.equal(end.code, 0, cli.stderr());
    assert.ok(
      events(cli).some((e) => e.type === 'run-done'),
      'no run-done event at the stop',
    );
    assert.ok(!existsSync(path.join(ws.state, 'link-sync', 'link-sync.lock')), 'the lock was not released');
  });

  test('a file written slowly is sent only once it is complete', async (t) => {
    const ws = await setUp(
      t,
      [
        { name: 'a', model: 'MK4S' },
        { name: 'c', model: 'MK3S' },
      ],
      { 'one.gcode': gcode('one') },
    );
    const cli = ws.watch(['--go']);
    for (const p of ws.farm.printers) await cli.waitFor(`${p.name} has one.gcode`, () => has(p, 'one.gcode'));
    const file = path.join(ws.master, 'slow.gcode');
    const full = gcode('slow', 16_000);
    const chunks = 10;
    const size = Math.ceil(full.length / chunks);
    writeFileSync(file, '');
    for (let i = 0; i < chunks; i++) {
      appendFileSync(file, full.slice(i * size, (i + 1) * size));
      await new Promise((r) => setTimeout(r, 150));
    }
    const writeEnd = Date.now();
    for (const p of ws.farm.printers) await cli.waitFor(`${p.name} has slow.gcode`, () => has(p, 'slow.gcode'));
    for (const p of ws.farm.printers) {
      assert.equal(p.readFile('slow.gcode')?.toString(), full, `${p.name} got a different slow.gcode`);
      const puts = p.requests().filter((r) => r.method === 'PUT' && r.target.includes('slow'));
      assert.equal(puts.length, 1, `${p.name}: one upload of slow.gcode expected`);
      assert.ok(puts[0]!.startedAt >= writeEnd, `${p.name}: slow.gcode was sent while it was still being written`);
    }
  });

  test('a printer that finishes its print gets the changes at the next poll; the others at once', async (t) => {
    const ws = await setUp(
      t,
      [
        { name: 'busy', model: 'MK4S' },
        { name: 'idle', model: 'XL' },
      ],
      { 'one.gcode': gcode('one') },
    );
    const busy = ws.farm.printers[0]!;
    busy.seed('printing.gcode', gcode('printing'));
    busy.setState('PRINTING', { file: 'printing.gcode', progress: 30 });
    const cli = ws.watch(['--go']);
    await cli.waitFor('idle printer synced', () => has(ws.farm.printers[1]!, 'one.gcode'));
    await cli.waitFor('state event for the busy printer', () =>
      events(cli).some((e) => e.type === 'printer-state' && e['printer'] === 'busy' && e['state'] === 'PRINTING'),
    );
    assert.ok(!has(busy, 'one.gcode'), 'a printing printer was synced');
    assert.ok(has(busy, 'printing.gcode'), 'the printed file was touched');
    const finished = Date.now();
    busy.setState('IDLE');
    await cli.waitFor('busy printer synced after its print', () => has(busy, 'one.gcode'));
    const log = busy.requests().filter((r) => r.startedAt >= finished);
    const firstPut = log.findIndex((r) => r.method === 'PUT');
    const polls = log.slice(0, firstPut).filter((r) => r.method === 'GET' && r.target === '/api/v1/status');
    // One poll sees it free; the sync reads the state once more before it plans.
    assert.ok(polls.length <= 2, `the sync waited ${polls.length} status reads after the print ended`);
    const states = events(cli).filter((e) => e.type === 'printer-state' && e['printer'] === 'busy');
    assert.deepEqual(
      states.map((e) => e['state']),
      ['PRINTING', 'IDLE'],
    );
    assert.equal(states[1]!['previous'], 'PRINTING');
  });

  test('an unreachable printer is retried and synced when it comes back; the others are not held up', async (t) => {
    const password = 'late-printer-pw';
    const late = await startPrinter({ name: 'late', model: 'MK4S', password });
    const port = late.port;
    const lateConfig = `late:\n  printer_type: MK4S\n  host: ${late.url}\n  username: maker\n  password: ${password}\n`;
    // The late printer holds its port until the farm has started, so the farm's printer cannot be given the same one.
    const ws = await setUp(t, [{ name: 'here', model: 'MK4S' }], { 'one.gcode': gcode('one') }, lateConfig);
    await late.close();
    const cli = ws.watch(['--go', '--retries', '0']);
    await cli.waitFor('printer present is synced', () => has(ws.farm.printers[0]!, 'one.gcode'));
    await cli.waitFor('UNREACHABLE event', () =>
      events(cli).some((e) => e.type === 'printer-state' && e['printer'] === 'late' && e['state'] === 'UNREACHABLE'),
    );
    const back = await startPrinter({ name: 'late', model: 'MK4S', password, port });
    ws.extra.push(back);
    await cli.waitFor('printer back is synced', () => has(back, 'one.gcode'));
    assert.equal(back.readFile('one.gcode')?.toString(), gcode('one'));
    // In sync, then gone again, and back with an empty storage (a new stick): planned and filled again.
    const downs = () =>
      events(cli).filter((e) => e.type === 'printer-state' && e['printer'] === 'late' && e['state'] === 'UNREACHABLE').length;
    await back.close();
    ws.extra.splice(ws.extra.indexOf(back), 1);
    await cli.waitFor('second UNREACHABLE event', () => downs() === 2);
    const again = await startPrinter({ name: 'late', model: 'MK4S', password, port });
    ws.extra.push(again);
    await cli.waitFor('printer back again is synced again', () => has(again, 'one.gcode'));
  });

  test('without --go it only shows what it would do, once per change', async (t) => {
    const ws = await setUp(t, [{ name: 'a', model: 'MK4S' }], { 'one.gcode': gcode('one') });
    const cli = ws.watch([]);
    await cli.waitFor('a plan', () => events(cli).some((e) => e.type === 'plan'));
    // Several polls later: no second plan for the same master, nothing sent.
    const polls = () => ws.farm.printers[0]!.requests().filter((r) => r.target === '/api/v1/status').length;
    const before = polls();
    await cli.waitFor('three more polls', () => polls() >= before + 3);
    assert.equal(events(cli).filter((e) => e.type === 'plan').length, 1);
    assert.deepEqual(
      ws.farm.printers[0]!.requests().filter((r) => ['PUT', 'DELETE', 'POST'].includes(r.method)),
      [],
    );
    assert.equal((await cli.stop('SIGINT')).code, 0);
  });

  test('a log written to the master all the time does not hold the syncs back', async (t) => {
    const ws = await setUp(t, [{ name: 'a', model: 'MK4S' }], { 'one.gcode': gcode('one') });
    const cli = ws.watch(['--go']);
    const printer = ws.farm.printers[0]!;
    await cli.waitFor('first sync', () => has(printer, 'one.gcode'));
    // As `date >> notes.txt` in a loop, and an editor's swap file: far more often than the settle time.
    let n = 0;
    const churn = setInterval(() => {
      appendFileSync(path.join(ws.master, 'notes.txt'), `line ${n++}\n`);
      writeFileSync(path.join(ws.master, '.two.gcode.swp'), String(n));
    }, 50);
    t.after(() => clearInterval(churn));
    // The log is already changing when the new file comes, and goes on changing until it is synced.
    await cli.waitFor('the log written ten times', () => n >= 10);
    writeTree(ws.master, { 'two.gcode': gcode('two') });
    const before = n;
    await cli.waitFor('two.gcode synced while notes.txt keeps changing', () => has(printer, 'two.gcode'));
    assert.ok(n > before, 'the log was not written meanwhile');
  });

  /** `watch --http 0` started by `ws.watch`: GET /api/farm's row for one printer, checked against the schema. */
  async function farmRow(cli: BackgroundCli, printer: string): Promise<FarmRow> {
    // On stderr with --json, on stdout with plain lines.
    await cli.waitFor('the farm page address', () => /Farm page: (\S+)\//.test(cli.stderr() + cli.stdout()));
    const doc = (await (await fetch(`${/Farm page: (\S+)\//.exec(cli.stderr() + cli.stdout())![1]!}/api/farm`)).json()) as {
      printers: FarmRow[];
    };
    assert.ok(validateStatus(doc), `GET /api/farm does not match the schema: ${JSON.stringify(validateStatus.errors)}`);
    return doc.printers.find((r) => r.name === printer)!;
  }

  /** Writes files into the master and waits until watch has taken the change in (its source-changed event). */
  async function changeMaster(cli: BackgroundCli, master: string, files: Record<string, string>): Promise<void> {
    const changes = () => events(cli).filter((e) => e.type === 'source-changed').length;
    const before = changes();
    writeTree(master, files);
    await cli.waitFor('source-changed event', () => changes() > before);
  }

  /** Resolves once the printer has answered (or failed) `count` more state reads. */
  async function statusReads(cli: BackgroundCli, printer: SimPrinter, count: number): Promise<void> {
    const reads = () => printer.requests().filter((r) => r.method === 'GET' && r.target === '/api/v1/status').length;
    const until = reads() + count;
    await cli.waitFor(`${count} more state reads`, () => reads() >= until);
  }

  test('a printer that prints while the master changes is shown behind the master, not in sync, until it is synced', async (t) => {
    const ws = await setUp(t, [{ name: 'a', model: 'MK4S' }], { 'one.gcode': gcode('one') });
    const printer = ws.farm.printers[0]!;
    const cli = ws.watch(['--go', '--http', '0']);
    await cli.waitFor('first sync', () => has(printer, 'one.gcode'));
    await cli.waitFor('in sync on the page', async () => (await farmRow(cli, 'a')).activity === 'in sync');
    printer.setState('PRINTING', { file: 'one.gcode', progress: 10 });
    await cli.waitFor('PRINTING on the page', async () => (await farmRow(cli, 'a')).state === 'PRINTING');
    await changeMaster(cli, ws.master, { 'two.gcode': gcode('two') });
    await statusReads(cli, printer, 2);
    const behind = await farmRow(cli, 'a');
    assert.equal(behind.behindMaster, true, JSON.stringify(behind));
    assert.equal(behind.pending, null, 'the plan from before the change is still shown');
    assert.equal(behind.activity, 'waiting until it is free (master changed since last sync)');
    assert.ok(!has(printer, 'two.gcode'), 'a printing printer was synced');
    printer.setState('IDLE');
    await cli.waitFor('synced once free', () => has(printer, 'two.gcode'));
    await cli.waitFor('in sync on the page again', async () => {
      const row = await farmRow(cli, 'a');
      return row.activity === 'in sync' && row.behindMaster === false && row.pending?.inSync === true;
    });
  });

  test('a printer that does not answer when the master changes is shown behind the master until it is back and synced', async (t) => {
    const password = 'gone-printer-pw';
    const gone = await startPrinter({ name: 'gone', model: 'MK4S', password });
    const port = gone.port;
    const goneConfig = `gone:\n  printer_type: MK4S\n  host: ${gone.url}\n  username: maker\n  password: ${password}\n`;
    const ws = await setUp(t, [{ name: 'here', model: 'MK4S' }], { 'one.gcode': gcode('one') }, goneConfig);
    ws.extra.push(gone);
    const cli = ws.watch(['--go', '--http', '0', '--retries', '0']);
    await cli.waitFor('in sync on the page', async () => (await farmRow(cli, 'gone')).activity === 'in sync');
    await gone.close();
    ws.extra.splice(ws.extra.indexOf(gone), 1);
    await cli.waitFor('unreachable on the page', async () => (await farmRow(cli, 'gone')).error?.code === 'PRINTER_UNREACHABLE');
    await changeMaster(cli, ws.master, { 'two.gcode': gcode('two') });
    const behind = await farmRow(cli, 'gone');
    assert.equal(behind.behindMaster, true, JSON.stringify(behind));
    assert.equal(behind.pending, null, 'the plan from before the change is still shown');
    await cli.waitFor('the activity says the master changed', async () =>
      /^retrying in \d+ s \(master changed since last sync\)$/.test((await farmRow(cli, 'gone')).activity ?? ''),
    );
    const back = await startPrinter({ name: 'gone', model: 'MK4S', password, port });
    ws.extra.push(back);
    await cli.waitFor('synced when back', () => has(back, 'two.gcode'));
    await cli.waitFor('in sync on the page again', async () => {
      const row = await farmRow(cli, 'gone');
      return row.activity === 'in sync' && row.behindMaster === false && row.pending?.inSync === true;
    });
  });

  /** A watch of printers a (printing) and b (idle), both synced once, stopped by SIGTERM after a master change that only b got. */
  async function stopWhileBehind(t: TestContext, options: { plain?: boolean }) {
    const ws = await setUp(
      t,
      [
        { name: 'a', model: 'MK4S' },
        { name: 'b', model: 'MK4S' },
      ],
      { 'one.gcode': gcode('one') },
    );
    const [busy, idle] = ws.farm.printers as [SimPrinter, SimPrinter];
    const cli = ws.watch(['--go', '--http', '0'], options);
    for (const p of ws.farm.printers)
      await cli.waitFor(`${p.name} in sync on the page`, async () => (await farmRow(cli, p.name)).activity === 'in sync');
    busy.setState('PRINTING', { file: 'one.gcode', progress: 10 });
    await cli.waitFor('PRINTING on the page', async () => (await farmRow(cli, 'a')).state === 'PRINTING');
    writeTree(ws.master, { 'two.gcode': gcode('two') });
    await cli.waitFor('the idle printer gets the change', () => has(idle, 'two.gcode'));
    await cli.waitFor('the busy printer shown behind the master', async () => (await farmRow(cli, 'a')).behindMaster === true);
    await cli.waitFor('the idle printer in sync again', async () => (await farmRow(cli, 'b')).activity === 'in sync');
    assert.ok(!has(busy, 'two.gcode'), 'a printing printer was synced');
    const end = await cli.stop('SIGTERM');
    assert.equal(end.code, 0, cli.stderr());
    return cli;
  }

  test('the closing summary says a printer the master changed for while it printed is behind the master', async (t) => {
    const cli = await stopWhileBehind(t, { plain: true });
    const summary = cli.stdout().slice(cli.stdout().lastIndexOf('Summary ('));
    const row = (name: string) => summary.split('\n').find((l) => l.startsWith(`${name} `)) ?? '';
    assert.match(row('a'), /^a\s+behind the master\s/, summary);
    assert.match(row('b'), /^b\s+in sync\s/, summary);
  });

  test('the closing run-done event marks a printer the master changed for while it printed with behindMaster', async (t) => {
    const cli = await stopWhileBehind(t, {});
    const done = events(cli).find((e) => e.type === 'run-done');
    assert.ok(done, 'no run-done event');
    const results = (done['summary'] as { printers: Array<{ printer: string; outcome: string; behindMaster?: boolean }> }).printers;
    assert.deepEqual(
      results.map((r) => [r.printer, r.outcome, r.behindMaster]),
      [
        ['a', 'in-sync', true],
        ['b', 'in-sync', false],
      ],
    );
  });

  test('the closing summary lists a printer never synced while watched, and why: busy, or not answering', async (t) => {
    const gone = `gone:\n  printer_type: MK4\n  host: http://127.0.0.1:1\n  username: maker\n  password: any-password\n`;
    const ws = await setUp(
      t,
      [
        { name: 'a', model: 'MK4S' },
        { name: 'b', model: 'MK4S' },
      ],
      { 'one.gcode': gcode('one') },
      gone,
    );
    const [busy, idle] = ws.farm.printers as [SimPrinter, SimPrinter];
    busy.seed('one.gcode', gcode('one, old'));
    busy.setState('PRINTING', { file: 'one.gcode', progress: 10 });
    const cli = ws.watch(['--go', '--http', '0', '--retries', '0']);
    await cli.waitFor('the idle printer in sync on the page', async () => (await farmRow(cli, 'b')).activity === 'in sync');
    assert.ok(has(idle, 'one.gcode'));
    await cli.waitFor('the missing printer read', () => events(cli).some((e) => e.type === 'printer-state' && e['printer'] === 'gone'));
    const end = await cli.stop('SIGTERM');
    assert.equal(end.code, 0, cli.stderr());
    const done = events(cli).find((e) => e.type === 'run-done');
    assert.ok(done, 'no run-done event');
    const results = (done['summary'] as { printers: Array<{ printer: string; outcome: string; reason?: string }> }).printers;
    assert.deepEqual(
      results.map((r) => [r.printer, r.outcome]),
      [
        ['a', 'skipped'],
        ['b', 'in-sync'],
        ['gone', 'unreachable'],
      ],
    );
    assert.match(results[0]!.reason ?? '', /^not synced while watched; its last state: PRINTING$/);
    assert.match(results[2]!.reason ?? '', /^not synced while watched: .*gone/);
  });

  test('a printer answering its state reads with 503 is a printer error, not unreachable', async (t) => {
    const ws = await setUp(t, [{ name: 'a', model: 'MK4S' }], { 'one.gcode': gcode('one') });
    const printer = ws.farm.printers[0]!;
    const cli = ws.watch(['--go', '--http', '0', '--retries', '0']);
    await cli.waitFor('first sync', () => has(printer, 'one.gcode'));
    printer.inject({ kind: 'status', status: 503, pathPrefix: '/api/v1/status', message: 'Busy' });
    const states = () => events(cli).filter((e) => e.type === 'printer-state' && e['printer'] === 'a');
    await cli.waitFor('a state event after the 503', () => states().length >= 2);
    const failed = states()[1]!;
    assert.equal(failed['state'], 'PRINTER ERROR (HTTP 503)');
    assert.equal(failed['previous'], 'IDLE');
    assert.deepEqual([(failed['error'] as { code: string }).code, (failed['error'] as { status: number }).status], ['PRINTER_HTTP', 503]);
    const row = await farmRow(cli, 'a');
    assert.equal(row.state, null);
    assert.equal(row.error?.status, 503);
    printer.clearFaults();
    await cli.waitFor('IDLE again on the page', async () => (await farmRow(cli, 'a')).state === 'IDLE');
    assert.deepEqual(
      states().map((e) => e['state']),
      ['IDLE', 'PRINTER ERROR (HTTP 503)', 'IDLE'],
    );
  });

  test('a printer that refuses the credentials reads REFUSED LOGIN, not unreachable', async (t) => {
    const locked = await startPrinter({ name: 'locked', model: 'MK4', password: 'the-right-one' });
    const lockedConfig = `locked:\n  printer_type: MK4\n  host: ${locked.url}\n  username: maker\n  password: not-the-password\n`;
    const ws = await setUp(t, [{ name: 'a', model: 'MK4S' }], { 'one.gcode': gcode('one') }, lockedConfig);
    ws.extra.push(locked);
    const cli = ws.watch(['--go', '--http', '0', '--retries', '0']);
    const states = () => events(cli).filter((e) => e.type === 'printer-state' && e['printer'] === 'locked');
    await cli.waitFor('a state event for the locked printer', () => states().length >= 1);
    assert.equal(states()[0]!['state'], 'REFUSED LOGIN');
    assert.equal((states()[0]!['error'] as { code: string }).code, 'PRINTER_AUTH');
    await cli.waitFor('refused on the page', async () => (await farmRow(cli, 'locked')).error?.code === 'PRINTER_AUTH');
    assert.equal(has(locked, 'one.gcode'), false);
  });

  /** Syncs of one printer (printer-done events) while it answers `polls` more state reads. */
  async function syncsDuring(cli: BackgroundCli, printer: SimPrinter, polls: number): Promise<Event[]> {
    const reads = () => printer.requests().filter((r) => r.method === 'GET' && r.target === '/api/v1/status').length;
    const until = reads() + polls;
    const before = events(cli).filter((e) => e.type === 'printer-done').length;
    await cli.waitFor(`${polls} state reads`, () => reads() >= until);
    return events(cli)
      .filter((e) => e.type === 'printer-done')
      .slice(before);
  }

  test('a sync that keeps failing is tried again with a growing wait, and at once when the master changes', async (t) => {
    const ws = await setUp(t, [{ name: 'a', model: 'MK4S' }], { 'one.gcode': gcode('one') });
    const printer = ws.farm.printers[0]!;
    printer.inject({ kind: 'storage-full' });
    const cli = ws.watch(['--go', '--poll-ms', '100']);
    await cli.waitFor('a failed sync', () => events(cli).some((e) => e.type === 'printer-done'));
    // A retry every interval would be about one sync per two state reads (the poll's and the sync's).
    const syncs = await syncsDuring(cli, printer, 40);
    assert.ok(
      syncs.every((e) => (e['result'] as { outcome: string }).outcome === 'failed'),
      JSON.stringify(syncs),
    );
    assert.ok(syncs.length <= 8, `${syncs.length} syncs in 40 state reads: no backoff`);
    printer.clearFaults();
    writeTree(ws.master, { 'two.gcode': gcode('two') });
    await cli.waitFor('the master change is synced', () => has(printer, 'one.gcode') && has(printer, 'two.gcode'));
  });

  test('a held printer is not synced again every interval, but as soon as its job changes', async (t) => {
    const ws = await setUp(t, [{ name: 'a', model: 'MK4S' }], { 'one.gcode': gcode('one, new', 5000) });
    const printer = ws.farm.printers[0]!;
    // Finished printing the old one.gcode: its job keeps that file, so the new copy waits.
    printer.seed('one.gcode', gcode('one, old'));
    printer.setState('FINISHED', { file: 'one.gcode', progress: 100 });
    const cli = ws.watch(['--go', '--poll-ms', '100']);
    await cli.waitFor('a held sync', () => events(cli).some((e) => e.type === 'printer-done'));
    const syncs = await syncsDuring(cli, printer, 40);
    assert.ok(
      syncs.every((e) => (e['result'] as { outcome: string }).outcome === 'held'),
      JSON.stringify(syncs),
    );
    assert.ok(syncs.length <= 8, `${syncs.length} syncs in 40 state reads of a held printer`);
    printer.setState('IDLE');
    await cli.waitFor('the new copy once the job is gone', () => printer.readFile('one.gcode')?.toString() === gcode('one, new', 5000));
  });

  test('twelve printers start without a listener leak warning', async (t) => {
    const specs = Array.from({ length: 12 }, (_, i) => ({ name: `p${i + 1}`, model: 'MK4S' as const }));
    const ws = await setUp(t, specs, { 'one.gcode': gcode('one') });
    // The built CLI: Node prints its warnings to the process's stderr.
    const cli = ws.watch(['--go'], { process: true });
    for (const p of ws.farm.printers) await cli.waitFor(`${p.name} has one.gcode`, () => has(p, 'one.gcode'));
    const polls = () => ws.farm.printers[0]!.requests().filter((r) => r.target === '/api/v1/status').length;
    const before = polls();
    await cli.waitFor('two more polls', () => polls() >= before + 2);
    assert.equal((await cli.stop('SIGTERM')).code, 0, cli.stderr());
    assert.doesNotMatch(cli.stderr(), /MaxListenersExceededWarning|memory leak/);
  });

  test('a state folder locked by another run: no farm page is announced', async (t) => {
    const ws = await setUp(t, [{ name: 'a', model: 'MK4S' }], { 'one.gcode': gcode('one') });
    const lock = await acquireStateLock(path.join(ws.state, 'link-sync'));
    t.after(() => lock.release());
    const cli = ws.watch(['--go', '--http', '0']);
    const end = await cli.exited;
    assert.equal(end.code, 2, cli.stderr());
    assert.match(cli.stderr(), /lock/i);
    assert.doesNotMatch(cli.stdout() + cli.stderr(), /Farm page/);
    assert.deepEqual(ws.farm.printers[0]!.requests(), []);
  });

  /** Starts a watch that uploads a small file, then a big one slowly; stops it mid-upload (SIGTERM's abort). */
  async function stopMidUpload(t: TestContext) {
    const ws = await setUp(t, [{ name: 'slow', model: 'MK4S', rateBytesPerSec: 100_000 }], {
      'a-small.gcode': gcode('small', 3000),
      'z-big.gcode': gcode('big', 12_000_000),
    });
    const printer = ws.farm.printers[0]!;
    const cli = ws.watch(['--go']);
    await cli.waitFor('the big upload has started', () => transferRunning(printer), 30_000);
    await cli.waitFor('the printer has taken some of it', async () => (await transferred(printer)) > 20_000, 30_000);
    const end = await cli.stop('SIGTERM');
    return { ws, cli, printer, end };
  }

  test('SIGTERM mid-upload: exit 0, the run marked interrupted, the record saved, the lock released', async (t) => {
    const { ws, cli, end } = await stopMidUpload(t);
    assert.equal(end.code, 0, cli.stderr());
    const done = events(cli).find((e) => e.type === 'run-done');
    assert.ok(done, 'no run-done event');
    assert.equal((done['summary'] as { interrupted: boolean }).interrupted, true);
    const records = readdirSync(path.join(ws.state, 'link-sync'));
    assert.ok(!records.includes('link-sync.lock'), 'the lock was not released');
    const record = records.find((f) => f.endsWith('.json'));
    assert.ok(record, `no sync record saved (${records.join(', ')})`);
    assert.match(readFileSync(path.join(ws.state, 'link-sync', record), 'utf8'), /a-small\.gcode/);
  });

  test('SIGTERM mid-upload: the printer drops the transfer at once and keeps no part of the file', async (t) => {
    const { printer } = await stopMidUpload(t);
    const until = Date.now() + 5000;
    while ((await transferRunning(printer)) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    assert.ok(!(await transferRunning(printer)), 'the printer still runs the transfer 5 s after the stop');
    assert.ok(!has(printer, 'z-big.gcode'), 'the interrupted upload was stored');
  });
});

async function transferRunning(printer: SimPrinter): Promise<boolean> {
  return (await transferState(printer)) !== null;
}

async function transferred(printer: SimPrinter): Promise<number> {
  return (await transferState(printer))?.transferred ?? 0;
}

/** The simulator's view of the transfer, from its control API. */
async function transferState(printer: SimPrinter): Promise<{ transferred: number } | null> {
  const res = await fetch(`${printer.url}/_sim/state`);
  const body = (await res.json()) as { transfer: { transferred: number } | null };
  return body.transfer;
}
