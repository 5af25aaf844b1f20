// `npm run bench`: runs the benchmark scenarios, prints the tables and writes docs/performance.md.
//   node dist/bench/run.js                      every scenario; writes docs/performance.md
//   node dist/bench/run.js --only throughput    just these (repeat or comma-separate); prints only
//   --write                                     write docs/performance.md even with --only

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine, renderReport } from './render.js';
import { watchMachineLoad } from './support/machine-load.js';
import type { Scenario, ScenarioResult } from './scenario.js';
import { memory } from './scenarios/memory.js';
import { noChange } from './scenarios/no-change.js';
import { planning } from './scenarios/planning.js';
import { throughput } from './scenarios/throughput.js';
import { slowLink } from './scenarios/slow-link.js';

/** Run order: the cheap pure one first, while the process is fresh, then the farms. */
const SCENARIOS: Scenario[] = [planning, noChange, throughput, memory, slowLink];

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');

function parseArgs(argv: string[]): { only: string[]; write: boolean } {
  const only: string[] = [];
  let write = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--only') only.push(...(argv[++i] ?? '').split(','));
    else if (arg.startsWith('--only=')) only.push(...arg.slice('--only='.length).split(','));
    else if (arg === '--write') write = true;
    else throw new Error(`unknown argument ${JSON.stringify(arg)} (use --only NAME, --write)`);
  }
  const names = SCENARIOS.map((s) => s.name);
  for (const name of only) {
    if (!names.includes(name)) throw new Error(`no scenario "${name}" (there are: ${names.join(', ')})`);
  }
  return { only, write: write || only.length === 0 };
}

async function main(): Promise<number> {
  let args: { only: string[]; write: boolean };
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n`);
    return 2;
  }
  const chosen = SCENARIOS.filter((s) => args.only.length === 0 || args.only.includes(s.name));
  const log = (line: string): void => void process.stderr.write(`bench: ${line}\n`);
  const results: Array<{ order: number; result: ScenarioResult }> = [];
  let failed = false;
  let workDir: string | undefined;
  const cleanUp = (): void => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
    workDir = undefined;
  };
  process.once('SIGINT', () => {
    cleanUp();
    process.exit(130);
  });
  for (const scenario of chosen) {
    workDir = mkdtempSync(join(os.tmpdir(), `link-sync-bench-${scenario.name}-`));
    const started = Date.now();
    const stopLoad = watchMachineLoad();
    try {
      const result = await scenario.run({
        binPath: join(repoRoot, 'dist/src/bin.js'),
        usagePreload: join(here, 'report-usage.js'),
        workDir,
        log,
      });
      results.push({ order: scenario.order, result: { ...result, load: stopLoad() } });
      log(`${scenario.name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      failed = true;
      log(`${scenario.name} FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    } finally {
      cleanUp();
    }
  }
  const ordered = results.sort((a, b) => a.order - b.order).map((r) => r.result);
  const report = renderReport(ordered, describeMachine(), new Date());
  process.stdout.write(report);
  if (failed) {
    log('not writing docs/performance.md: a scenario failed');
    return 1;
  }
  if (args.write) {
    const target = join(repoRoot, 'docs/performance.md');
    writeFileSync(target, report);
    log(`wrote ${target}`);
  }
  return 0;
}

process.exitCode = await main();
