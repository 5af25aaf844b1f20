// Runs the built link-sync CLI as a child process and measures it from outside: wall time from spawn
// to exit, and (through the usage preload) its own CPU time and peak RSS. Events go to a file.

import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RunSummary, SyncEvent } from '../../src/report/events.js';
import type { UsageReport } from '../report-usage.js';
import type { BenchContext } from '../scenario.js';

export interface ChildRun {
  exitCode: number | null;
  /** Epoch ms when the process was started, to line up with the printers' request logs. */
  startedAtMs: number;
  wallMs: number;
  /** User + system CPU time of the link-sync process. */
  cpuMs: number;
  maxRssBytes: number;
  summary: RunSummary;
}

/** `link-sync <args> --json`, run to completion; throws with its stderr when it did not finish a run. */
export async function runLinkSync(ctx: BenchContext, label: string, args: string[]): Promise<ChildRun> {
  const usageFile = join(ctx.workDir, `${label}.usage.json`);
  const eventsFile = join(ctx.workDir, `${label}.events.ndjson`);
  const stderrFile = join(ctx.workDir, `${label}.stderr.txt`);
  const out = openSync(eventsFile, 'w');
  const err = openSync(stderrFile, 'w');
  const started = process.hrtime.bigint();
  const startedAtMs = Date.now();
  let exitCode: number | null;
  try {
    // LINK_SYNC_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" profiles the link-sync process.
    const nodeArgs = (process.env['LINK_SYNC_BENCH_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
    const child = spawn(process.execPath, [...nodeArgs, '--import', pathToFileURL(ctx.usagePreload).href, ctx.binPath, ...args, '--json'], {
      stdio: ['ignore', out, err],
      // Sync records go to the scenario's folder, never to the user's state folder.
      env: { ...process.env, LINK_SYNC_BENCH_USAGE: usageFile, XDG_STATE_HOME: join(ctx.workDir, 'state') },
    });
    exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => resolve(code));
    });
  } finally {
    closeSync(out);
    closeSync(err);
  }
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const summary = readSummary(eventsFile);
  if (!summary) {
    throw new Error(`link-sync (${label}) exited with ${exitCode} without a summary:\n${readFileSync(stderrFile, 'utf8').slice(0, 2000)}`);
  }
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as UsageReport;
  return {
    exitCode,
    startedAtMs,
    wallMs,
    cpuMs: (usage.userCpuUs + usage.systemCpuUs) / 1000,
    maxRssBytes: usage.maxRssKb * 1024,
    summary,
  };
}

/** `link-sync -c CONFIG -s SOURCE --go` with a state folder of its own: the run starts without a sync record. */
export function goWithFreshRecord(ctx: BenchContext, label: string, configPath: string, source: string): Promise<ChildRun> {
  return runLinkSync(ctx, label, ['-c', configPath, '-s', source, '--go', '--state-dir', join(ctx.workDir, `state-${label}`)]);
}

function readSummary(eventsFile: string): RunSummary | undefined {
  const lines = readFileSync(eventsFile, 'utf8').split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]?.trim();
    if (!line) continue;
    const event = JSON.parse(line) as SyncEvent;
    if (event.type === 'run-done') return event.summary;
  }
  return undefined;
}

/** Throws unless every printer ended as expected, naming the first that did not. */
export function expectOutcome(run: ChildRun, outcome: string, label: string): void {
  const bad = run.summary.printers.find((p) => p.outcome !== outcome);
  if (bad) throw new Error(`${label}: printer ${bad.printer} ended "${bad.outcome}"${bad.reason ? `: ${bad.reason}` : ''}`);
}
