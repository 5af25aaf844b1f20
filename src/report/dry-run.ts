// The compact dry run: printers with the same plan are shown once, with their names; each plan is a
// count line and its first few actions (--verbose: all of them, and every file left to another model).

import type { SyncEvent } from './events.js';
import { formatBytes, plural } from './format.js';
import { VERB } from './words.js';

export type PlanEvent = Extract<SyncEvent, { type: 'plan' }>;

/** Actions shown per plan without --verbose. */
export const FIRST_ACTIONS = 5;

export interface PlanLine {
  text: string;
  /** A planned action or another detail line (a live view under --go leaves them out). */
  planned?: boolean;
}

/** The plans, grouped by what they do, in the order their first printer came in. */
export function groupPlans(plans: readonly PlanEvent[]): PlanEvent[][] {
  const groups = new Map<string, PlanEvent[]>();
  for (const plan of plans) {
    const key = planKey(plan);
    const group = groups.get(key);
    if (group) group.push(plan);
    else groups.set(key, [plan]);
  }
  return [...groups.values()];
}

/** What makes two printers' plans the same: where, what to do, and what is left out. */
function planKey(p: PlanEvent): string {
  return JSON.stringify([
    p.storage,
    p.root,
    p.unchanged,
    p.actions.map((a) => [a.kind, a.path, a.size, a.reason, a.target, a.targetShort]),
    (p.skipped ?? []).map((s) => [s.path, s.model]),
  ]);
}

/** "3 to upload, 1 to replace, 2 files to delete, 40 unchanged (/usb/farm); 23.4 MB to send". */
export function countLine(p: PlanEvent): string {
  const count = (kind: string) => p.actions.filter((a) => a.kind === kind).length;
  const folders = count('rmdir') > 0 ? `, ${plural(count('rmdir'), 'empty folder')} to remove` : '';
  const send = p.uploadBytes > 0 ? `; ${formatBytes(p.uploadBytes)} to send` : '';
  const kept = p.backupKept ? `${plural(p.backupKept, 'backup')} kept from ${p.backupKept === 1 ? 'an earlier run' : 'earlier runs'}` : '';
  const backup = p.backupBytes
    ? `; ${formatBytes(p.backupBytes)} to back up first (downloaded at printer speed${kept ? `; ${kept}` : ''})`
    : kept
      ? `; ${kept}, nothing to back up first`
      : '';
  return `${count('upload')} missing to upload, ${count('replace')} stale to refresh, ${plural(count('delete'), 'file')} to delete${folders}, ${p.unchanged} unchanged (/${p.storage}/${p.root})${send}${backup}`;
}

/** One printer's (or one group's) plan: count line, actions, files for other models. */
export function planLines(label: string, p: PlanEvent, verbose: boolean, detail = `${label}: `, firstActions = FIRST_ACTIONS): PlanLine[] {
  const lines: PlanLine[] = [{ text: `${label}: ${countLine(p)}` }];
  const shown = verbose ? p.actions : p.actions.slice(0, firstActions);
  for (const action of shown) {
    const size = action.size === undefined ? '' : ` (${formatBytes(action.size)})`;
    lines.push({ text: `${detail}${VERB[action.kind]} ${action.path}${size}: ${action.reason}${onPrinter(action)}`, planned: true });
  }
  if (shown.length < p.actions.length && shown.length > 0) {
    lines.push({
      text: `${detail}… and ${plural(p.actions.length - shown.length, 'more action')} (--verbose lists every action)`,
      planned: true,
    });
  }
  for (const file of p.same ?? []) lines.push({ text: `${detail}same ${file.path}: ${file.reason}`, planned: true });
  const skipped = p.skipped ?? [];
  if (verbose) {
    for (const skip of skipped) lines.push({ text: `${detail}not for this model: ${skip.path} (sliced for ${skip.model})`, planned: true });
  } else if (skipped.length > 0) {
    const models = [...new Set(skipped.map((s) => s.model))];
    const named = models.slice(0, 3).join(', ') + (models.length > 3 ? ', …' : '');
    lines.push({
      text: `${detail}${plural(skipped.length, 'file')} not for this model (sliced for ${named}; --verbose lists them)`,
      planned: true,
    });
  }
  return lines;
}

/** The exact printer path a replacement or deletion acts on, and its short name where that differs. */
function onPrinter(action: { target?: string; targetShort?: string }): string {
  if (action.target === undefined) return '';
  return action.targetShort === undefined
    ? ` (on the printer: ${action.target})`
    : ` (on the printer: ${action.target}, requested as ${action.targetShort})`;
}

/** The whole compact dry run: each group once, under the names of its printers. */
export function dryRunLines(plans: readonly PlanEvent[], verbose: boolean): PlanLine[] {
  return groupPlans(plans).flatMap((group) =>
    group.length === 1
      ? planLines(group[0]!.printer, group[0]!, verbose)
      : // A shared plan: the names once, on its count line; its details indented below.
        planLines(`${group.map((p) => p.printer).join(', ')} (same plan)`, group[0]!, verbose, '    '),
  );
}
