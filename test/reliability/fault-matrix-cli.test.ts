// The fault-matrix rows that need the real CLI: Ctrl-C and SIGTERM mid-upload (the process, its
// output and exit code), and a faulty run whose every output is searched for the passwords.

import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startFarm, type SimFarm, type SimPrinter } from '../../src/simulator/index.js';
import { runCli } from '../helpers/cli.js';
import { configYaml, gcode, tempDir, writeConfig, writeTree } from '../helpers/fixtures.js';
import { startCli } from './cli-process.js';
import { assertNoSecrets, secrets, sha256, waitFor } from './support.js';

const ROW = { timeout: 60_000 };

const MASTER = {
  'a.gcode': gcode('a', 2_000),
  'big.gcode': gcode('big', 300_000),
  'z-last.gcode': gcode('z', 2_000),
};

async function transferOf(p: SimPrinter): Promise<{ path?: string } | null> {
  const state = (await (await fetch(`${p.url}/_sim/state`)).json()) as { transfer: { path?: string } | null };
  return state.transfer;
}

describe('fault matrix through the CLI', { timeout: 180_000 }, () => {
  let farm: SimFarm | undefined;
  let work: { dir: string; cleanup: () => void } | undefined;
  afterEach(async () => {
    await farm?.close();
    work?.cleanup();
    farm = undefined;
    work = undefined;
  });

  async function setUp(rateBytesPerSec?: number): Promise<{ master: string; config: string; env: Record<string, string> }> {
    const rate = rateBytesPerSec === undefined ? {} : { rateBytesPerSec };
    farm = await startFarm([
      { name: 'mk4-a', model: 'MK4', password: 'mk4-secret-Pa55word', ...rate },
      { name: 'mk3s-c', model: 'MK3S', password: 'mk3s-secret-Pa55word', ...rate },
    ]);
    work = tempDir('link-sync-reliability-cli-');
    const master = path.join(work.dir, 'master');
    writeTree(master, MASTER);
    return { master, config: writeConfig(work.dir, farm.printers), env: { XDG_STATE_HOME: path.join(work.dir, 'state') } };
  }

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const label = { SIGINT: 'F19 Ctrl-C (SIGINT)', SIGTERM: 'F20 SIGTERM', SIGHUP: 'F20b SIGHUP (the terminal closed)' }[signal];
    test(`${label} mid-upload: starts nothing new, aborts the upload, says what was and was not done, exits 130`, ROW, async () => {
      const { master, config, env } = await setUp(40_000);
      const log = path.join(work!.dir, 'sync.log');
      const cli = startCli(['-c', config, '-s', master, '--go', '--log-file', log], { cwd: work!.dir, env });
      const [mk4, mk3s] = farm!.printers as [SimPrinter, SimPrinter];
      await waitFor('the big upload under way', async () => (await transferOf(mk4))?.path === 'big.gcode', 30_000);
      cli.child.kill(signal);
      const out = await cli.done;
      assert.equal(out.code, 130, out.stderr);
      assert.match(out.stderr, new RegExp(`${signal} received: stopping cleanly`));
      assert.match(out.stderr, /mk4-a: FAILED to upload big\.gcode: (printer mk4-a: )?upload of big\.gcode interrupted/);
      assert.match(out.stderr, /mk4-a: INTERRUPTED: 1 uploaded, .*, 1 not run/);
      assert.match(out.stderr, /warning: mk4-a: not done \(interrupted\): upload z-last\.gcode/);
      assert.match(out.stdout, /mk4-a: uploaded a\.gcode/);
      assert.ok(mk4.readFile('a.gcode'), 'mk4-a kept what was done');
      assert.equal(mk4.readFile('big.gcode'), undefined, 'the aborted upload left nothing under its name');
      assert.equal(mk4.readFile('z-last.gcode'), undefined, 'nothing new started');
      for (const p of [mk4, mk3s]) {
        for (const f of p.files()) {
          const base = f.path.split('/').pop() ?? '';
          if (p.personality === 'pi' && base.startsWith('.') && base.endsWith('.part')) continue;
          assert.equal(f.sha256, sha256(MASTER[f.path as keyof typeof MASTER] ?? ''), `${p.name}: ${f.path} is complete, not partial`);
        }
        // What the output says was uploaded is there.
        for (const m of out.stdout.matchAll(new RegExp(`^${p.name}: uploaded (\\S+)`, 'gm'))) {
          assert.ok(p.readFile(m[1]!), `${p.name}: ${m[1]} reported uploaded but missing`);
        }
      }
      assert.match(readFileSync(log, 'utf8'), /run ended: exit 130/, 'the log says how the run ended');
      const text = out.stdout + out.stderr + readFileSync(log, 'utf8');
      assertNoSecrets(text, secrets(farm!), 'the output');
    });
  }

  test('a config holding passwords that other users can read gives a warning, not a failure', ROW, async () => {
    const { master, config, env } = await setUp();
    chmodSync(config, 0o644);
    const out = await runCli(['-c', config, '-s', master], { cwd: work!.dir, env });
    assert.equal(out.code, 0, out.stderr);
    assert.match(
      out.stderr,
      /^warning: .*printers\.yml holds a password or API key and other users can read it \(mode 644\): run chmod 600 .*, or use password_env \/ api_key_env$/m,
    );
    assertNoSecrets(out.stdout + out.stderr, secrets(farm!), 'the output');
  });

  test('F21 a faulty run (wrong password, reset upload) leaks no password into stdout, stderr, JSON or the log', ROW, async () => {
    const { master, env } = await setUp();
    const [mk4, mk3s] = farm!.printers as [SimPrinter, SimPrinter];
    const wrong = 'Wr0ng-Pa55word-for-mk3s';
    const config = path.join(work!.dir, 'printers.yml');
    writeFileSync(config, configYaml([mk4]) + configYaml([mk3s]).replace(mk3s.credentials.password, wrong), { mode: 0o600 });
    mk4.inject({ kind: 'reset-after-bytes', bytes: 1_000, times: 1 });
    const log = path.join(work!.dir, 'sync.log');
    const common = ['-c', config, '-s', master, '--go', '--log-file', log, '--retry-delay', '0.02', '--verbose'];
    const json = await runCli([...common, '--json'], { cwd: work!.dir, env });
    const plain = await runCli(common, { cwd: work!.dir, env });
    assert.equal(json.code, 3, json.stderr);
    assert.equal(plain.code, 3, plain.stderr);
    assert.match(json.stdout, /"code":"PRINTER_AUTH"/);
    assert.match(json.stdout, /the connection broke and the printer does not have the file; sending it again/);
    const everything = [json.stdout, json.stderr, plain.stdout, plain.stderr, readFileSync(log, 'utf8')].join('\n');
    assertNoSecrets(everything, [...secrets(farm!), wrong], 'an output');
    assert.doesNotMatch(everything, /Digest |response="/i, 'no digest header in any output');
  });
});
