// How busy the machine was during a scenario, and how much of that was not the benchmark: the
// timings only mean something when other processes left the cores alone.

import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface MachineLoad {
  /** Cores' worth of CPU used by every process, on average over the scenario. */
  allCores: number;
  /** Cores' worth used by anything but the benchmark and the link-sync processes it ran; undefined
   * where child CPU time cannot be read (it comes from /proc/self/stat). */
  otherCores?: number;
}

function busyMs(): number {
  return os.cpus().reduce((sum, cpu) => sum + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq, 0);
}

/** CPU ms of this process's finished children (cutime + cstime), on Linux. */
function childrenMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the parenthesised command name; cutime and cstime are fields 16 and 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[13]) + Number(fields[14]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** Starts measuring; call the result to read the load since. */
export function watchMachineLoad(): () => MachineLoad {
  const startBusy = busyMs();
  const startOwn = process.cpuUsage();
  const startChildren = childrenMs();
  const started = Date.now();
  return () => {
    const wall = Math.max(1, Date.now() - started);
    const all = (busyMs() - startBusy) / wall;
    const own = process.cpuUsage(startOwn);
    const children = childrenMs();
    if (startChildren === undefined || children === undefined) return { allCores: all };
    const ownMs = (own.user + own.system) / 1000 + (children - startChildren);
    return { allCores: all, otherCores: Math.max(0, all - ownMs / wall) };
  };
}
