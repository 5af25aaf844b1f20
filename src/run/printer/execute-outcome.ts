// Step 4 of a printer's sync (--go): arm the plan's deadline, run the plan under the scope guard, and judge the outcome.

import type { PrinterIdentity } from '../../printer/api.js';
import type { NameRules, PlanHold, PrinterPlan, PrintedFile, PrinterStatus, RemoteTree, StorageInfo } from '../../types.js';
import { PrinterError } from '../../errors.js';
import { gatePrinter } from '../../plan/gate.js';
import { foldName } from '../../source/paths.js';
import { executePlan, type RecheckStop, type TransferAction } from '../../execute/executor.js';
import { uploadsThatWillNotFit } from '../../execute/free-space.js';
import type { PreviousCopy } from '../../execute/upload-outcome.js';
import type { PrinterResult } from '../../report/events.js';
import type { RecordSession } from '../../record/session.js';
import { backupStep } from '../../backup/plan-backup.js';
import { guardScope } from '../../execute/scope-guard.js';
import { planDeadlineMs } from '../../execute/printer-deadline.js';
import { formatBytes, plural } from '../../report/format.js';
import { syncRoot, type PrinterJob } from './job.js';
import type { Backups, Refusal } from './plan-safety.js';

/** What the run of a plan came to. */
export type Executed = Awaited<ReturnType<typeof executePlan>>;

/** Deletions are quick; re-reading the state before each one would double their requests. */
const DELETE_RECHECK_MS = 1000;

/** From here the printer has the time its plan can take (and its backups), no more. */
export function armPlanDeadline(job: PrinterJob, plan: PrinterPlan, backups: Backups | undefined): void {
  if (!job.deadline) return;
  // Each backup is a download at printer speed, timed like an upload of its size.
  const timing = job.deadline.timing;
  const backupMs = backups ? [...backups.files.values()].reduce((ms, f) => ms + timing.uploadMs(f.size ?? 0) + timing.requestMs, 0) : 0;
  const limit = planDeadlineMs(plan.actions, timing) + backupMs;
  const backupText = backups ? `, ${formatBytes(backups.bytes)} to back up` : '';
  job.deadline.arm(limit, `from its plan: ${plural(plan.actions.length, 'action')}, ${formatBytes(plan.uploadBytes)} to send${backupText}`);
}

/**
 * Told before anything is sent, in a dry run too: uploads beyond the free space the printer reports
 * (a Pi) will not be sent, and the operator can free space first.
 */
export function warnIfUploadsWillNotFit(
  job: PrinterJob,
  plan: PrinterPlan,
  storage: StorageInfo,
  remote: RemoteTree,
  rules: NameRules,
): void {
  const previous = previousCopies(remote, rules);
  const left = uploadsThatWillNotFit(plan.actions, storage.freeSpace, (action) => previous(action)?.size);
  const [first, ...after] = left;
  if (!first || storage.freeSpace === undefined) return;
  const afterBytes = after.reduce((sum, a) => sum + a.source.size, 0);
  const also = after.length === 0 ? 'it is' : `it and ${plural(after.length, 'upload')} after it (${formatBytes(afterBytes)}) are`;
  job.emit({
    type: 'warning',
    printer: job.printer,
    message: `storage "${storage.name}" has ${formatBytes(storage.freeSpace)} free, too little for ${first.path} (${formatBytes(first.source.size)}) after the uploads before it: free space on the printer, or ${also} not sent`,
  });
}

/** Runs the plan's actions on the printer, one at a time, re-checking its state before each. */
export function executeOnPrinter(
  job: PrinterJob,
  plan: PrinterPlan,
  status: PrinterStatus,
  storage: StorageInfo,
  remote: RemoteTree,
  identity: PrinterIdentity,
  session: RecordSession | undefined,
  backups: Backups | undefined,
): Promise<Executed> {
  return executePlan(plan, {
    printer: job.printer,
    // Every change passes the scope check: nothing outside the mirrored folder is ever sent.
    api: guardScope(job.api, { storage: storage.name, rootUrl: remote.rootUrl, caseInsensitive: identity.rules.caseInsensitive }),
    storage: storage.name,
    emit: job.emit,
    ...(job.signal ? { signal: job.signal } : {}),
    recheck: makeRecheck(
      job,
      status,
      storage,
      plan.actions.map((a) => a.kind),
    ),
    previousCopy: previousCopies(remote, identity.rules),
    uploadResends: job.uploadResends ?? 0,
    ...(backups && job.backupDir !== undefined ? { backup: backupStep(job, storage.name, remote.root, backups) } : {}),
    ...(job.stallMs !== undefined ? { stallMs: job.stallMs } : {}),
    rules: identity.rules,
    ...(storage.freeSpace !== undefined ? { freeSpace: storage.freeSpace } : {}),
    ...(session ? { confirmed: session.confirmations(storage.name, remote.root, identity.rules, syncRoot(job)) } : {}),
  });
}

/** The printer's result from what ran: its counts, its outcome and the reason for it. */
export function judgeOutcome(result: PrinterResult, executed: Executed, plan: PrinterPlan, refusal: Refusal | undefined): void {
  result.done = executed.done;
  result.failed = executed.failed;
  result.notRun = executed.notRun;
  result.held += executed.held;
  result.bytesSent = executed.bytesSent;
  if (executed.firstError) result.error = executed.firstError;
  if (executed.stoppedReason) result.reason = executed.stoppedReason;
  if (executed.becameBusy) result.becameBusy = true;
  result.outcome = executed.interrupted
    ? 'interrupted'
    : executed.offline
      ? 'went-offline'
      : executed.failed > 0 || executed.notRun > 0 || executed.held > 0 || result.problems > 0 || refusal?.code === 'MAX_DELETE'
        ? 'failed'
        : heldOnPurpose(plan.holds)
          ? 'held'
          : 'in-sync';
  if (result.outcome === 'held' && !result.reason) result.reason = heldReason(plan.holds);
  if (result.outcome === 'failed' && !result.reason && executed.held > 0) {
    result.reason = `${executed.held} deletion(s) or replacement(s) held: their backup failed`;
  }
  if (result.outcome === 'failed' && !result.reason && result.problems > 0) {
    result.reason = `${result.problems === 1 ? '1 file cannot' : `${result.problems} files cannot`} be stored on this printer`;
  }
}

/** How a printer ended when an error stopped its sync. */
export function outcomeOfError(error: unknown, answeredBefore: boolean): PrinterResult['outcome'] {
  if (!(error instanceof PrinterError)) return 'failed';
  if (error.kind === 'auth') return 'credentials-refused';
  if (error.kind === 'not-prusalink') return 'not-prusalink';
  if (error.kind === 'unreachable') return answeredBefore ? 'went-offline' : 'unreachable';
  return 'failed';
}

/** What the listing showed under each name, to judge a replacement whose connection broke. */
function previousCopies(remote: RemoteTree, rules: NameRules): (action: TransferAction) => PreviousCopy | undefined {
  // Built on first use: a run with nothing to transfer never needs it.
  let byPath: Map<string, RemoteTree['files'][number]> | undefined;
  return (action) => {
    byPath ??= new Map(remote.files.map((f) => [foldName(f.path, rules), f]));
    const file = byPath.get(foldName(action.path, rules));
    if (!file) return undefined;
    return {
      ...(file.size !== undefined ? { size: file.size } : {}),
      ...(file.mTimestamp !== undefined ? { mTimestamp: file.mTimestamp } : {}),
    };
  };
}

/** How the reason of a sync stopped by a print (or other busy state) that began during it starts. */
const BECAME_BUSY = 'printer became busy during the sync';

/** Before each action: is the printer still safe to touch? */
function makeRecheck(job: PrinterJob, initial: PrinterStatus, storage: StorageInfo, kinds: string[]) {
  let index = 0;
  let lastCheck = Date.now();
  return async (): Promise<RecheckStop | undefined> => {
    const kind = kinds[index++];
    const isUpload = kind === 'upload' || kind === 'replace';
    if (index === 1 || (!isUpload && Date.now() - lastCheck < DELETE_RECHECK_MS)) return undefined;
    const now = await job.api.status();
    lastCheck = Date.now();
    if (job.ignoreState) {
      return samePrintedFile(initial.printing, now.printing)
        ? undefined
        : { reason: 'a print started during the sync; no further changes made' };
    }
    const gate = gatePrinter(now, storage, false);
    return gate.ok ? undefined : { reason: `${BECAME_BUSY} (${gate.reason}); no further changes made`, becameBusy: true };
  };
}

function samePrintedFile(a: PrintedFile | undefined, b: PrintedFile | undefined): boolean {
  if (!a || !b) return !a && !b ? true : !b;
  return [...a.paths].sort().join('\n') === [...b.paths].sort().join('\n');
}

/** Holds that leave the printer short of the source: the printed file kept as it was, another destination's files. */
function heldOnPurpose(holds: readonly PlanHold[]): boolean {
  return holds.some((h) => h.reason === 'being-printed' || h.reason === 'other-destination' || h.reason === 'empty-local-folder');
}

function heldReason(holds: readonly PlanHold[]): string {
  const printed = holds.filter((h) => h.reason === 'being-printed');
  const elsewhere = holds.filter((h) => h.reason === 'other-destination').length;
  const parts: string[] = [];
  for (const h of printed)
    parts.push(`${h.path} is being printed and ${h.wouldHave === 'delete' ? 'is not deleted' : 'keeps its old copy'}`);
  if (elsewhere > 0) parts.push(`${elsewhere} ${elsewhere === 1 ? 'deletion' : 'deletions'} held for another destination`);
  const emptied = holds.filter((h) => h.reason === 'empty-local-folder').length;
  if (emptied > 0) parts.push(`${emptied} ${emptied === 1 ? 'deletion' : 'deletions'} held under an empty local folder`);
  return parts.join('; ');
}
