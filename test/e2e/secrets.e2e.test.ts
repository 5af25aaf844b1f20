// End to end: one printers.yml shared by runs with different environments. A password_env variable
// that is not set stops only a run that selects its printer, through the built CLI.

import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startFarm, type SimFarm, type SimPrinter } from '../../src/simulator/index.js';
import { runCli } from '../helpers/cli.js';
import { gcode, remoteTree, tempDir, writeTree } from '../helpers/fixtures.js';

const MASTER = { 'one.gcode': gcode('one'), 'parts/two.gcode': gcode('two') };
const SYNCED = ['one.gcode', 'parts/two.gcode'];
// Each printer's variable; a group for the two MK4s.
const VARIABLE: Record<string, string> = { 'mk4-1': 'MK4_1_PW', 'mk4-2': 'MK4_2_PW', 'xl-1': 'XL_PW' };
const GROUPS: Record<string, string> = { 'mk4-1': 'mk4', 'mk4-2': 'mk4' };

describe('a secret variable missing from the environment', { timeout: 120_000 }, () => {
  let farm: SimFarm;
  let work: { dir: string; cleanup: () => void };
  const printer = (name: string): SimPrinter => farm.printers.find((p) => p.name === name)!;
  /** The MK4 job's environment: the MK4 passwords only, no XL_PW. */
  const mk4Job = (): Record<string, string> => ({
    XDG_STATE_HOME: path.join(work.dir, 'state'),
    MK4_1_PW: printer('mk4-1').credentials.password,
    MK4_2_PW: printer('mk4-2').credentials.password,
  });
  const sync = (...args: string[]) =>
    runCli(['-c', 'printers.yml', '-s', 'master', ...args], { cwd: work.dir, env: mk4Job(), process: true });

  beforeEach(async () => {
    farm = await startFarm([
      { name: 'mk4-1', model: 'MK4' },
      { name: 'xl-1', model: 'XL' },
      { name: 'mk4-2', model: 'MK4S' },
    ]);
    work = tempDir();
    writeTree(path.join(work.dir, 'master'), MASTER);
    const lines: string[] = [];
    for (const p of farm.printers) {
      lines.push(`${p.name}:`, `  printer_type: ${p.model}`, `  host: ${p.url}`, `  username: ${p.credentials.username}`);
      lines.push(`  password_env: ${VARIABLE[p.name]}`);
      if (GROUPS[p.name]) lines.push(`  groups: [${GROUPS[p.name]}]`);
    }
    // xl-1's password_env is on line 11.
    writeFileSync(path.join(work.dir, 'printers.yml'), `${lines.join('\n')}\n`, { mode: 0o600 });
  });
  afterEach(async () => {
    await farm.close();
    work.cleanup();
  });

  const assertMk4sSynced = (): void => {
    for (const name of ['mk4-1', 'mk4-2']) assert.deepEqual(remoteTree(printer(name)), SYNCED, name);
    assert.deepEqual(printer('xl-1').requests(), [], 'xl-1 was not contacted');
  };

  test('a run that excludes that printer with -x syncs the others', async () => {
    const run = await sync('-x', 'xl-1', '--go');
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout + run.stderr, /XL_PW/);
    assertMk4sSynced();
  });

  test('a run that selects a group without that printer with -p syncs the group', async () => {
    const run = await sync('-p', 'mk4', '--go');
    assert.equal(run.code, 0, run.stderr);
    assertMk4sSynced();
  });

  test('a run that selects that printer stops with exit 2 before contacting any printer, naming only what it lacks', async () => {
    // mk4-2's variable is missing too: only a run that selects mk4-2 is told of it.
    const { MK4_2_PW: _, ...withoutMk42 } = mk4Job();
    const runs: Array<[args: string[], env: Record<string, string>]> = [
      [['-p', 'xl-1'], withoutMk42],
      [['-x', 'mk4-2'], withoutMk42],
      [[], mk4Job()],
    ];
    for (const [args, env] of runs) {
      const run = await runCli(['-c', 'printers.yml', '-s', 'master', ...args, '--go'], { cwd: work.dir, env, process: true });
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.equal(
        run.stderr,
        'link-sync: error: printers.yml:11: printer "xl-1": password_env: environment variable XL_PW is not set (export XL_PW=... before running link-sync)\n',
      );
      for (const p of farm.printers) assert.deepEqual(p.requests(), [], `${p.name} got no request`);
    }
  });

  test('a config with another problem names, in the same error, the missing variables of the printers the run selects', async () => {
    const file = path.join(work.dir, 'printers.yml');
    // mk4-1's model is misspelt (line 2); XL_PW and MK4_2_PW are missing from the environment.
    writeFileSync(file, readFileSync(file, 'utf8').replace('printer_type: MK4\n', 'printer_type: MK5\n'));
    const { MK4_2_PW: _, ...withoutMk42 } = mk4Job();
    const model = '  printers.yml:2: printer "mk4-1": printer_type "MK5" is not a known model (did you mean "MK4"?';
    const xl =
      '  printers.yml:11: printer "xl-1": password_env: environment variable XL_PW is not set (export XL_PW=... before running link-sync)';
    const mk42 =
      '  printers.yml:16: printer "mk4-2": password_env: environment variable MK4_2_PW is not set (export MK4_2_PW=... before running link-sync)';
    const runs: Array<[args: string[], lines: string[]]> = [
      [[], [model, xl, mk42]],
      [
        ['-p', 'mk4'],
        [model, mk42],
      ],
      [
        ['-x', 'mk4-2'],
        [model, xl],
      ],
      [
        ['status', '-p', 'xl-1'],
        [model, xl],
      ],
    ];
    for (const [args, lines] of runs) {
      const argv = args[0] === 'status' ? [...args, '-c', 'printers.yml'] : ['-c', 'printers.yml', '-s', 'master', ...args, '--go'];
      const run = await runCli(argv, { cwd: work.dir, env: withoutMk42, process: true });
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      const shown = run.stderr.trimEnd().split('\n');
      assert.equal(shown[0], `link-sync: error: printers.yml: ${lines.length} problems in the printer config`, run.stderr);
      assert.equal(shown.length, lines.length + 1, run.stderr);
      for (const [i, line] of lines.entries())
        assert.ok(shown[i + 1]!.startsWith(line), `${args.join(' ')}: line ${i + 1}:\n${run.stderr}`);
      assert.ok(!run.stderr.includes(printer('mk4-1').credentials.password), 'no password is shown');
    }
    for (const p of farm.printers) assert.deepEqual(p.requests(), [], `${p.name} got no request`);
  });

  test('leaving out the printers that lack a variable leaves only the other problem', async () => {
    const file = path.join(work.dir, 'printers.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('printer_type: MK4\n', 'printer_type: MK5\n'));
    const run = await sync('-x', 'xl-1', '--go');
    assert.equal(run.code, 2, run.stderr);
    assert.match(
      run.stderr,
      /^link-sync: error: printers\.yml:2: printer "mk4-1": printer_type "MK5" is not a known model \(did you mean "MK4"\?/,
    );
    assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
    assert.doesNotMatch(run.stderr, /XL_PW/);
  });

  test('status reads only the selected printers as well', async () => {
    const run = await runCli(['status', '-c', 'printers.yml', '-x', 'xl-1'], { cwd: work.dir, env: mk4Job(), process: true });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^mk4-1\s/m);
    assert.doesNotMatch(run.stdout, /^xl-1\s/m);
    const selected = await runCli(['status', '-c', 'printers.yml', '-p', 'xl-1'], { cwd: work.dir, env: mk4Job(), process: true });
    assert.equal(selected.code, 2, selected.stderr);
    assert.match(selected.stderr, /printers\.yml:11: printer "xl-1": password_env: environment variable XL_PW is not set/);
  });
});
