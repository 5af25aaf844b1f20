// Step 3 of a printer's sync: the pure plan, the delete safety on top of it, and the plan told to the reporter.

import type { PrinterIdentity } from '../../printer/api.js';
import type { PlanHold, PrinterPlan, PrinterStatus, RemoteTree } from '../../types.js';
import { planPrinter } from '../../plan/plan.js';
import { guardDeletions, type DeleteRefusal } from '../../plan/safety.js';
import { describeAction } from '../../execute/executor.js';
import type { PrinterResult } from '../../report/events.js';
import { plural } from '../../report/format.js';
import type { RecordSession } from '../../record/session.js';
import type { BackupSizes } from '../../backup/plan-backup.js';
import { syncRoot, type PrinterJob } from './job.js';
import type { PreparedRecord } from './walk-record.js';

/** Deletions the safety refused, and why. */
export type Refusal = DeleteRefusal;
/** The printer copies --backup-dir keeps, and their total size. */
export type Backups = BackupSizes;

/** The plan after the delete safety, with the refusal (if any) that held some of its deletions. */
export interface SafePlan {
  plan: PrinterPlan;
  refusal: Refusal | undefined;
}

/** Plans the printer (pure), notes the plan in the record, and holds the deletions the safety refuses. */
export function planSafely(
  job: PrinterJob,
  remote: RemoteTree,
  identity: PrinterIdentity,
  status: PrinterStatus,
  prepared: PreparedRecord | undefined,
  session: RecordSession | undefined,
  storage: string,
): SafePlan {
  const plan = planPrinter({
    source: job.source,
    remote,
    rules: identity.rules,
    ...(status.printing ? { printing: status.printing } : {}),
    policy: job.policy,
    ...(prepared ? { record: prepared.record } : {}),
    ...(job.verbose ? { explainSame: true } : {}),
    destination: syncRoot(job),
  });
  session?.applyPlan(storage, plan.recordChanges);
  const guarded = guardDeletions(plan, job.maxDelete === undefined ? {} : { maxDelete: job.maxDelete });
  const refusal = guarded.refusal;
  // Refused deletions are held files like any other: listed, and counted once each.
  const safe = refusal
    ? { ...guarded.plan, holds: [...guarded.plan.holds, ...refusedHolds(plan, guarded.plan, refusal.code)] }
    : guarded.plan;
  return { plan: safe, refusal };
}

/** The plan's counts in the printer's result. */
export function countPlanned(result: PrinterResult, plan: PrinterPlan): void {
  for (const action of plan.actions) result.planned[action.kind]++;
  result.problems = countFiles(plan.problems);
  result.held = countFiles(plan.holds);
  result.unchanged = plan.unchanged;
  result.plannedBytes = plan.uploadBytes;
}

/** Tells the reporter the plan (what the dry run shows), then its warnings. */
export function announcePlan(job: PrinterJob, storage: string, root: string, plan: PrinterPlan, backups: Backups | undefined): void {
  job.emit({
    type: 'plan',
    printer: job.printer,
    storage,
    root,
    actions: plan.actions.map((action) => describeAction(action, { storage, root })),
    problems: plan.problems,
    holds: plan.holds,
    unchanged: plan.unchanged,
    ...(job.verbose && plan.same ? { same: plan.same } : {}),
    uploadBytes: plan.uploadBytes,
    ...(backups ? { backupBytes: backups.bytes } : {}),
    ...(backups && backups.kept > 0 ? { backupKept: backups.kept } : {}),
    ...(job.skipped && job.skipped.length > 0 ? { skipped: job.skipped } : {}),
  });
  const elsewhere = otherDestinationWarning(plan.holds, storage, syncRoot(job));
  if (elsewhere) job.emit({ type: 'warning', printer: job.printer, message: elsewhere });
  const emptied = emptyFolderWarning(plan.holds, job.source.root);
  if (emptied) job.emit({ type: 'warning', printer: job.printer, message: emptied });
}

/** Refused deletions are warned about, and leave the printer out of sync, in a dry run too (see exitCodeForPrinter). */
export function reportRefusal(job: PrinterJob, result: PrinterResult, refusal: Refusal | undefined): void {
  if (!refusal) return;
  job.emit({ type: 'warning', printer: job.printer, message: refusal.message });
  if (refusal.code === 'MAX_DELETE') result.error = { code: 'MAX_DELETE', message: refusal.message };
  result.reason = refusal.message;
}

/** Each path once: a file with two problems is one file that cannot be synced. */
function countFiles(entries: ReadonlyArray<{ path: string }>): number {
  return new Set(entries.map((e) => e.path)).size;
}

/** The file deletions the delete safety took out of the plan, as holds. */
function refusedHolds(before: PrinterPlan, after: PrinterPlan, code: 'MAX_DELETE' | 'FILES_NOT_STORABLE'): PlanHold[] {
  const kept = new Set(after.actions.filter((a) => a.kind === 'delete').map((a) => a.path));
  return before.actions
    .filter((a) => a.kind === 'delete' && !kept.has(a.path))
    .map((a) => ({ path: a.path, reason: code === 'MAX_DELETE' ? 'max-delete' : 'deletions-withheld', wouldHave: 'delete' }));
}

/** One line saying which deletions wait because their local folder is empty, and how to go on. */
function emptyFolderWarning(holds: readonly PlanHold[], sourceRoot: string): string | undefined {
  const byFolder = new Map<string, number>();
  for (const h of holds)
    if (h.reason === 'empty-local-folder' && h.localFolder !== undefined)
      byFolder.set(h.localFolder, (byFolder.get(h.localFolder) ?? 0) + 1);
  if (byFolder.size === 0) return undefined;
  const total = [...byFolder.values()].reduce((a, b) => a + b, 0);
  const folders = [...byFolder.keys()].map((f) => `${sourceRoot}/${f}`).join(', ');
  return `${plural(total, 'deletion')} held: the local ${byFolder.size === 1 ? 'folder' : 'folders'} ${folders} ${byFolder.size === 1 ? 'is' : 'are'} empty, as a share that is not mounted looks (mount it and run again; if it was emptied on purpose, remove the folder, then run again)`;
}

/** One line per run saying which deletions wait for another destination's sync, and how to go on. */
function otherDestinationWarning(holds: readonly PlanHold[], storage: string, destination: string): string | undefined {
  const byDestination = new Map<string, number>();
  for (const h of holds)
    if (h.reason === 'other-destination' && h.placedBy !== undefined)
      byDestination.set(h.placedBy, (byDestination.get(h.placedBy) ?? 0) + 1);
  if (byDestination.size === 0) return undefined;
  const here = destination === '' ? `the root of /${storage}` : `/${storage}/${destination}`;
  const which = [...byDestination].map(([d, n]) => `${n} placed by a sync to -d /${storage}/${d}`).join(', ');
  const first = [...byDestination.keys()][0] as string;
  return `${[...byDestination.values()].reduce((a, b) => a + b, 0)} deletions held: ${which}, inside this run's destination ${here} (to sync that folder, run with -d /${storage}/${first}; to delete them, run again with --delete-other-destinations)`;
}
