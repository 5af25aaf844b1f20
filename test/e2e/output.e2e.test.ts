// What people and cron see: the --json stream (checked against schema/events.schema.json), the plain
// lines, --log-file, --quiet, and the exit code each kind of outcome produces.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { perPrinter } from '../helpers/dry-run.js';
import { configYaml, gcode } from '../helpers/fixtures.js';
import { useWorkspace } from '../helpers/workspace.js';
import { closedPort } from '../helpers/ports.js';
import { startCli } from '../reliability/cli-process.js';
import { waitFor } from '../reliability/support.js';

const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schema/events.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ strict: true, validateFormats: false, allErrors: true }).compile(schema);

interface Event {
  type: string;
  [key: string]: unknown;
}

/** Parses an NDJSON stream and checks every line against the schema. */
function parseEvents(stdout: string): Event[] {
  const lines = stdout.split('\n').filter((l) => l !== '');
  assert.ok(lines.length > 0, 'no events on stdout');
  return lines.map((line) => {
    const event = JSON.parse(line) as Event;
    assert.ok(validate(event), `event does not match the schema: ${line}\n${JSON.stringify(validate.errors, null, 1)}`);
    assert.ok(!Number.isNaN(Date.parse(String(event['time']))), `bad time in ${line}`);
    return event;
  });
}

type Result = { printer: string; outcome: string; done: Record<string, number>; failed: number };
const results = (events: Event[]): Map<string, Result> => {
  const done = events.find((e) => e.type === 'run-done');
  assert.ok(done, 'no run-done event');
  const summary = done['summary'] as { printers: Result[] };
  return new Map(summary.printers.map((r) => [r.printer, r]));
};

const MASTER = { 'a.gcode': gcode('a', 3000), 'sub/b.gcode': gcode('b', 2000), 'sub/c.bgcode': gcode('c', 1000) };

describe('run output and exit codes', { timeout: 120_000 }, () => {
  const ws = useWorkspace({
    printers: [
      { name: 'mk4-1', model: 'MK4' },
      { name: 'mini-2', model: 'MINI' },
      { name: 'mk3s-3', model: 'MK3S' },
    ],
    master: MASTER,
  });
  const run = ws.sync;

  test('success: the JSON stream is valid, counts every upload, and the exit code is 0', async () => {
    // The built CLI as cron starts it: the exit code and streams cross a real process boundary.
    const out = await runCli(['-c', ws.config, '-s', ws.master, '--go', '--json'], { cwd: ws.dir, process: true });
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stderr, '', 'human output is off with --json');
    const events = parseEvents(out.stdout);
    assert.equal(events[0]!.type, 'run-start');
    assert.equal(events.at(-1)!.type, 'run-done');
    assert.equal(events.filter((e) => e.type === 'plan').length, 3);
    assert.equal(events.filter((e) => e.type === 'action-done').length, 9);
    for (const [name, r] of results(events)) {
      assert.equal(r.outcome, 'in-sync', name);
      assert.equal(r.done['upload'], 3, name);
    }
  });

  test('a dry run plans with exit code 0 and the plain output has the key lines', async () => {
    const out = await run();
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /^Dry run: nothing will be changed/m);
    // mk4-1 and mini-2 plan the same: shown once, under both names; the Pi's plan on its own.
    assert.match(
      out.stdout,
      /^mk4-1, mini-2 \(same plan\): 3 missing to upload, 0 stale to refresh, 0 files to delete, 0 unchanged \(\/usb\/\); 6\.0 kB to send$/m,
    );
    assert.match(out.stdout, /^ {4}upload sub\/b\.gcode \(2\.0 kB\): missing on printer$/m);
    assert.match(out.stdout, /^mk3s-3: upload sub\/b\.gcode \(2\.0 kB\): missing on printer$/m);
    assert.match(out.stdout, /^printer +result +upload +replace +delete +unchanged +to send +time$/m);
    assert.match(out.stdout, /^mk3s-3 +planned +3 +0 +0 +0 +6\.0 kB /m);
    assert.doesNotMatch(out.stdout + out.stderr, /\u001b\[/, 'no escape codes when not a terminal');
  });

  test('a failed upload: action-failed event, printer failed, others in sync, exit code 1', async () => {
    ws.farm.printers[1]!.inject({ kind: 'storage-full' });
    const out = await run('--go', '--json');
    assert.equal(out.code, 1, out.stderr);
    const events = parseEvents(out.stdout);
    const failed = events.filter((e) => e.type === 'action-failed');
    assert.ok(failed.length >= 1);
    assert.ok(failed.every((e) => e['printer'] === 'mini-2'));
    const byPrinter = results(events);
    assert.equal(byPrinter.get('mini-2')!.outcome, 'failed');
    assert.equal(byPrinter.get('mk4-1')!.outcome, 'in-sync');
    assert.equal(byPrinter.get('mk3s-3')!.outcome, 'in-sync');
  });

  test('an unreachable printer: reported, the others synced, exit code 3', async () => {
    const port = await closedPort();
    appendFileSync(ws.config, `ghost-4:\n  printer_type: MK4\n  host: 127.0.0.1:${port}\n  username: maker\n  password: nothing-here\n`);
    const out = await run('--go', '--json', '--retries', '0');
    assert.equal(out.code, 3, out.stderr);
    const byPrinter = results(parseEvents(out.stdout));
    assert.equal(byPrinter.get('ghost-4')!.outcome, 'unreachable');
    assert.equal(byPrinter.get('mk4-1')!.outcome, 'in-sync');
  });

  test('a busy printer is skipped without failing the run, unless --fail-on-busy', async () => {
    const mini = ws.farm.printers[1]!;
    mini.seed('job.gcode', gcode('job'));
    mini.setState('PRINTING', { file: 'job.gcode' });
    const out = await run('--go', '--json');
    assert.equal(out.code, 0, out.stderr);
    const r = results(parseEvents(out.stdout)).get('mini-2')!;
    assert.equal(r.outcome, 'skipped');
    assert.equal(r.done['upload'], 0);

    const strict = await run('--go', '--fail-on-busy');
    assert.equal(strict.code, 1, strict.stderr);
    assert.match(perPrinter(strict.stdout), /^mini-2: skipped: .*PRINTING/m);
  });

  test('a usage error is one line on stderr with exit code 2, and nothing reaches the printers', async () => {
    const out = await runCli(['-c', ws.config, '-s', path.join(ws.dir, 'no-such-folder')], { cwd: ws.dir, process: true });
    assert.equal(out.code, 2);
    assert.equal(out.stdout, '');
    assert.equal(out.stderr.trimEnd().split('\n').length, 1, out.stderr);
    assert.match(out.stderr, /^link-sync: error: .*no-such-folder/);
    for (const p of ws.farm.printers) assert.deepEqual(p.requests(), []);
  });

  test('--log-file appends time-stamped plain lines and --quiet keeps only problems and the summary', async () => {
    const log = path.join(ws.dir, 'sync.log');
    ws.farm.printers[1]!.inject({ kind: 'storage-full' });
    const out = await run('--go', '--quiet', '--log-file', log);
    assert.equal(out.code, 1);
    assert.doesNotMatch(perPrinter(out.stdout), /uploaded a\.gcode/, '--quiet drops per-file successes');
    assert.match(out.stderr, /mini-2: FAILED to upload/);
    assert.match(perPrinter(out.stdout), /^Summary/m);
    const first = readFileSync(log, 'utf8');
    assert.match(first, /^\d{4}-\d\d-\d\dT[\d:.]+Z mk4-1: uploaded a\.gcode/m, 'the log keeps every line');
    assert.match(first, /Z mini-2: FAILED to upload/);
    await run('--quiet', '--log-file', log);
    const second = readFileSync(log, 'utf8');
    assert.ok(second.startsWith(first) && second.length > first.length, 'the log is appended to');
  });

  test('--verbose shows every request and why each unchanged file is left alone, in plain and JSON output', async () => {
    assert.equal((await run('--go')).code, 0);
    const plain = await run('--verbose', '-p', 'mk4-1');
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(perPrinter(plain.stdout), /^mk4-1: GET \/api\/v1\/status → 200 \(\d+ ms\)$/m);
    assert.match(perPrinter(plain.stdout), /^mk4-1: GET \/api\/v1\/files\/usb\/SUB → 200/m);
    assert.match(perPrinter(plain.stdout), /^mk4-1: same sub\/b\.gcode: .+/m);
    const json = parseEvents((await run('--verbose', '--json', '-p', 'mk4-1')).stdout);
    const requests = json.filter((e) => e.type === 'request');
    assert.ok(
      requests.some((e) => e['method'] === 'GET' && e['target'] === '/api/v1/files/usb'),
      'the root listing is logged',
    );
    const plan = json.find((e) => e.type === 'plan')!;
    assert.deepEqual((plan['same'] as Array<{ path: string }>).map((f) => f.path).sort(), ['a.gcode', 'sub/b.gcode', 'sub/c.bgcode']);
    const quiet = parseEvents((await run('--json', '-p', 'mk4-1')).stdout);
    assert.ok(!quiet.some((e) => e.type === 'request'), 'requests only with --verbose');
  });

  test('a ws.config for these printers never leaks its passwords into any output', async () => {
    const out = await run('--go', '--json');
    const plain = await run('--verbose');
    for (const p of ws.farm.printers) {
      for (const text of [out.stdout, out.stderr, plain.stdout, plain.stderr]) {
        assert.ok(!text.includes(p.credentials.password), `password of ${p.name} leaked`);
      }
    }
    assert.ok(configYaml(ws.farm.printers).includes(ws.farm.printers[0]!.credentials.password), 'the check looks for the real secret');
  });
});

describe('interrupting a run', { timeout: 60_000 }, () => {
  const ws = useWorkspace({
    printers: [{ name: 'slow-1', model: 'MK4', rateBytesPerSec: 20_000 }],
    master: { 'big.gcode': gcode('big', 200_000) },
  });

  test('Ctrl-C mid-upload stops, reports what was not done, and exits 130', async () => {
    // The built CLI gets a real SIGINT once the printer has taken part of the 10 s upload.
    const cli = startCli(['-c', ws.config, '-s', ws.master, '--go'], { cwd: ws.dir });
    await waitFor('the upload under way', () => (ws.farm.printers[0]!.transfer()?.transferred ?? 0) > 0, 30_000);
    cli.child.kill('SIGINT');
    const out = await cli.done;
    assert.equal(out.code, 130, out.stderr);
    assert.match(out.stderr, /slow-1: INTERRUPTED/);
    assert.ok(!ws.farm.printers[0]!.files().some((f) => f.path === 'big.gcode'), 'no partial file under the real name');
  });
});
