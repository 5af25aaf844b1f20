// `link-sync pull` from a printer that refuses the credentials: the result says so, with the fix,
// apart from a printer that does not answer; exit 3 as for sync; the other printers are still read.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { repoRoot, runCli, type CliRun } from '../helpers/cli.js';
import { configYaml, gcode } from '../helpers/fixtures.js';
import { useWorkspace } from '../helpers/workspace.js';

const T = { timeout: 60_000 };
const validate = new Ajv2020({ strict: true, validateFormats: false, allErrors: true }).compile(
  JSON.parse(readFileSync(path.join(repoRoot, 'schema/pull-events.schema.json'), 'utf8')) as object,
);
const MK4 = 'mk4-login';
const MK3 = 'mk3-login';

const ws = useWorkspace({
  printers: [
    { name: MK4, model: 'MK4' },
    { name: MK3, model: 'MK3S' },
  ],
  master: { 'kept.gcode': gcode('kept', 500) },
});

const pull = (...args: string[]): Promise<CliRun> =>
  runCli(['pull', '-c', ws.config, '-s', ws.master, '--retries', '0', ...args], {
    cwd: ws.dir,
    env: { XDG_STATE_HOME: path.join(ws.dir, 'state') },
  });
const show = (run: CliRun): string => `exit ${run.code}\n${run.stdout}\n${run.stderr}`;

/** The printer-done results of a --json run, each line checked against the schema. */
function results(run: CliRun): Map<string, { outcome: string; error?: { code: string } }> {
  const lines = run.stdout.split('\n').filter(Boolean);
  for (const line of lines) assert.ok(validate(JSON.parse(line)), `${line}\n${JSON.stringify(validate.errors)}`);
  const done = lines.map((l) => JSON.parse(l) as { type: string; result?: { printer: string; outcome: string } });
  return new Map(done.filter((e) => e.type === 'printer-done').map((e) => [e.result!.printer, e.result!]));
}

describe('pull from a printer that refuses the credentials', () => {
  test('a wrong password reads "credentials refused" with the fix, not unreachable; exit 3', T, async () => {
    const mk4 = ws.printer(MK4);
    ws.printer(MK3).seed('pi.gcode', gcode('pi', 2000));
    writeFileSync(ws.config, configYaml(ws.farm.printers).replace(mk4.credentials.password, 'wrong-one'), { mode: 0o600 });

    const run = await pull('--go');
    assert.equal(run.code, 3, show(run));
    assert.match(
      run.stderr,
      /^mk4-login: CREDENTIALS REFUSED when reading the storage list \(401 Unauthorized\) \(check the username and password .*in the config\)$/m,
    );
    assert.doesNotMatch(run.stderr + run.stdout, /UNREACHABLE|unreachable|wrong-one/);
    assert.match(run.stdout, /^mk4-login +credentials refused +0 /m);
    assert.equal(readFileSync(path.join(ws.master, 'pi.gcode'), 'utf8'), gcode('pi', 2000), 'the other printer is pulled');

    const json = results(await pull('--json'));
    assert.equal(json.get(MK4)?.outcome, 'credentials-refused');
    assert.equal(json.get(MK4)?.error?.code, 'PRINTER_AUTH');
  });

  test('a download refused with 403 after the listing: the same result, no file', T, async () => {
    const mk4 = ws.printer(MK4);
    mk4.seed('a.gcode', gcode('a', 1500));
    mk4.seed('b.gcode', gcode('b', 1500));
    mk4.inject({ kind: 'status', status: 403, method: 'GET', pathPrefix: '/usb/' });

    const json = results(await pull('--go', '--json'));
    assert.equal(json.get(MK4)?.outcome, 'credentials-refused');
    assert.equal(json.get(MK3)?.outcome, 'nothing');

    const run = await pull('--go');
    assert.equal(run.code, 3, show(run));
    assert.match(run.stderr, /^mk4-login: CREDENTIALS REFUSED when .*\(403 .*\(check the username and password /m);
    assert.match(run.stdout, /^mk4-login +credentials refused /m);
    assert.equal(existsSync(path.join(ws.master, 'a.gcode')), false);
    assert.equal(existsSync(path.join(ws.master, 'b.gcode')), false);
  });
});
