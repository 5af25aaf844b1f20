// One printer's sync: identify, state gate, walk, (sync record) plan, then (with --go) execute; resolves its result.

import type { PrinterApi } from '../../printer/api.js';
import type { NameRules, PlanHold, PrinterPlan, PrintedFile, PrinterStatus, RemoteTree, SourceSkip, SourceTree, StorageInfo, SyncPolicy } from '../../types.js';
import { PrinterError } from '../../errors.js';
import { gatePrinter } from '../../plan/gate.js';
import { planPrinter } from '../../plan/plan.js';
import { guardDeletions } from '../../plan/safety.js';
import { foldName, joinPath } from '../../source/paths.js';
import { walkRemote } from '../../printer/walk.js';
import { executePlan, describeAction, type TransferAction } from '../../execute/executor.js';
import type { PreviousCopy } from '../../execute/upload-outcome.js';
import { emptyCounts, type EventSink, type PrinterResult } from '../../report/events.js';
import { toErrorInfo } from '../../report/error-info.js';
import type { Destination } from '../../config/destination.js';
import { printerKey } from '../../record/keys.js';
import { RecordSession, type RecordRun } from '../../record/session.js';
import type { Slots } from '../../source/limit.js';
import { backupSizes, backupStep } from '../../backup/plan-backup.js';
import { guardScope } from '../../execute/scope-guard.js';
import { planDeadlineMs, prePlanDeadlineMs, type PrinterDeadline } from '../../execute/printer-deadline.js';
import { formatBytes } from '../../report/format.js';

export interface PrinterJob {
  printer: string;
  api: PrinterApi;
  source: SourceTree;
  destination: Destination;
  prefix: string;
  go: boolean;
  /** Emit each file judged in sync with its reason. */
  verbose?: boolean;
  ignoreState: boolean;
  policy: SyncPolicy;
  emit: EventSink;
  signal?: AbortSignal;
  /** Refuse every deletion on this printer when the plan deletes more files than this. */
  maxDelete?: number;
  /** Re-sends of an upload whose connection broke and that the printer does not have (default 0). */
  uploadResends?: number;
  /** The configured host: the record's key when the printer reports no serial. */
  host: string;
  /** The sync record shared by the run; without it, every file is judged by the time rule. */
  record?: RecordRun;
  /** Source files routed away from this printer (another model's), shown with its plan. */
  skipped?: SourceSkip[];
  /** Bounds how many printers read and plan at once (their listings and records are the run's
   * memory); the slot is given back before the plan is executed, so uploads all run at once. */
  planSlots?: Slots;
  /** --backup-dir: keep the printer's copy of each file before deleting or replacing it. */
  backupDir?: string;
  /** --timeout: how long an upload may stand still on the printer. */
  stallMs?: number;
  /** Stops this printer alone when it runs past the time its plan can take. */
  deadline?: PrinterDeadline;
}

/** Deletions are quick; re-reading the state before each one would double their requests. */
const DELETE_RECHECK_MS = 1000;

export async function syncPrinter(job: PrinterJob): Promise<PrinterResult> {
  // Waiting for a planning slot is not the printer's time: its deadline starts once it has one.
  const releaseSlot = job.planSlots ? await job.planSlots.take() : () => {};
  const deadline = job.deadline;
  deadline?.arm(prePlanDeadlineMs(deadline.timing), 'for reading the printer before planning');
  try {
    const result = await syncPrinterSteps(job, releaseSlot);
    if (!deadline?.expired || job.signal?.aborted) return result;
    // Whatever step the deadline cut short, say it was the deadline.
    const message = `printer ${job.printer}: ${deadline.expired}`;
    const error = { code: 'PRINTER_DEADLINE', message, hint: 'the printer is far slower than planned or hangs; check it, then run again (see docs/reliability.md, deadlines)' };
    return { ...result, outcome: 'failed', reason: message, error };
  } finally {
    releaseSlot();
    deadline?.clear();
  }
}

async function syncPrinterSteps(job: PrinterJob, releaseSlot: () => void): Promise<PrinterResult> {
  const started = Date.now();
  const result: PrinterResult = {
    printer: job.printer,
    outcome: 'failed',
    planned: emptyCounts(),
    done: emptyCounts(),
    failed: 0,
    notRun: 0,
    problems: 0,
    held: 0,
    otherModel: job.skipped?.length ?? 0,
    unchanged: 0,
    plannedBytes: 0,
    bytesSent: 0,
    durationMs: 0,
  };
  const finish = (): PrinterResult => ({ ...result, durationMs: Date.now() - started });
  job.emit({ type: 'printer-start', printer: job.printer });
  let session: RecordSession | undefined;
  // An unreachable printer that answered before is one that went offline during the sync.
  let answered = false;
  try {
    const identity = await job.api.identify();
    answered = true;
    const status = await job.api.status();
    const storage = chooseStorage(job.printer, await job.api.storages(), job.destination.storage);
    const gate = gatePrinter(status, storage, job.ignoreState);
    if (!gate.ok) {
      result.outcome = gate.kind === 'busy' ? 'skipped' : 'failed';
      result.reason = gate.reason;
      return finish();
    }
    const root = joinPath(job.destination.path, job.prefix);
    let remote = await walkRemote(job.api, storage.name, root, identity.rules, job.record?.strings);
    if (job.record) session = await RecordSession.open(job.record, printerKey(identity.serial, job.host), job.printer, job.emit);
    const prepared = session ? await session.prepare(job.api, storage.name, remote, job.source, identity.rules) : undefined;
    if (prepared) remote = prepared.remote;
    let plan = planPrinter({
      source: job.source,
      remote,
      rules: identity.rules,
      ...(status.printing ? { printing: status.printing } : {}),
      policy: job.policy,
      ...(prepared ? { record: prepared.record } : {}),
      ...(job.verbose ? { explainSame: true } : {}),
      destination: job.destination.path,
    });
    session?.applyPlan(storage.name, plan.recordChanges);
    const guarded = guardDeletions(plan, job.maxDelete === undefined ? {} : { maxDelete: job.maxDelete });
    const refusal = guarded.refusal;
    // Refused deletions are held files like any other: listed, and counted once each.
    plan = refusal ? { ...guarded.plan, holds: [...guarded.plan.holds, ...refusedHolds(plan, guarded.plan, refusal.code)] } : guarded.plan;
    // Known before anything runs, so the dry run can say what the backups cost.
    const backups = job.backupDir !== undefined ? await backupSizes(job.api, storage.name, remote, plan.actions) : undefined;
    for (const action of plan.actions) result.planned[action.kind]++;
    result.problems = countFiles(plan.problems);
    result.held = countFiles(plan.holds);
    result.unchanged = plan.unchanged;
    result.plannedBytes = plan.uploadBytes;
    job.emit({
      type: 'plan',
      printer: job.printer,
      storage: storage.name,
      root,
      actions: plan.actions.map((action) => describeAction(action, { storage: storage.name, root })),
      problems: plan.problems,
      holds: plan.holds,
      unchanged: plan.unchanged,
      ...(job.verbose && plan.same ? { same: plan.same } : {}),
      uploadBytes: plan.uploadBytes,
      ...(backups ? { backupBytes: backups.bytes } : {}),
      ...(job.skipped && job.skipped.length > 0 ? { skipped: job.skipped } : {}),
    });
    const elsewhere = otherDestinationWarning(plan.holds, storage.name, job.destination.path);
    if (elsewhere) job.emit({ type: 'warning', printer: job.printer, message: elsewhere });
    if (refusal) {
      job.emit({ type: 'warning', printer: job.printer, message: refusal.message });
      // Refused deletions leave the printer out of sync, in a dry run too (see exitCodeForPrinter).
      if (refusal.code === 'MAX_DELETE') result.error = { code: 'MAX_DELETE', message: refusal.message };
      result.reason = refusal.message;
    }
    if (!job.go) {
      result.outcome = 'planned';
      return finish();
    }
    releaseSlot();
    if (job.deadline) {
      // Each backup is a download at printer speed, timed like an upload of its size.
      const timing = job.deadline.timing;
      const backupMs = backups ? [...backups.files.values()].reduce((ms, f) => ms + timing.uploadMs(f.size ?? 0) + timing.requestMs, 0) : 0;
      const limit = planDeadlineMs(plan.actions, timing) + backupMs;
      const backupText = backups ? `, ${formatBytes(backups.bytes)} to back up` : '';
      job.deadline.arm(limit, `from its plan: ${plan.actions.length} actions, ${formatBytes(plan.uploadBytes)} to send${backupText}`);
    }
    const executed = await executePlan(plan, {
      printer: job.printer,
      // Every change passes the scope check: nothing outside the mirrored folder is ever sent.
      api: guardScope(job.api, { storage: storage.name, rootUrl: remote.rootUrl, caseInsensitive: identity.rules.caseInsensitive }),
      storage: storage.name,
      emit: job.emit,
      ...(job.signal ? { signal: job.signal } : {}),
      recheck: makeRecheck(job, status, storage, plan.actions.map((a) => a.kind)),
      previousCopy: previousCopies(remote, identity.rules),
      uploadResends: job.uploadResends ?? 0,
      ...(backups && job.backupDir !== undefined ? { backup: backupStep(job, storage.name, remote.root, backups) } : {}),
      ...(job.stallMs !== undefined ? { stallMs: job.stallMs } : {}),
      ...(session ? { confirmed: session.confirmations(storage.name, remote.root, identity.rules, job.destination.path) } : {}),
    });
    result.done = executed.done;
    result.failed = executed.failed;
    result.notRun = executed.notRun;
    result.held += executed.held;
    result.bytesSent = executed.bytesSent;
    if (executed.firstError) result.error = executed.firstError;
    if (executed.stoppedReason) result.reason = executed.stoppedReason;
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
    return finish();
  } catch (error) {
    const info = toErrorInfo(error);
    result.error = info;
    result.reason = info.message;
    result.outcome = job.signal?.aborted ? 'interrupted' : outcomeOfError(error, answered);
    return finish();
  } finally {
    releaseSlot();
    // Whatever happened, keep what the printer confirmed (a dry run saves nothing).
    await session?.close();
  }
}

/** How a printer ended when an error stopped its sync. */
function outcomeOfError(error: unknown, answeredBefore: boolean): PrinterResult['outcome'] {
  if (!(error instanceof PrinterError)) return 'failed';
  if (error.kind === 'auth') return 'credentials-refused';
  if (error.kind === 'not-prusalink') return 'not-prusalink';
  if (error.kind === 'unreachable') return answeredBefore ? 'went-offline' : 'unreachable';
  return 'failed';
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

/** Picks the storage to sync: the one named in -d, else the printer's writable one (usb or local). */
export function chooseStorage(printer: string, storages: StorageInfo[], wanted: string | undefined): StorageInfo {
  const names = storages.map((s) => s.name).join(', ') || 'none';
  if (wanted !== undefined) {
    const found = storages.find((s) => s.name.toLowerCase() === wanted.toLowerCase());
    if (!found) {
      throw new PrinterError(printer, 'storage', `printer ${printer}: has no storage "${wanted}" (it has: ${names})`, {
        hint: `use -d with one of: ${names}`,
      });
    }
    return checkUsable(printer, found);
  }
  const writable = storages.filter((s) => !s.readOnly);
  const chosen = writable.find((s) => s.available) ?? writable[0];
  if (!chosen) {
    throw new PrinterError(printer, 'storage', `printer ${printer}: no writable storage (it has: ${names})`, {
      hint: 'insert a USB stick, or check the printer',
    });
  }
  return checkUsable(printer, chosen);
}

function checkUsable(printer: string, storage: StorageInfo): StorageInfo {
  if (!storage.available) {
    const what = storage.name === 'usb' ? 'no USB stick is inserted' : `storage "${storage.name}" is not available`;
    throw new PrinterError(printer, 'storage', `printer ${printer}: ${what}`, {
      hint: 'insert the storage and run again; nothing was changed on this printer',
    });
  }
  if (storage.readOnly) {
    throw new PrinterError(printer, 'storage', `printer ${printer}: storage "${storage.name}" is read-only`, {
      hint: 'choose a writable storage with -d',
    });
  }
  return storage;
}

/** Before each action: is the printer still safe to touch? */
function makeRecheck(job: PrinterJob, initial: PrinterStatus, storage: StorageInfo, kinds: string[]) {
  let index = 0;
  let lastCheck = Date.now();
  return async (): Promise<string | undefined> => {
    const kind = kinds[index++];
    const isUpload = kind === 'upload' || kind === 'replace';
    if (index === 1 || (!isUpload && Date.now() - lastCheck < DELETE_RECHECK_MS)) return undefined;
    const now = await job.api.status();
    lastCheck = Date.now();
    if (job.ignoreState) {
      return samePrintedFile(initial.printing, now.printing)
        ? undefined
        : 'a print started during the sync; no further changes made';
    }
    const gate = gatePrinter(now, storage, false);
    return gate.ok ? undefined : `printer became busy during the sync (${gate.reason}); no further changes made`;
  };
}

function samePrintedFile(a: PrintedFile | undefined, b: PrintedFile | undefined): boolean {
  if (!a || !b) return !a && !b ? true : !b;
  return [...a.paths].sort().join('\n') === [...b.paths].sort().join('\n');
}

/** Holds that leave the printer short of the source: the printed file kept as it was, another destination's files. */
function heldOnPurpose(holds: readonly PlanHold[]): boolean {
  return holds.some((h) => h.reason === 'being-printed' || h.reason === 'other-destination');
}

function heldReason(holds: readonly PlanHold[]): string {
  const printed = holds.filter((h) => h.reason === 'being-printed');
  const elsewhere = holds.filter((h) => h.reason === 'other-destination').length;
  const parts: string[] = [];
  for (const h of printed) parts.push(`${h.path} is being printed and ${h.wouldHave === 'delete' ? 'is not deleted' : 'keeps its old copy'}`);
  if (elsewhere > 0) parts.push(`${elsewhere} ${elsewhere === 1 ? 'deletion' : 'deletions'} held for another destination`);
  return parts.join('; ');
}

/** One line per run saying which deletions wait for another destination's sync, and how to go on. */
function otherDestinationWarning(holds: readonly PlanHold[], storage: string, destination: string): string | undefined {
  const byDestination = new Map<string, number>();
  for (const h of holds) if (h.reason === 'other-destination' && h.placedBy !== undefined) byDestination.set(h.placedBy, (byDestination.get(h.placedBy) ?? 0) + 1);
  if (byDestination.size === 0) return undefined;
  const here = destination === '' ? `the root of /${storage}` : `/${storage}/${destination}`;
  const which = [...byDestination].map(([d, n]) => `${n} placed by a sync to -d /${storage}/${d}`).join(', ');
  const first = [...byDestination.keys()][0] as string;
  return `${[...byDestination.values()].reduce((a, b) => a + b, 0)} deletions held: ${which}, inside this run's destination ${here} (to sync that folder, run with -d /${storage}/${first}; to delete them, run again with --delete-other-destinations)`;
}
