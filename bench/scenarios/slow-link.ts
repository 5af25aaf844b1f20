// Scenario 5, slow links: 4 printers (Buddy and Pi) each taking 2 MB at 40 kB/s, as Buddy printers on
// Wi-Fi do. The kernel accepts megabytes ahead of the printer; link-sync must follow the printer's
// own progress, so one PUT per printer finishes right on the physical limit: no retry, no 409.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { farmConfigYaml } from '../../src/cli/commands/simulate.js';
import { startFarm, type SimPrinterOptions } from '../../src/simulator/index.js';
import { expectOutcome, runLinkSync } from '../support/child.js';
import { requestStats } from '../support/farm.js';
import { megabytes, rate, seconds } from '../support/format.js';
import { writeRandomFile } from '../support/master.js';
import type { BenchContext, Row, Scenario, ScenarioResult } from '../scenario.js';

const RATE = 40_000;
const SIZE = 2 * 1024 * 1024;
const MODELS = ['MK4', 'MK3S', 'MK4', 'MK3S'] as const;
/** Allowed: 5 % over the limit plus one second of fixed cost (process start, scan, first requests). */
const SLACK_RATIO = 1.05;
const FIXED_MS = 1000;

async function run(ctx: BenchContext): Promise<ScenarioResult> {
  const source = join(ctx.workDir, 'master');
  await writeRandomFile(join(source, 'prints/XL_big_part_0.4n_0.2mm_PETG_6h.bgcode'), SIZE);
  const list: SimPrinterOptions[] = MODELS.map((model, i) => ({
    model,
    name: `${model.toLowerCase()}-${i + 1}`,
    keepContent: false,
    rateBytesPerSec: RATE,
  }));
  const farm = await startFarm(list);
  const configPath = join(ctx.workDir, 'printers.yml');
  writeFileSync(configPath, farmConfigYaml(farm.printers), { mode: 0o600 });
  try {
    ctx.log(`slow-link: ${MODELS.length} printers × ${megabytes(SIZE)} at ${rate(RATE)} (about ${seconds((SIZE / RATE) * 1000)})`);
    const result = await runLinkSync(ctx, 'slow-link', ['-c', configPath, '-s', source, '--go']);
    expectOutcome(result, 'in-sync', 'slow-link');
    const rows: Row[] = [];
    let limitMs = 0;
    let puts = 0;
    let conflicts = 0;
    let retried = 0;
    for (const p of farm.printers) {
      const stats = requestStats(p);
      const log = p.requests();
      const printerPuts = log.filter((r) => r.method === 'PUT');
      const printer409 = log.filter((r) => r.status === 409).length;
      // Anything a retry answers: 408, 409, 5xx, or a PUT beyond the first.
      const printerRetries = log.filter((r) => r.status === 408 || r.status >= 500).length + Math.max(0, printerPuts.length - 1);
      const polls = log.filter((r) => r.target === '/api/v1/transfer').length;
      limitMs = Math.max(limitMs, (stats.uploadedBytes / RATE) * 1000);
      puts += printerPuts.length;
      conflicts += printer409;
      retried += printerRetries;
      rows.push({
        Printer: `${p.name} (${p.personality})`,
        'Bytes taken': megabytes(stats.uploadedBytes),
        PUTs: String(printerPuts.length),
        '409s': String(printer409),
        Retries: String(printerRetries),
        'Progress polls': String(polls),
      });
    }
    const allowedMs = limitMs * SLACK_RATIO + FIXED_MS;
    return {
      title: '5. Slow links',
      setup:
        `One ${megabytes(SIZE)} print file synced with --go (default --timeout 30) onto ${MODELS.length} empty printers, ` +
        `2 Buddy (MK4) and 2 Pi (MK3S), each taking uploads at ${rate(RATE)}: ${seconds((SIZE / RATE) * 1000)} per upload, ` +
        `while the kernel accepts megabytes of it at once.`,
      columns: Object.keys(rows[0] ?? {}),
      rows,
      targets: [
        {
          target: `slow links (${MODELS.length} × ${megabytes(SIZE)} at ${rate(RATE)}): wall ≤ 1.05 × limit + 1 s`,
          measured: `${seconds(result.wallMs)} for a ${seconds(limitMs)} limit (ratio ${(result.wallMs / limitMs).toFixed(3)}; ≤ ${seconds(allowedMs)} allowed)`,
          met: result.wallMs <= allowedMs,
        },
        {
          target: 'slow links: zero retries, zero 409s, one PUT per printer',
          measured: `${retried} retries, ${conflicts} 409s, ${puts} PUTs for ${MODELS.length} printers`,
          met: retried === 0 && conflicts === 0 && puts === MODELS.length,
        },
      ],
      notes: [
        `Wall time runs from starting the link-sync process to its exit. The limit is the bytes each printer took ÷ ${rate(RATE)}. ` +
          `Upload liveness is read from the printers' own transfer progress on a second connection, at most once every 2 s ("Progress polls").`,
      ],
    };
  } finally {
    await farm.close();
  }
}

export const slowLink: Scenario = { name: 'slow-link', order: 5, run };
