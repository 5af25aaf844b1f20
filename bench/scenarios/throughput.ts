// Scenario 1, farm throughput: 8, 32 and 128 printers taking uploads at 200 kB/s each. The physical
// limit is the slowest printer's bytes received ÷ its rate; link-sync should finish right on it.

import { join } from 'node:path';
import { expectOutcome, runLinkSync } from '../support/child.js';
import { requestStats, startBenchFarm, watchSimulatorLoad } from '../support/farm.js';
import { megabytes, percent, range, rate, seconds } from '../support/format.js';
import { slowestTimeline } from '../support/timeline.js';
import { writeRandomFile } from '../support/master.js';
import type { BenchContext, Row, Scenario, ScenarioResult, TargetCheck } from '../scenario.js';

const FARM_SIZES = [8, 32, 128];
const RATE = 200_000;
/** A few MB of print files per printer, in folders, sized like real G-code (20 s at 200 kB/s). */
const MASTER: Array<[string, number]> = [
  ['benchy/3DBenchy_0.4n_0.2mm_PLA_MK4_1h2m.bgcode', 1_200_000],
  ['benchy/3DBenchy_0.4n_0.15mm_PETG_MK4_1h40m.bgcode', 800_000],
  ['fixtures/clamp_left.gcode', 600_000],
  ['fixtures/clamp_right.gcode', 500_000],
  ['fixtures/spare parts/knob_x4.gcode', 400_000],
  ['calibration/first-layer.gcode', 300_000],
  ['calibration/temp-tower_PLA.bgcode', 150_000],
  ['cube-20mm.gcode', 50_000],
];
/** Allowed: 5 % over the limit plus one second of fixed cost (process start, scan, first requests). */
const SLACK_RATIO = 1.05;
const FIXED_MS = 1000;

async function run(ctx: BenchContext): Promise<ScenarioResult> {
  const source = join(ctx.workDir, 'master');
  for (const [rel, size] of MASTER) await writeRandomFile(join(source, rel), size);
  const masterBytes = MASTER.reduce((sum, [, size]) => sum + size, 0);
  const rows: Row[] = [];
  const targets: TargetCheck[] = [];
  const notes: string[] = [];
  let busiest = { cpuShare: 0, loopP99Ms: 0 };

  for (const count of FARM_SIZES) {
    ctx.log(`throughput: ${count} printers at ${rate(RATE)}`);
    const bench = await startBenchFarm(ctx.workDir, count, { rateBytesPerSec: RATE });
    try {
      const stopWatch = watchSimulatorLoad();
      const result = await runLinkSync(ctx, `throughput-${count}`, ['-c', bench.configPath, '-s', source, '--go']);
      const load = stopWatch();
      expectOutcome(result, 'in-sync', `throughput with ${count} printers`);
      const stats = bench.farm.printers.map(requestStats);
      const wrong = stats.findIndex((s) => s.uploadedBytes !== masterBytes);
      if (wrong >= 0) throw new Error(`throughput: printer ${bench.farm.printers[wrong]?.name} received ${stats[wrong]?.uploadedBytes} bytes, expected ${masterBytes}`);
      const limitMs = Math.max(...stats.map((s) => (s.uploadedBytes / RATE) * 1000));
      const allowedMs = limitMs * SLACK_RATIO + FIXED_MS;
      const ratio = result.wallMs / limitMs;
      const met = result.wallMs <= allowedMs;
      const t = slowestTimeline(bench.farm.printers.map((p) => p.requests()), result.startedAtMs, result.startedAtMs + result.wallMs, RATE);
      const split = `${seconds(t.beforeFirstMs)} / ${seconds(t.betweenMs)} / ${seconds(t.excessMs)} / ${seconds(t.afterLastMs)}`;
      rows.push({
        Printers: String(count),
        'Sent per printer': megabytes(masterBytes),
        'Physical limit': seconds(limitMs),
        Wall: seconds(result.wallMs),
        Ratio: ratio.toFixed(3),
        'Allowed (1.05 × limit + 1 s)': seconds(allowedMs),
        'Last printer, time over the limit: before 1st upload / between uploads / in uploads / after last': split,
        '401s per printer': range(stats.map((s) => s.unauthorized)),
        'link-sync CPU': seconds(result.cpuMs),
        'link-sync peak RSS': megabytes(result.maxRssBytes),
        'Simulator CPU': percent(load.cpuShare),
        'Simulator loop delay p99 / max': `${load.loopP99Ms.toFixed(0)} / ${load.loopMaxMs.toFixed(0)} ms`,
      });
      targets.push({
        target: `${count} printers: wall ≤ 1.05 × limit + 1 s`,
        measured: `${seconds(result.wallMs)} for a ${seconds(limitMs)} limit (ratio ${ratio.toFixed(3)}; ≤ ${seconds(allowedMs)} allowed)`,
        met,
      });
      if (!met) {
        notes.push(
          `${count} printers: ${seconds(result.wallMs - limitMs)} over the limit. On the printer that finished last, ${seconds(t.beforeFirstMs)} passed before its first upload began ` +
            `(process start, config, scan, then identify, status, listing and planning for all ${count} printers at once), ${seconds(t.betweenMs)} between its ${t.uploads} uploads ` +
            `(per file: the state re-check and a new connection, since Buddy closes it after each upload, with all ${count} printers changing files at the same moment), ` +
            `${seconds(t.excessMs)} inside uploads beyond bytes ÷ rate, and ${seconds(t.afterLastMs)} after its last upload until link-sync exited.`,
        );
      }
      busiest = { cpuShare: Math.max(busiest.cpuShare, load.cpuShare), loopP99Ms: Math.max(busiest.loopP99Ms, load.loopP99Ms) };
      if (load.cpuShare > 0.8 || load.loopP99Ms > 100) {
        notes.push(`${count} printers: the simulator was busy (${percent(load.cpuShare)} of a core, loop delay p99 ${load.loopP99Ms.toFixed(0)} ms); part of any excess may be its own.`);
      }
    } finally {
      await bench.close();
    }
  }
  if (busiest.cpuShare <= 0.8 && busiest.loopP99Ms <= 100) {
    notes.push(
      `The simulated printers were not the bottleneck: at most ${percent(busiest.cpuShare)} of a core and an event-loop delay p99 of at most ${busiest.loopP99Ms.toFixed(0)} ms.`,
    );
  }
  notes.push(
    `Wall time runs from starting the link-sync process to its exit (Node start, config, scan, every request). ` +
      `The limit is computed from the bytes each simulated printer actually received, at ${rate(RATE)} each.`,
  );
  return {
    title: '1. Farm throughput',
    setup: `A master folder of ${MASTER.length} random print files (${megabytes(masterBytes)}, in nested folders) synced with --go onto empty Buddy printers (MK4) that each take uploads at ${rate(RATE)}.`,
    columns: Object.keys(rows[0] ?? {}),
    rows,
    targets,
    notes,
  };
}

export const throughput: Scenario = { name: 'throughput', order: 1, run };
