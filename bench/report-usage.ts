// Loaded with `node --import` into a link-sync process the benchmark starts: at exit it writes the
// process's own CPU time and peak RSS to the file named by LINK_SYNC_BENCH_USAGE, so the numbers
// cover link-sync alone and not the simulated printers.

import { writeFileSync } from 'node:fs';

export interface UsageReport {
  userCpuUs: number;
  systemCpuUs: number;
  /** Peak resident set size in kilobytes (getrusage ru_maxrss). */
  maxRssKb: number;
}

const target = process.env['LINK_SYNC_BENCH_USAGE'];
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const report: UsageReport = { userCpuUs: usage.userCPUTime, systemCpuUs: usage.systemCPUTime, maxRssKb: usage.maxRSS };
    writeFileSync(target, JSON.stringify(report));
  });
}
