// End to end: `sync --wait-busy`: a printing printer is synced at the first poll after its print
// ends; the others at once; one still busy at the deadline counts as busy. And bad input for the
// waiting and watching flags: one line, exit 2, no request sent.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { gcode, remoteTree } from '../helpers/fixtures.js';
import { useWorkspace } from '../helpers/workspace.js';
import { repoRoot, runCli } from '../helpers/cli.js';

const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schema/events.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ strict: true, validateFormats: false, allErrors: true }).compile(schema);

describe('sync --wait-busy', { timeout: 120_000 }, () => {
  const ws = useWorkspace({
    printers: [
      { name: 'busy', model: 'MK4S' },
      { name: 'idle', model: 'MK3S' },
    ],
    master: { 'one.gcode': gcode('one'), 'parts/two.gcode': gcode('two') },
  });

  test('a printer that finishes its print is synced at the next poll, then the run ends in sync', async () => {
    const busy = ws.printer('busy');
    busy.seed('printing.gcode', gcode('printing'));
    busy.setState('PRINTING', { file: 'printing.gcode', progress: 80 });
    let finished = 0;
    // The print ends once the idle printer is done and the busy one has been polled a few times.
    const endPrint = (async () => {
      const until = Date.now() + 60_000;
      const polls = () => busy.requests().filter((r) => r.target === '/api/v1/status').length;
      while (Date.now() < until && !(remoteTree(ws.printer('idle')).length === 2 && polls() >= 3))
        await new Promise((r) => setTimeout(r, 100));
      finished = Date.now();
      busy.setState('IDLE');
    })();
    const run = await ws.sync('-g', '--wait-busy', '1m', '--poll-ms', '100', '--json');
    await endPrint;
    assert.equal(run.code, 0, run.stderr);
    assert.ok(finished > 0, 'the run ended before the print did');
    for (const p of ws.farm.printers)
      assert.deepEqual(
        remoteTree(p).filter((f) => f !== 'printing.gcode'),
        ['one.gcode', 'parts/two.gcode'],
        p.name,
      );
    // The idle printer did not wait for the busy one.
    const idlePut = ws
      .printer('idle')
      .requests()
      .find((r) => r.method === 'PUT');
    assert.ok(idlePut && idlePut.startedAt < finished, 'the idle printer waited for the busy one');
    const log = busy.requests().filter((r) => r.startedAt >= finished);
    const firstPut = log.findIndex((r) => r.method === 'PUT');
    assert.ok(firstPut >= 0, 'no upload after the print ended');
    const polls = log.slice(0, firstPut).filter((r) => r.target === '/api/v1/status');
    assert.ok(polls.length <= 2, `the sync waited ${polls.length} status reads after the print ended`);
    for (const line of run.stdout.trim().split('\n')) assert.ok(validate(JSON.parse(line)), `not an event of the schema: ${line}`);
    const events = run.stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            type: string;
            printer?: string;
            state?: string;
            summary?: { printers: Array<{ printer: string; outcome: string }> };
          },
      );
    assert.ok(events.some((e) => e.type === 'printer-state' && e.printer === 'busy' && e.state === 'IDLE'));
    const summary = events.find((e) => e.type === 'run-done')!.summary!;
    assert.deepEqual(
      summary.printers.map((r) => [r.printer, r.outcome]),
      [
        ['busy', 'in-sync'],
        ['idle', 'in-sync'],
      ],
    );
  });

  test('a printer still busy when the time is up counts as busy', async () => {
    const busy = ws.printer('busy');
    busy.seed('printing.gcode', gcode('printing'));
    busy.setState('PRINTING', { file: 'printing.gcode' });
    const run = await ws.sync('-g', '--wait-busy', '400ms', '--poll-ms', '100');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /busy: skipped: printer is PRINTING; still busy after waiting 400 ms/);
    assert.deepEqual(remoteTree(busy), ['printing.gcode']);
    const failing = await ws.sync('-g', '--wait-busy', '400ms', '--poll-ms', '100', '--fail-on-busy');
    assert.equal(failing.code, 1);
  });
});

describe('sync --wait-busy stopped while it waits', { timeout: 60_000 }, () => {
  const ws = useWorkspace({
    printers: [
      { name: 'busy', model: 'MK4S' },
      { name: 'idle', model: 'MK3S' },
    ],
    master: { 'one.gcode': gcode('one') },
  });

  test('the waited-for printer ends interrupted, not skipped as busy; exit 130', async () => {
    const busy = ws.printer('busy');
    busy.seed('printing.gcode', gcode('printing'));
    busy.setState('PRINTING', { file: 'printing.gcode' });
    const stop = new AbortController();
    const running = runCli(['-c', ws.config, '-s', ws.master, '-g', '--wait-busy', '30s', '--poll-ms', '100'], {
      cwd: ws.dir,
      signal: stop.signal,
    });
    // Once the idle printer is synced and the busy one polled, the run only waits.
    const until = Date.now() + 20_000;
    while (Date.now() < until && !(remoteTree(ws.printer('idle')).length === 1 && busy.requests().length > 6)) {
      await new Promise((r) => setTimeout(r, 50));
    }
    stop.abort();
    const run = await running;
    assert.equal(run.code, 130, run.stderr);
    assert.match(run.stdout + run.stderr, /busy: INTERRUPTED while waiting for it to be free \(printer is PRINTING\)/);
    assert.doesNotMatch(run.stdout, /busy: skipped/);
    assert.match(run.stdout, /^busy\s+interrupted\s/m);
    assert.deepEqual(remoteTree(busy), ['printing.gcode']);
  });
});

describe('sync --wait-busy: a printer that is busy again during its sync', { timeout: 120_000 }, () => {
  const ws = useWorkspace({
    printers: [{ name: 'busy', model: 'MK4S' }],
    master: { 'one.gcode': gcode('one', 40_000), 'two.gcode': gcode('two', 40_000) },
  });

  test('is waited for again and synced once it is free, within the same run', async () => {
    const busy = ws.printer('busy');
    busy.seed('printing.gcode', gcode('printing'));
    busy.setState('PRINTING', { file: 'printing.gcode' });
    busy.setRate(20_000);
    const statusReads = () => busy.requests().filter((r) => r.target === '/api/v1/status').length;
    const waitFor = async (what: () => boolean): Promise<void> => {
      const until = Date.now() + 30_000;
      while (Date.now() < until && !what()) await new Promise((r) => setTimeout(r, 20));
    };
    const driver = (async () => {
      await waitFor(() => statusReads() >= 3);
      busy.setState('IDLE');
      // A new print starts while the first upload runs: the sync stops before the second.
      await waitFor(() => busy.requests().some((r) => r.method === 'PUT') || busy.transfer() !== undefined);
      busy.setState('PRINTING', { file: 'printing.gcode' });
      const reads = statusReads();
      await waitFor(() => statusReads() >= reads + 4);
      busy.setState('IDLE');
    })();
    const run = await ws.sync('-g', '--wait-busy', '1m', '--poll-ms', '100');
    await driver;
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stderr, /printer became busy during the sync/);
    assert.deepEqual(remoteTree(busy), ['one.gcode', 'two.gcode']);
    // The summary counts what both syncs did.
    assert.match(run.stdout, /^busy\s+in sync\s+2\s+0\s+1\s/m);
  });
});

describe('sync --wait-busy: a printer busy again during its sync until the time is up', { timeout: 60_000 }, () => {
  const ws = useWorkspace({
    printers: [
      { name: 'busy', model: 'MK4S' },
      { name: 'idle', model: 'MK4S' },
    ],
    master: { 'one.gcode': gcode('one', 40_000), 'two.gcode': gcode('two', 40_000) },
  });

  test('its result says so in the becameBusy field; a printer synced in full has no such field', async () => {
    const busy = ws.printer('busy');
    busy.seed('printing.gcode', gcode('printing'));
    busy.setRate(20_000);
    // A print starts while the first upload runs, and lasts past the end of the run.
    const driver = (async () => {
      const until = Date.now() + 30_000;
      while (Date.now() < until && !busy.requests().some((r) => r.method === 'PUT') && busy.transfer() === undefined)
        await new Promise((r) => setTimeout(r, 20));
      busy.setState('PRINTING', { file: 'printing.gcode' });
    })();
    const run = await ws.sync('-g', '--wait-busy', '3s', '--poll-ms', '100', '--json');
    await driver;
    const events = run.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((line) => {
        const event = JSON.parse(line) as {
          type: string;
          result?: Record<string, unknown>;
          summary?: { printers: Array<Record<string, unknown>> };
        };
        assert.ok(validate(event), `event does not match the schema: ${line}\n${JSON.stringify(validate.errors)}`);
        return event;
      });
    const done = events.filter((e) => e.type === 'printer-done').map((e) => e.result!);
    const stopped = done.find((r) => r['printer'] === 'busy');
    assert.ok(stopped, run.stdout + run.stderr);
    assert.equal(stopped['outcome'], 'failed');
    assert.equal(stopped['becameBusy'], true, JSON.stringify(stopped));
    assert.match(String(stopped['reason']), /printer became busy during the sync/);
    const synced = done.find((r) => r['printer'] === 'idle');
    assert.equal(synced?.['outcome'], 'in-sync', JSON.stringify(synced));
    assert.ok(!('becameBusy' in synced!), JSON.stringify(synced));
    const summary = events.find((e) => e.type === 'run-done')?.summary;
    assert.equal(summary?.printers.find((r) => r['printer'] === 'busy')?.['becameBusy'], true);
    assert.deepEqual(remoteTree(busy), ['one.gcode', 'printing.gcode']);
  });
});

describe('sync --wait-busy: a printer that stops answering while it is waited for', { timeout: 60_000 }, () => {
  const ws = useWorkspace({ printers: [{ name: 'busy', model: 'MK4S' }], master: { 'one.gcode': gcode('one') } });

  test('ends "went offline" (exit 3), not "still busy" (exit 0)', async () => {
    const busy = ws.printer('busy');
    busy.seed('printing.gcode', gcode('printing'));
    busy.setState('PRINTING', { file: 'printing.gcode' });
    const running = ws.sync('-g', '--wait-busy', '5s', '--poll-ms', '100', '--retries', '0');
    // Once it has been polled while printing, the printer goes away for good.
    const until = Date.now() + 20_000;
    while (Date.now() < until && busy.requests().filter((r) => r.target === '/api/v1/status').length < 3) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await busy.close();
    const run = await running;
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.match(run.stderr, /busy: WENT OFFLINE DURING THE SYNC: stopped answering while waited for \(last seen PRINTING\): /);
    assert.doesNotMatch(run.stdout + run.stderr, /still busy/);
    assert.match(run.stdout, /^busy\s+went offline\s/m);
  });
});

describe('bad input for --wait-busy, --interval and --http', { timeout: 60_000 }, () => {
  const ws = useWorkspace({ printers: [{ name: 'p', model: 'MK4S' }], master: { 'one.gcode': gcode('one') } });

  async function refused(args: string[], message: RegExp): Promise<void> {
    const run = await runCli(
      args.map((a) => (a === 'CONFIG' ? ws.config : a === 'MASTER' ? ws.master : a)),
      { cwd: ws.dir, timeoutMs: 20_000 },
    );
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `${args.join(' ')}: more than one line:\n${run.stderr}`);
    assert.match(lines[0]!, message);
    assert.equal(run.stdout, '');
    assert.deepEqual(ws.printer('p').requests(), [], `${args.join(' ')}: a request was sent`);
  }

  const cases: Array<[string, string[], RegExp]> = [
    ['--interval 0', ['watch', '-c', 'CONFIG', '-s', 'MASTER', '--interval', '0'], /--interval.*at least 5 seconds/],
    ['--interval negative', ['watch', '-c', 'CONFIG', '-s', 'MASTER', '--interval', '-5'], /--interval/],
    ['--interval huge', ['watch', '-c', 'CONFIG', '-s', 'MASTER', '--interval', '99999'], /--interval.*at most 3600/],
    ['--interval not a number', ['watch', '-c', 'CONFIG', '-s', 'MASTER', '--interval', 'soon'], /--interval/],
    ['--wait-busy bad unit', ['-c', 'CONFIG', '-s', 'MASTER', '--wait-busy', '2x'], /--wait-busy.*duration such as 2h/],
    ['--wait-busy zero', ['-c', 'CONFIG', '-s', 'MASTER', '--wait-busy', '0s'], /--wait-busy.*more than 0/],
    ['--wait-busy too long', ['-c', 'CONFIG', '-s', 'MASTER', '--wait-busy', '400h'], /--wait-busy.*at most a week/],
    ['--interval without --wait-busy', ['-c', 'CONFIG', '-s', 'MASTER', '--interval', '10'], /--interval is only used with --wait-busy/],
    ['--http bad port', ['watch', '-c', 'CONFIG', '-s', 'MASTER', '--http', '70000'], /--http.*PORT or HOST:PORT/],
    ['--wait-busy on watch', ['watch', '-c', 'CONFIG', '-s', 'MASTER', '--wait-busy', '1h'], /unknown option '--wait-busy'/],
  ];
  for (const [name, args, message] of cases) {
    test(name, () => refused(args, message));
  }

  test('--http on a port in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await refused(
        ['watch', '-c', 'CONFIG', '-s', 'MASTER', '-g', '--http', String(port)],
        new RegExp(`--http 127\\.0\\.0\\.1:${port}: .*already in use`),
      );
    } finally {
      blocker.close();
    }
  });
});
