// A record save cut short (a second Ctrl-C, a crash) leaves `<record>.json.<pid>-<hex>.tmp` in the
// state folder. The next run that holds the lock removes such files, and nothing else.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startPrinter, type SimPrinter } from '../../src/simulator/index.js';
import { printerKey } from '../../src/record/keys.js';
import { LOCK_NAME } from '../../src/record/lock.js';
import { recordPath } from '../../src/record/store.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { gcode, tempDir, writeConfig, writeTree } from '../helpers/fixtures.js';
import { readRecordFile } from '../helpers/record-file.js';

const T = { timeout: 60_000 };
const show = (run: CliRun): string => `exit ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;

describe('temporary record files left by an earlier run', T, () => {
  let sim: SimPrinter;
  let work: { dir: string; cleanup: () => void };
  before(async () => {
    sim = await startPrinter({ name: 'mk4', model: 'MK4' });
    work = tempDir();
  });
  after(async () => {
    await sim.close();
    work.cleanup();
  });

  test('sync --go removes them once it holds the lock; other files stay; the record is whole', T, async () => {
    const master = path.join(work.dir, 'master');
    const state = path.join(work.dir, 'state');
    const config = writeConfig(work.dir, [sim]);
    writeTree(master, { 'a.gcode': gcode('a', 600) });
    const sync = (): Promise<CliRun> => runCli(['-c', config, '-s', master, '--state-dir', state, '--go'], { cwd: work.dir });
    const first = await sync();
    assert.equal(first.code, 0, show(first));

    const record = recordPath(state, printerKey(sim.serial, sim.url));
    const leftover = `${record}.999999-0badc0de.tmp`;
    // Half a record, as a save stopped mid-write leaves it.
    writeFileSync(leftover, readFileSync(record, 'utf8').slice(0, 40));
    const other = `${path.basename(record, '.json')}-0123456789abcdef.json.4242-deadbeef.tmp`;
    writeFileSync(path.join(state, other), '{');
    const kept = ['notes.txt', 'x.json.tmp', `${path.basename(record)}.12-0badc0de.tmp.bak`, `${path.basename(record)}.12-zz.tmp`];
    for (const name of kept) writeFileSync(path.join(state, name), 'not ours');
    const folder = `${path.basename(record)}.13-0badc0de.tmp`;
    mkdirSync(path.join(state, folder));

    writeTree(master, { 'b.gcode': gcode('b', 700) });
    const second = await sync();
    assert.equal(second.code, 0, show(second));
    assert.deepEqual(readdirSync(state).sort(), [path.basename(record), ...kept, folder].sort());
    assert.ok(!readdirSync(state).includes(LOCK_NAME), 'the lock is released');
    const entries = readRecordFile(record).storages[sim.storage] ?? {};
    assert.deepEqual(Object.keys(entries).sort(), ['a.gcode', 'b.gcode']);
  });
});
