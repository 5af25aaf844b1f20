// Scenario 6, start-up: from starting the link-sync process to its first request on the wire,
// against a bare `node -e 0` started the same way. A cron run pays this on every printer's behalf.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { UsageReport } from '../report-usage.js';
import { expectOutcome, runLinkSync } from '../support/child.js';
import { startBenchFarm } from '../support/farm.js';
import { seconds } from '../support/format.js';
import { writeRandomFile } from '../support/master.js';
import { median, repeats, spread } from '../support/stats.js';
import type { BenchContext, Scenario, ScenarioResult } from '../scenario.js';

/** Allowed on top of bare Node: reading the config, scanning the source, the first connection. */
const OVER_NODE_LIMIT_MS = 150;

/** Spawn to exit of `node -e 0` in ms, and its CPU time (with the same usage preload link-sync gets). */
async function bareNode(ctx: BenchContext, label: string): Promise<{ wallMs: number; cpuMs: number }> {
  const usageFile = join(ctx.workDir, `${label}.usage.json`);
  const started = process.hrtime.bigint();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', pathToFileURL(ctx.usagePreload).href, '-e', '0'], {
      stdio: 'ignore',
      env: { ...process.env, LINK_SYNC_BENCH_USAGE: usageFile },
    });
    child.once('error', reject);
    child.once('exit', () => resolve());
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as UsageReport;
  return { wallMs, cpuMs: (usage.userCpuUs + usage.systemCpuUs) / 1000 };
}

async function run(ctx: BenchContext): Promise<ScenarioResult> {
  const source = join(ctx.workDir, 'master');
  await writeRandomFile(join(source, 'cube-20mm.gcode'), 10_000);
  const runs = repeats(7);
  const bare: number[] = [];
  const bareCpu: number[] = [];
  const first: number[] = [];
  const cpu: number[] = [];
  const bench = await startBenchFarm(ctx.workDir, 1);
  try {
    const printer = bench.farm.printers[0]!;
    for (let i = 0; i < runs; i++) {
      ctx.log(`startup: run ${i + 1} of ${runs}`);
      const node = await bareNode(ctx, `bare-${i}`);
      bare.push(node.wallMs);
      bareCpu.push(node.cpuMs);
      printer.clearRequests();
      // A dry run: the same start as any run, and nothing changes between runs.
      const result = await runLinkSync(ctx, `startup-${i}`, ['-c', bench.configPath, '-s', source]);
      expectOutcome(result, 'planned', 'startup');
      const firstRequest = printer.requests()[0];
      if (!firstRequest) throw new Error('startup: the printer saw no request');
      first.push(firstRequest.startedAt - result.startedAtMs);
      cpu.push(result.cpuMs);
    }
  } finally {
    await bench.close();
  }
  const over = median(first) - median(bare);
  const row = {
    'Bare node -e 0 (spawn to exit)': seconds(median(bare)),
    'link-sync: spawn to first request': seconds(median(first)),
    'Over bare node': seconds(over),
    Ratio: (median(first) / median(bare)).toFixed(2),
    'CPU: bare node / link-sync whole dry run': `${seconds(median(bareCpu))} / ${seconds(median(cpu))}`,
  };
  return {
    title: '6. Start-up',
    setup: `link-sync started as a cron run would be (one printer, one file, dry run), timed from spawning the process to the first request the simulated printer receives; beside it \`node -e 0\` spawned the same way. Medians of ${runs} runs each.`,
    columns: Object.keys(row),
    rows: [row],
    targets: [
      {
        target: 'process start to first request ≤ 0.15 s over bare `node -e 0`',
        measured: `${seconds(over)} over (${seconds(median(first))} against ${seconds(median(bare))}, medians of ${runs})`,
        met: over <= OVER_NODE_LIMIT_MS,
      },
    ],
    notes: [
      `Spawn to first request: ${spread(first, seconds)}; bare node: ${spread(bare, seconds)}.`,
      `CPU time, less sensitive to a busy machine than wall time: the whole dry run (start, config, scan, the printer's answers, plan, output, exit) takes ${seconds(median(cpu) - median(bareCpu))} more than bare node (medians).`,
      'Epoch milliseconds on both sides (the benchmark starts the process, the simulated printer in the same process logs the request).',
    ],
  };
}

export const startup: Scenario = { name: 'startup', order: 6, run };
