// A backup folder that cannot be made: the held change's warning names the folder, says why in words
// (not the ENOENT or ENOTDIR that a recursive mkdir reports) and how to fix it; the printer keeps its file.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, type CliRun } from '../helpers/cli.js';
import { gcode } from '../helpers/fixtures.js';
import { readOnlyMount, readOnlyMountSkip } from '../helpers/read-only-mount.js';
import { useWorkspace } from '../helpers/workspace.js';

const T = { timeout: 60_000 };
const EXTRA = gcode('sliced at the printer', 1500);
const ws = useWorkspace({ printers: [{ name: 'mk4-b', model: 'MK4' }], master: { 'farm/benchy.gcode': gcode('benchy', 1000) } });

const backups = (): string => path.join(ws.dir, 'backups');
const show = (run: CliRun): string => `exit ${run.code}\n${run.stdout}\n${run.stderr}`;

/** `sync --go --backup-dir`, whose one deletion (farm/extra.gcode) needs a backup first. */
async function syncDeleting(options: { wrap?: string[] } = {}): Promise<CliRun> {
  ws.printer('mk4-b').seed('farm/extra.gcode', EXTRA);
  const args = ['-c', ws.config, '-s', path.join(ws.master, 'farm'), '-r', ws.master, '--go', '--backup-dir', backups()];
  return runCli([...args, '--retries', '0'], { cwd: ws.dir, ...options });
}

/** The held deletion's warning: its one line. */
function held(run: CliRun): string {
  assert.equal(run.code, 1, show(run));
  assert.equal(ws.printer('mk4-b').readFile('farm/extra.gcode')?.toString(), EXTRA, 'the printer keeps its file');
  const line = run.stderr.split('\n').find((l) => l.includes('held: delete extra.gcode not done'));
  assert.ok(line, show(run));
  return line;
}

const HELD = 'warning: mk4-b: held: delete extra.gcode not done: backup failed:';

describe('a backup folder that cannot be made', () => {
  // The recursive mkdir reported ENOENT here, as it does on a read-only file system.
  test('a link to a folder that does not exist', T, async () => {
    symlinkSync(path.join(ws.dir, 'unmounted'), backups());
    const folder = path.join(backups(), 'mk4-b');
    assert.equal(
      held(await syncDeleting()),
      `${HELD} cannot create ${folder} (${backups()} is a link to a folder that does not exist): ` +
        `make the link point to a folder that exists, or choose another --backup-dir`,
    );
  });

  test('a file where a folder of the backup goes', T, async () => {
    mkdirSync(path.join(backups(), 'mk4-b'), { recursive: true });
    const file = path.join(backups(), 'mk4-b', 'farm');
    writeFileSync(file, 'not a folder');
    assert.equal(
      held(await syncDeleting()),
      `${HELD} cannot create ${file} (${file} is not a folder): move that file out of the way, or choose another --backup-dir`,
    );
  });

  test('a link inside the backup folder that leads out of it: nothing is written there', T, async () => {
    const outside = path.join(ws.dir, 'outside');
    mkdirSync(outside);
    mkdirSync(path.join(backups(), 'mk4-b'), { recursive: true });
    symlinkSync(outside, path.join(backups(), 'mk4-b', 'farm'));
    const run = await syncDeleting();
    const line = run.stderr.split('\n').find((l) => l.includes('held: delete extra.gcode not done'));
    assert.ok(line, show(run));
    assert.match(line, /farm leads outside the backup folder \(to .*outside\) through a symbolic link/);
    assert.doesNotMatch(run.stderr, /master folder/);
    assert.deepEqual(readdirSync(outside), []);
    assert.equal(ws.printer('mk4-b').readFile('farm/extra.gcode')?.toString(), EXTRA, 'the printer keeps its file');
  });

  test('a read-only file system', { ...T, skip: readOnlyMountSkip() }, async () => {
    mkdirSync(backups());
    const line = held(await syncDeleting({ wrap: readOnlyMount(backups()) }));
    assert.equal(line, `${HELD} cannot create ${path.join(backups(), 'mk4-b')} (read-only file system): choose another --backup-dir`);
  });
});

describe('a backup folder that refuses the file', () => {
  // The folder exists but takes no new file: the download's temporary file cannot be created there.
  test('a folder of the backup on a read-only file system', { ...T, skip: readOnlyMountSkip() }, async () => {
    const mount = path.join(backups(), 'mk4-b', 'farm');
    mkdirSync(mount, { recursive: true });
    const run = await syncDeleting({ wrap: readOnlyMount(mount) });
    assert.equal(held(run), `${HELD} cannot write into ${mount} (read-only file system): choose another --backup-dir`);
    assert.doesNotMatch(run.stderr + run.stdout, /EROFS|link-sync\.part|retry|unreachable|not reached/i, show(run));
  });
});
