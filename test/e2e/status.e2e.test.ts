// End to end: `link-sync status` on a mixed farm (printing, idle in sync, idle with pending changes,
// unreachable, wrong password, answering 503, not a PrusaLink printer): the table, the --json document against its schema, the exit code,
// and that it changes nothing.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { startFarm, type SimFarm } from '../../src/simulator/index.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { closedPort } from '../helpers/ports.js';
import { configYaml, gcode, tempDir, writeTree } from '../helpers/fixtures.js';

const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schema/status.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ strict: true, validateFormats: false, allErrors: true }).compile(schema);
const MASTER = { 'one.gcode': gcode('one'), 'parts/two.gcode': gcode('two') };
const MUTATING = new Set(['PUT', 'POST', 'DELETE']);

interface Row {
  name: string;
  model: string;
  answered: boolean;
  state: string | null;
  job: { file?: string; progress?: number } | null;
  storage: { name: string; freeBytes: number | null } | null;
  pending: { upload: number; replace: number; delete: number; held: number; inSync: boolean } | null;
  lastSync: string | null;
  error: { code: string; message: string; status?: number } | null;
}

describe('link-sync status on a mixed farm', { timeout: 120_000 }, () => {
  let farm: SimFarm;
  let website: Server;
  let work: { dir: string; cleanup: () => void };
  const env = () => ({ XDG_STATE_HOME: path.join(work.dir, 'state') });
  const status = (...args: string[]) => runCli(['status', '-c', 'printers.yml', ...args], { cwd: work.dir, env: env() });

  before(async () => {
    farm = await startFarm([
      { name: 'printing', model: 'MK4S' },
      { name: 'synced', model: 'XL' },
      { name: 'pending', model: 'MK3S' },
      { name: 'locked', model: 'MK4', password: 'the-right-one' },
      { name: 'erring', model: 'MK4S' },
    ]);
    work = tempDir();
    writeTree(path.join(work.dir, 'master'), MASTER);
    const [printing, synced, pending, locked, erring] = farm.printers as [
      (typeof farm.printers)[0],
      (typeof farm.printers)[0],
      (typeof farm.printers)[0],
      (typeof farm.printers)[0],
      (typeof farm.printers)[0],
    ];
    const goodConfig = configYaml([printing, synced, pending]);
    writeFileSync(path.join(work.dir, 'printers.yml'), goodConfig + configYaml([erring]), { mode: 0o600 });
    // Bring three printers in sync with a real sync, so they have a record; then change another.
    const first = await runCli(['-c', 'printers.yml', '-s', 'master', '-p', 'printing', 'synced', 'erring', '-g'], {
      cwd: work.dir,
      env: env(),
    });
    assert.equal(first.code, 0, first.stderr);
    pending.seed('extra.gcode', gcode('extra'));
    printing.setState('PRINTING', { file: 'one.gcode', progress: 37 });
    const unreachable = `gone:\n  printer_type: MK4S\n  host: http://127.0.0.1:${await closedPort()}\n  username: maker\n  password: whatever-it-is\n`;
    const wrong = `locked:\n  printer_type: MK4\n  host: ${locked.url}\n  username: maker\n  password: not-the-password\n`;
    // Restarting, say: it is there, but every state read is 503.
    erring.inject({ kind: 'status', status: 503, pathPrefix: '/api/v1/status', message: 'Busy' });
    // A wrong port: some other web server, 404 to everything.
    website = createServer((_req, res) => res.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>Not Found</h1>'));
    await new Promise<void>((resolve) => website.listen(0, '127.0.0.1', resolve));
    const port = (website.address() as AddressInfo).port;
    const notLink = `website:\n  printer_type: MK4\n  host: http://127.0.0.1:${port}\n  username: maker\n  password: whatever-it-is\n`;
    writeFileSync(path.join(work.dir, 'printers.yml'), goodConfig + unreachable + wrong + configYaml([erring]) + notLink, { mode: 0o600 });
    for (const p of farm.printers) p.clearRequests();
  });

  after(async () => {
    await new Promise((resolve) => website.close(resolve));
    await farm.close();
    work.cleanup();
  });

  test('--json: one document, valid against the schema, one row per printer; exit 3; nothing changed', async () => {
    const run = await status('-s', 'master', '--json');
    assert.equal(run.code, 3, run.stderr);
    const doc = JSON.parse(run.stdout) as { printers: Row[]; source: string };
    assert.ok(validate(doc), JSON.stringify(validate.errors));
    assert.equal(doc.source, path.join(work.dir, 'master'));
    const rows = new Map(doc.printers.map((r) => [r.name, r]));
    assert.deepEqual([...rows.keys()], ['printing', 'synced', 'pending', 'gone', 'locked', 'erring', 'website']);

    const printing = rows.get('printing')!;
    assert.equal(printing.state, 'PRINTING');
    assert.deepEqual(printing.job, { file: 'one.gcode', progress: 37 });
    assert.equal(printing.pending?.inSync, true);
    assert.notEqual(printing.lastSync, null);

    const synced = rows.get('synced')!;
    assert.equal(synced.state, 'IDLE');
    assert.equal(synced.job, null);
    assert.deepEqual(synced.storage, { name: 'usb', freeBytes: null });
    assert.equal(synced.pending?.inSync, true);
    assert.notEqual(synced.lastSync, null);

    const pending = rows.get('pending')!;
    assert.equal(pending.model, 'MK3S');
    assert.equal(pending.pending?.upload, 2);
    assert.equal(pending.pending?.delete, 1);
    assert.equal(pending.pending?.inSync, false);
    assert.equal(pending.lastSync, null);
    assert.ok((pending.storage?.freeBytes ?? 0) > 0, 'a Pi tells its free space');

    const gone = rows.get('gone')!;
    assert.equal(gone.answered, false);
    assert.equal(gone.state, null);
    assert.equal(gone.error?.code, 'PRINTER_UNREACHABLE');

    const locked = rows.get('locked')!;
    assert.equal(locked.answered, false);
    assert.equal(locked.error?.code, 'PRINTER_AUTH');

    const erring = rows.get('erring')!;
    assert.equal(erring.state, null);
    assert.equal(erring.error?.code, 'PRINTER_HTTP');
    assert.equal(erring.error?.status, 503);
    assert.notEqual(erring.lastSync, null, 'its last sync is known once it is identified, though its state is not');

    const website = rows.get('website')!;
    assert.equal(website.state, null);
    assert.equal(website.error?.code, 'PRINTER_NOT_PRUSALINK');

    for (const p of farm.printers) {
      assert.deepEqual(
        p.requests().filter((r) => MUTATING.has(r.method)),
        [],
        `${p.name} got a mutating request`,
      );
    }
    // One glance, one set of reads: the plan reuses the state and storage answers of the row.
    for (const p of farm.printers.slice(0, 3)) {
      const reads = (target: string) => p.requests().filter((r) => r.target === target && r.status === 200).length;
      assert.equal(reads('/api/v1/status'), 1, `${p.name}: status read more than once`);
      assert.ok(reads('/api/v1/storage') <= 1, `${p.name}: storage list read more than once`);
    }
    assert.ok(!run.stdout.includes('not-the-password') && !run.stdout.includes('whatever-it-is'), 'a password in the output');
  });

  test('the table: one row per printer with state, job and pending, then the errors', async () => {
    const run = await status('-s', 'master');
    assert.equal(run.code, 3, run.stderr);
    const lines = run.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^printer\s+model\s+state\s+job\s+free\s+pending\s+last sync$/);
    assert.match(run.stdout, /^printing\s+MK4S\s+PRINTING\s+one\.gcode 37%\s+-\s+in sync\s+just now$/m);
    assert.match(run.stdout, /^synced\s+XL\s+IDLE\s+-\s+-\s+in sync\s+just now$/m);
    assert.match(run.stdout, /^pending\s+MK3S\s+IDLE\s+-\s+15\.0 GB\s+2 to upload, 1 to delete\s+never$/m);
    assert.match(run.stdout, /^gone\s+MK4S\s+UNREACHABLE\s+-\s+-\s+-\s+-$/m);
    assert.match(run.stdout, /^locked\s+MK4\s+REFUSED LOGIN\s+/m);
    assert.match(run.stdout, /^erring\s+MK4S\s+PRINTER ERROR \(HTTP 503\)\s+-\s+-\s+-\s+just now$/m);
    assert.match(run.stdout, /^erring: .*503 Busy/m);
    assert.match(run.stdout, /^website\s+MK4\s+NOT PRUSALINK\s+-\s+-\s+-\s+-$/m);
    assert.match(run.stdout, /^website: .*not a PrusaLink printer/m);
    assert.match(run.stdout, /^gone: .*\S/m);
    assert.match(run.stdout, /^locked: .*(credential|password|401)/im);
  });

  test('without -s: no pending column; only answering printers selected: exit 0', async () => {
    const run = await status('-p', 'printing', 'synced');
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout.split('\n')[0]!, /pending/);
    assert.equal(run.stdout.trimEnd().split('\n').length, 3);
  });
});
