// What a benchmark scenario is and what it hands back: table rows, target checks and notes.

import type { MachineLoad } from './support/machine-load.js';

/** One cell per column, already formatted for the table. */
export type Row = Record<string, string>;

export interface TargetCheck {
  /** What is promised, in words: "no-change requests per printer ≤ folders + 3". */
  target: string;
  /** What was measured, in words: "116 (folders + 4)". */
  measured: string;
  met: boolean;
}

export interface ScenarioResult {
  /** Heading of the scenario's section. */
  title: string;
  /** How the scenario was set up, in one or two sentences. */
  setup: string;
  columns: string[];
  rows: Row[];
  targets: TargetCheck[];
  /** Observations worth keeping beside the numbers (what bounded the time, what was checked). */
  notes: string[];
  /** How busy the machine was while the scenario ran (set by the runner). */
  load?: MachineLoad;
}

export interface BenchContext {
  /** Absolute path of the bundled CLI entry (dist/cli/link-sync.mjs, built by npm run build). */
  binPath: string;
  /** Absolute path of the compiled usage reporter loaded into every link-sync child. */
  usagePreload: string;
  /** A fresh temporary folder for this scenario, deleted after it. */
  workDir: string;
  /** Progress lines on stderr, so a long run shows that it is alive. */
  log: (line: string) => void;
}

export interface Scenario {
  /** Name for --only. */
  name: string;
  /** Position in the table (the order of the targets in docs/performance.md). */
  order: number;
  run(ctx: BenchContext): Promise<ScenarioResult>;
}
