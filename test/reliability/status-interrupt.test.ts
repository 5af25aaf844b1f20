// `link-sync status` stopped by Ctrl-C while a printer hangs: exit 130 (interrupted), not a farm
// error, and the hanging printer's row says INTERRUPTED, not UNREACHABLE.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { startFarm } from '../../src/simulator/index.js';
import { tempDir, writeConfig } from '../helpers/fixtures.js';
import { startCli } from './cli-process.js';
import { silentServer, waitFor } from './support.js';

test('status interrupted while one printer hangs: exit 130, its row INTERRUPTED', { timeout: 60_000 }, async () => {
  const farm = await startFarm([{ name: 'mk4-a', model: 'MK4' }]);
  const hung = await silentServer();
  const work = tempDir('link-sync-status-');
  try {
    const config = writeConfig(work.dir, farm.printers);
    appendFileSync(config, `hung-b:\n  printer_type: MK4\n  host: 127.0.0.1:${hung.port}\n  username: maker\n  password: "x-Pa55word-x"\n`);
    const cli = startCli(['status', '-c', config], { cwd: work.dir });
    // The simulated printer answers at once; the hung one is still being waited for.
    await waitFor('the simulated printer asked', () => farm.printers[0]!.requests().some((r) => r.target === '/api/v1/status'));
    cli.child.kill('SIGINT');
    const out = await cli.done;
    assert.equal(out.code, 130, `${out.stdout}\n${out.stderr}`);
    assert.match(out.stdout, /^hung-b\s+.*INTERRUPTED/m);
    assert.doesNotMatch(out.stdout, /UNREACHABLE/);
    assert.match(out.stdout, /^mk4-a\s+.*IDLE/m);
  } finally {
    await hung.close();
    await farm.close();
    work.cleanup();
  }
});
