// Scenario 7, client CPU per printer: one small file synced with --go onto 1 and onto 64 empty
// printers with no rate limit; the difference in link-sync's CPU time, per extra printer, is what each
// printer costs the client (identify, status, listing, plan, one upload, record).

import { join } from 'node:path';
import { expectOutcome, goWithFreshRecord } from '../support/child.js';
import { startBenchFarm } from '../support/farm.js';
import { seconds } from '../support/format.js';
import { writeRandomFile } from '../support/master.js';
import { median, repeats, spread } from '../support/stats.js';
import type { BenchContext, Scenario, ScenarioResult } from '../scenario.js';

const MANY = 64;
const LIMIT_MS = 5;

async function cpuFor(ctx: BenchContext, printers: number, source: string, label: string): Promise<number> {
  const bench = await startBenchFarm(ctx.workDir, printers);
  try {
    const result = await goWithFreshRecord(ctx, label, bench.configPath, source);
    expectOutcome(result, 'in-sync', label);
    return result.cpuMs;
  } finally {
    await bench.close();
  }
}

async function run(ctx: BenchContext): Promise<ScenarioResult> {
  const source = join(ctx.workDir, 'master');
  await writeRandomFile(join(source, 'calibration/first-layer.gcode'), 20_000);
  const runs = repeats(5);
  const one: number[] = [];
  const many: number[] = [];
  const perPrinter: number[] = [];
  for (let i = 0; i < runs; i++) {
    ctx.log(`client-cpu: run ${i + 1} of ${runs}`);
    const a = await cpuFor(ctx, 1, source, `cpu-1-${i}`);
    const b = await cpuFor(ctx, MANY, source, `cpu-${MANY}-${i}`);
    one.push(a);
    many.push(b);
    perPrinter.push((b - a) / (MANY - 1));
  }
  const per = median(perPrinter);
  const row = {
    'link-sync CPU, 1 printer': seconds(median(one)),
    [`link-sync CPU, ${MANY} printers`]: seconds(median(many)),
    'CPU per extra printer': `${per.toFixed(1)} ms`,
  };
  return {
    title: '7. Client CPU per printer',
    setup: `One 20 kB file synced with --go onto 1 and onto ${MANY} empty Buddy printers (MK4), no rate limit, a fresh sync record each time; medians of ${runs} pairs of runs.`,
    columns: Object.keys(row),
    rows: [row],
    targets: [
      {
        target: 'client CPU per printer (1-file sync) ≤ 5 ms',
        measured: `${per.toFixed(1)} ms (median of ${runs}: (CPU with ${MANY} printers − CPU with 1) ÷ ${MANY - 1})`,
        met: per <= LIMIT_MS,
      },
    ],
    notes: [`Per extra printer: ${spread(perPrinter, (v) => `${v.toFixed(1)} ms`)}.`],
  };
}

export const clientCpu: Scenario = { name: 'client-cpu', order: 7, run };
