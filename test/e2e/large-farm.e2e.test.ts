// A farm larger than the open-file limit: 300 simulated printers (one process) and the CLI run in a
// shell with `ulimit -n 256`, which leaves it 42 connection slots. Had every printer opened its own
// socket it would hit EMFILE at the limit, so what this guards shows at this size as at any larger one:
// connections queue for a free slot, no EMFILE, nobody "unreachable", and nothing on stderr (no Node
// warning about listeners either). LARGE_FARM_PRINTERS=1500 (ulimit 512) or 3000 (ulimit 1024) runs the
// same check at a size closer to a real large farm.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startFarm } from '../../src/simulator/index.js';
import { binPath, type CliRun } from '../helpers/cli.js';
import { gcode, tempDir, writeConfig, writeTree } from '../helpers/fixtures.js';

const PRINTERS = Number(process.env['LARGE_FARM_PRINTERS'] ?? 300);
const LIMIT = PRINTERS >= 3000 ? 1024 : PRINTERS >= 1500 ? 512 : 256;

function runWithFileLimit(limit: number, args: string[], cwd: string, env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', `ulimit -n ${limit} && exec "$0" "$@"`, process.execPath, binPath, ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const limitTimer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`did not finish\n${stderr}`));
    }, 110_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(limitTimer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe(`a farm of ${PRINTERS} printers under ulimit -n ${LIMIT}`, { timeout: 300_000 }, () => {
  test('queues for connections: every printer planned, no EMFILE, empty stderr', async () => {
    const farm = await startFarm(Array.from({ length: PRINTERS }, (_, i) => ({ name: `p-${i + 1}`, model: 'MK4' as const })));
    const work = tempDir('link-sync-large-');
    try {
      writeTree(path.join(work.dir, 'master'), { 'a.gcode': gcode('a', 500) });
      const config = writeConfig(work.dir, farm.printers);
      const out = await runWithFileLimit(
        LIMIT,
        ['-c', config, '-s', path.join(work.dir, 'master'), '--quiet', '--retries', '0'],
        work.dir,
        {
          XDG_STATE_HOME: path.join(work.dir, 'state'),
        },
      );
      assert.equal(out.stderr, '', 'nothing on stderr');
      assert.equal(out.code, 0);
      const rows = out.stdout.split('\n').filter((l) => /^p-\d+ /.test(l));
      assert.equal(rows.length, PRINTERS);
      assert.equal(rows.filter((l) => /^p-\d+ +planned +1 /.test(l)).length, PRINTERS, 'every printer planned its upload');
    } finally {
      await farm.close();
      work.cleanup();
    }
  });
});
