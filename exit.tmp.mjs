import { startBenchFarm } from './dist/bench/support/farm.js';
import { runLinkSync } from './dist/bench/support/child.js';
import { writeRandomFile } from './dist/bench/support/master.js';
import { mkdtempSync } from 'node:fs';
const workDir = mkdtempSync('/tmp/exit-');
await writeRandomFile(workDir + '/m/a.gcode', 100000);
const ctx = { binPath: process.argv[2] ?? './dist/src/bin.js', usagePreload: new URL('./dist/bench/report-usage.js', import.meta.url).pathname, workDir, log: () => {} };
for (let i = 0; i < 5; i++) {
  const farm = await startBenchFarm(workDir, 8, { rateBytesPerSec: 1_000_000 });
  const r = await runLinkSync(ctx, 'x' + i, ['-c', farm.configPath, '-s', workDir + '/m', '--go', '--state-dir', workDir + '/s' + i]);
  const ends = farm.farm.printers.flatMap((p) => p.requests().filter((e) => e.method === 'PUT').map((e) => e.startedAt + e.durationMs));
  const first = Math.min(...farm.farm.printers.map((p) => p.requests()[0].startedAt));
  console.log('first req', first - r.startedAtMs, 'after last 201', (r.startedAtMs + r.wallMs - Math.max(...ends)).toFixed(0), 'wall', r.wallMs.toFixed(0));
  await farm.close();
}
