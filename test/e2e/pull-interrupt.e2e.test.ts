// End to end: Ctrl-C during a slow pull stops it cleanly: exit 130, nothing under the real name and
// no temporary file in the master; the next run pulls the file whole.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { gcode } from '../helpers/fixtures.js';
import { useWorkspace } from '../helpers/workspace.js';

const ws = useWorkspace({
  // 40 kB/s: a 400 kB download takes about 10 s, and the signal comes after 2 s.
  printers: [{ name: 'slow-pi', model: 'MK3S', rateBytesPerSec: 40_000 }],
  master: { 'kept.gcode': gcode('kept', 1000) },
});

test('Ctrl-C mid-download: exit 130, no file and no temporary file; the next run completes it', { timeout: 60_000 }, async () => {
  const printer = ws.printer('slow-pi');
  printer.seed('parts/slow.gcode', gcode('slow', 400_000));
  const env = { XDG_STATE_HOME: path.join(ws.dir, 'state') };
  const run = await runCli(['pull', '-c', ws.config, '-s', ws.master, '--go'], { cwd: ws.dir, env, killAfter: { ms: 2000, signal: 'SIGINT' } });
  assert.equal(run.code, 130, `${run.stdout}\n${run.stderr}`);
  assert.deepEqual(readdirSync(path.join(ws.master, 'parts')), [], 'no file and no temporary file');
  // The simulator logs a request when its connection closes, which it notices at its next paced write.
  const rawRequest = () => printer.requests().find((r) => r.target.endsWith('/raw'));
  for (let i = 0; i < 40 && !rawRequest(); i++) await new Promise((r) => setTimeout(r, 50));
  const served = rawRequest();
  assert.ok(served && (served.bytesOut ?? 0) > 0 && (served.bytesOut ?? 0) < 400_000, `the download was under way when it stopped: ${JSON.stringify(printer.requests().map((r) => [r.method, r.target, r.status, r.bytesOut]))}\n${run.stdout}\n${run.stderr}`);

  const next = await runCli(['pull', '-c', ws.config, '-s', ws.master, '--go'], { cwd: ws.dir, env, timeoutMs: 40_000 });
  assert.equal(next.code, 0, `${next.stdout}\n${next.stderr}`);
  assert.equal(readFileSync(path.join(ws.master, 'parts/slow.gcode'), 'utf8'), gcode('slow', 400_000));
});
