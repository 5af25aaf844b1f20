// The simulated farm for a scenario, in the benchmark's own process (link-sync runs in another), with
// its printers.yml, the per-printer request counts, and how loaded the simulator itself was.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { farmConfigYaml } from '../../src/cli/commands/simulate.js';
import { startFarm, type SimFarm, type SimPrinter, type SimPrinterOptions } from '../../src/simulator/index.js';

export interface BenchFarm {
  farm: SimFarm;
  configPath: string;
  close(): Promise<void>;
}

/** `count` Buddy printers (MK4), content not kept: only sizes and hashes, so 1 GB uploads cost no memory. */
export async function startBenchFarm(workDir: string, count: number, options: Partial<SimPrinterOptions> = {}): Promise<BenchFarm> {
  const list: SimPrinterOptions[] = [];
  for (let i = 0; i < count; i++) list.push({ model: 'MK4', name: `mk4-${i + 1}`, keepContent: false, ...options });
  const farm = await startFarm(list);
  const configPath = join(workDir, 'printers.yml');
  writeFileSync(configPath, farmConfigYaml(farm.printers), { mode: 0o600 });
  return { farm, configPath, close: () => farm.close() };
}

export interface RequestStats {
  /** Every request received, by method ("GET" → 116). */
  byMethod: Record<string, number>;
  total: number;
  unauthorized: number;
  /** Body bytes received by uploads that succeeded. */
  uploadedBytes: number;
}

export function requestStats(printer: SimPrinter): RequestStats {
  const stats: RequestStats = { byMethod: {}, total: 0, unauthorized: 0, uploadedBytes: 0 };
  for (const entry of printer.requests()) {
    stats.total++;
    stats.byMethod[entry.method] = (stats.byMethod[entry.method] ?? 0) + 1;
    if (entry.status === 401) stats.unauthorized++;
    if (entry.method === 'PUT' && entry.status >= 200 && entry.status < 300) stats.uploadedBytes += entry.bytesIn;
  }
  return stats;
}

export interface LoadSample {
  /** CPU time of this process (the simulator) over the window, as a share of one core. */
  cpuShare: number;
  /** Event-loop delay of the simulator: p99 and worst, in ms. */
  loopP99Ms: number;
  loopMaxMs: number;
}

/** Starts watching the simulator's load; call the result to stop and read it. */
export function watchSimulatorLoad(): () => LoadSample {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  return () => {
    histogram.disable();
    const used = process.cpuUsage(cpu);
    const wallUs = Number(process.hrtime.bigint() - started) / 1000;
    return {
      cpuShare: (used.user + used.system) / wallUs,
      loopP99Ms: histogram.percentile(99) / 1e6,
      loopMaxMs: histogram.max / 1e6,
    };
  };
}

/** "GET 116, PUT 8" */
export function formatMethods(byMethod: Record<string, number>): string {
  return Object.entries(byMethod)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([method, n]) => `${method} ${n}`)
    .join(', ');
}
