// Renders benchmark results as Markdown: the machine, a summary of every target, then one table per
// scenario, and a closing note that names each target missed. The same text goes to stdout and docs/.

import os from 'node:os';
import type { Row, ScenarioResult } from './scenario.js';
import type { MachineLoad } from './support/machine-load.js';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
  };
}

/** One line on how busy the machine was, and whether other processes may have slowed the scenario. */
function describeLoad(load: MachineLoad, cores: number): string {
  const all = `${load.allCores.toFixed(2)} of ${cores} cores busy on average`;
  if (load.otherCores === undefined) return `Machine while it ran: ${all}.`;
  const others = `${load.otherCores.toFixed(2)} of them not charged to the benchmark or link-sync (other processes, and kernel work such as loopback networking)`;
  const warning = load.otherCores > 0.25 ? '; where that was other processes, they may have slowed it' : '';
  return `Machine while it ran: ${all}, ${others}${warning}.`;
}

/** A Markdown table; pipes inside cells are escaped. */
export function table(columns: string[], rows: Row[]): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  const lines = [`| ${columns.map(cell).join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${columns.map((c) => cell(row[c] ?? '')).join(' | ')} |`);
  return lines.join('\n');
}

export function renderReport(results: ScenarioResult[], machine: Machine, date: Date): string {
  const out: string[] = [];
  out.push('# Performance', '');
  out.push(
    'Produced by `npm run bench` (`bench/run.ts`), which generates its master folders in a temporary folder, ' +
      'runs link-sync (the bundled CLI, dist/cli/link-sync.mjs) as a separate process against simulated PrusaLink printers (Buddy personality) on 127.0.0.1, ' +
      "and deletes everything afterwards. The simulated printers run in the benchmark process; link-sync's CPU time " +
      "and peak RSS are its own process's. One scenario alone: `npm run build && node dist/bench/run.js --only NAME` " +
      '(throughput, no-change, memory, planning, startup, client-cpu, slow-link; prints without writing this file). ' +
      'The machine is shared: timed figures are medians of several runs (LINK_SYNC_BENCH_RUNS sets how many).',
    '',
  );
  out.push(
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GiB memory, ${machine.os}, Node ${machine.node}. ` +
      `Date: ${date.toISOString().replace(/\.\d+Z$/, 'Z')}.`,
    '',
  );
  const targets = results.flatMap((r) => r.targets);
  out.push('## Targets', '');
  out.push(
    table(
      ['Target', 'Measured', 'Met'],
      targets.map((t) => ({ Target: t.target, Measured: t.measured, Met: t.met ? 'yes' : '**no**' })),
    ),
    '',
  );
  for (const result of results) {
    out.push(`## ${result.title}`, '', result.setup, '');
    if (result.load) out.push(describeLoad(result.load, machine.cores), '');
    out.push(table(result.columns, result.rows), '');
    for (const note of result.notes) out.push(`- ${note}`);
    if (result.notes.length > 0) out.push('');
  }
  const missed = targets.filter((t) => !t.met);
  out.push('## Closing note', '');
  if (missed.length === 0) out.push('Every target is met.');
  else {
    out.push(`${missed.length} of ${targets.length} targets missed (the reasons are in the notes of each scenario above):`, '');
    for (const t of missed) out.push(`- ${t.target}: ${t.measured}.`);
  }
  out.push('');
  return out.join('\n');
}
