// Decides what a pull creates, from every printer's candidates: one local file per path, taken from
// every printer that has it (their contents are compared while downloading), a conflict where sizes
// already differ, and --prefer's printer alone where it has the path. Pure.

import { compareCodeUnits } from '../source/paths.js';
import type { PullCandidate, PullConflict, PullItem, PullPlan } from './types.js';

export interface PullPolicy {
  /** Exact printer name (as configured) whose copy wins a conflict. */
  prefer?: string;
  /** The run's printers in config order: sources are downloaded, and the first one's time kept, in this order. */
  printerOrder: readonly string[];
}

export function planPull(candidates: readonly PullCandidate[], policy: PullPolicy): PullPlan {
  const rank = new Map(policy.printerOrder.map((name, i) => [name, i]));
  const groups = new Map<string, PullCandidate[]>();
  for (const c of candidates) {
    const key = `${c.localRoot}\u0000${c.path}`;
    const group = groups.get(key);
    if (group) group.push(c);
    else groups.set(key, [c]);
  }
  const items: PullItem[] = [];
  const conflicts: PullConflict[] = [];
  for (const group of groups.values()) {
    group.sort((a, b) => (rank.get(a.printer) ?? Infinity) - (rank.get(b.printer) ?? Infinity));
    const first = group[0]!;
    const preferred = policy.prefer === undefined ? undefined : group.find((c) => c.printer === policy.prefer);
    if (preferred) {
      items.push({
        localRoot: first.localRoot,
        path: first.path,
        size: preferred.size,
        sources: [preferred],
        overridden: group.filter((c) => c !== preferred),
      });
      continue;
    }
    if (group.every((c) => c.size === first.size)) {
      items.push({ localRoot: first.localRoot, path: first.path, size: first.size, sources: group, overridden: [] });
      continue;
    }
    conflicts.push({
      localRoot: first.localRoot,
      path: first.path,
      copies: group.map(copyOf),
      reason: 'the printers hold copies of different sizes',
    });
  }
  const byPath = (a: { path: string; localRoot: string }, b: { path: string; localRoot: string }): number =>
    compareCodeUnits(a.localRoot, b.localRoot) || compareCodeUnits(a.path, b.path);
  return { items: items.sort(byPath), conflicts: conflicts.sort(byPath) };
}

export function copyOf(c: PullCandidate): PullConflict['copies'][number] {
  return { printer: c.printer, size: c.size, ...(c.mTimestamp !== undefined ? { mTimestamp: c.mTimestamp } : {}) };
}

/** Each printer's downloads, in path order: one queue per printer, run one file at a time. */
export function downloadQueues(plan: PullPlan): Map<string, Array<{ item: PullItem; source: PullCandidate }>> {
  const queues = new Map<string, Array<{ item: PullItem; source: PullCandidate }>>();
  for (const item of plan.items) {
    for (const source of item.sources) {
      const queue = queues.get(source.printer);
      if (queue) queue.push({ item, source });
      else queues.set(source.printer, [{ item, source }]);
    }
  }
  return queues;
}
