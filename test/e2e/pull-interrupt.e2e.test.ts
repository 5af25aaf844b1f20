// End to end: Ctrl-C during a slow pull stops it cleanly: exit 130, nothing under the real name, no
// temporary file and no folder the pull made in the master; the next run pulls the file whole.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startCli } from '../reliability/cli-process.js';
import { gcode } from '../helpers/fixtures.js';
import { useWorkspace } from '../helpers/workspace.js';

const ws = useWorkspace({
  // 40 kB/s: a 400 kB download takes about 10 s.
  printers: [{ name: 'slow-pi', model: 'MK3S', rateBytesPerSec: 40_000 }],
  master: { 'kept.gcode': gcode('kept', 1000) },
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('Ctrl-C mid-download: exit 130, no file, no temporary file, no folder it made; the next run completes it', {
  timeout: 60_000,
}, async () => {
  const printer = ws.printer('slow-pi');
  printer.seed('old/parts/deep/slow.gcode', gcode('slow', 400_000));
  // Already in the master, and empty: it was not made by the pull, so it stays.
  mkdirSync(path.join(ws.master, 'old'));
  const state = path.join(ws.dir, 'state');
  const cli = startCli(['pull', '-c', ws.config, '-s', ws.master, '--go'], {
    cwd: ws.dir,
    env: { XDG_STATE_HOME: state },
    timeoutMs: 30_000,
  });
  const output = (): string => cli.output().stdout + cli.output().stderr;
  // The signal comes once the download is under way: its hidden temporary file exists.
  const folder = path.join(ws.master, 'old', 'parts', 'deep');
  const partial = (): boolean => existsSync(folder) && readdirSync(folder).some((n) => n.endsWith('.link-sync.part'));
  for (let i = 0; i < 400 && !partial(); i++) await sleep(50);
  assert.ok(partial(), `the download started:\n${output()}`);
  await sleep(300);
  cli.child.kill('SIGINT');
  const { code } = await cli.done;
  assert.equal(code, 130, output());
  assert.deepEqual(readdirSync(path.join(ws.master, 'old')), [], 'no file, no temporary file, and parts/deep, made by the pull, removed');
  assert.deepEqual(readdirSync(ws.master).sort(), ['kept.gcode', 'old'], 'the folder that was there before stays');

  // The interrupted download had 10 s to go: the next run need not wait for the slow link.
  printer.setRate(undefined);
  const next = await runCli(['pull', '-c', ws.config, '-s', ws.master, '--go'], {
    cwd: ws.dir,
    env: { XDG_STATE_HOME: state },
    timeoutMs: 40_000,
  });
  assert.equal(next.code, 0, `${next.stdout}\n${next.stderr}`);
  assert.equal(readFileSync(path.join(folder, 'slow.gcode'), 'utf8'), gcode('slow', 400_000));
});
