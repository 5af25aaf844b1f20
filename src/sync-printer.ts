// One printer's sync: identify, state gate, walk, (sync record) plan, then (with --go) execute; resolves its result.

import type { PrinterApi } from './printer/api.js';
import type { NameRules, PrintedFile, PrinterStatus, RemoteTree, SourceSkip, SourceTree, StorageInfo, SyncPolicy } from './types.js';
import { PrinterError } from './errors.js';
import { gatePrinter } from './plan/gate.js';
import { planPrinter } from './plan/plan.js';
import { guardDeletions } from './plan/safety.js';
import { foldName, joinPath } from './source/paths.js';
import { walkRemote } from './printer/walk.js';
import { executePlan, describeAction, type TransferAction } from './execute/executor.js';
import type { PreviousCopy } from './execute/upload-outcome.js';
import { emptyCounts, type EventSink, type PrinterResult } from './report/events.js';
import { toErrorInfo } from './report/error-info.js';
import type { Destination } from './config/destination.js';
import { printerKey } from './record/keys.js';
import { RecordSession, type RecordRun } from './record/session.js';
import { backupSizes, backupStep } from './backup/plan-backup.js';
import { planDeadlineMs, prePlanDeadlineMs, type PrinterDeadline } from './execute/printer-deadline.js';
import { formatBytes } from './report/format.js';

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
  const deadline = job.deadline;
  deadline?.arm(prePlanDeadlineMs(deadline.timing), 'for reading the printer before planning');
  try {
    const result = await syncPrinterSteps(job);
    if (!deadline?.expired || job.signal?.aborted) return result;
    // Whatever step the deadline cut short, say it was the deadline.
    const message = `printer ${job.printer}: ${deadline.expired}`;
    const error = { code: 'PRINTER_DEADLINE', message, hint: 'the printer is far slower than planned or hangs; check it, then run again (see docs/reliability.md, deadlines)' };
    return { ...result, outcome: 'failed', reason: message, error };
  } finally {
    deadline?.clear();
  }
}

async function syncPrinterSteps(job: PrinterJob): Promise<PrinterResult> {
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
    unchanged: 0,
    bytesSent: 0,
    durationMs: 0,
  };
  const finish = (): PrinterResult => ({ ...result, durationMs: Date.now() - started });
  job.emit({ type: 'printer-start', printer: job.printer });
  let session: RecordSession | undefined;
  try {
    const identity = await job.api.identify();
    const status = await job.api.status();
    const storage = chooseStorage(job.printer, await job.api.storages(), job.destination.storage);
    const gate = gatePrinter(status, storage, job.ignoreState);
    if (!gate.ok) {
      result.outcome = gate.kind === 'busy' ? 'skipped' : 'failed';
      result.reason = gate.reason;
      return finish();
    }
    const root = joinPath(job.destination.path, job.prefix);
    let remote = await walkRemote(job.api, storage.name, root, identity.rules);
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
    });
    session?.applyPlan(storage.name, plan.recordChanges);
    const guarded = guardDeletions(plan, job.maxDelete === undefined ? {} : { maxDelete: job.maxDelete });
    plan = guarded.plan;
    const refusal = guarded.refusal;
    // Known before anything runs, so the dry run can say what the backups cost.
    const backups = job.backupDir !== undefined ? await backupSizes(job.api, storage.name, remote, plan.actions) : undefined;
    for (const action of plan.actions) result.planned[action.kind]++;
    result.problems = plan.problems.length;
    result.held = plan.holds.length;
    result.unchanged = plan.unchanged;
    job.emit({
      type: 'plan',
      printer: job.printer,
      storage: storage.name,
      root,
      actions: plan.actions.map(describeAction),
      problems: plan.problems,
      holds: plan.holds,
      unchanged: plan.unchanged,
      ...(job.verbose && plan.same ? { same: plan.same } : {}),
      uploadBytes: plan.uploadBytes,
      ...(backups ? { backupBytes: backups.bytes } : {}),
      ...(job.skipped && job.skipped.length > 0 ? { skipped: job.skipped } : {}),
    });
    if (refusal) {
      job.emit({ type: 'warning', printer: job.printer, message: refusal.message });
      result.held += refusal.files;
      // Refused deletions leave the printer out of sync, in a dry run too.
      if (refusal.code === 'MAX_DELETE') result.problems++;
      result.reason = refusal.message;
    }
    if (!job.go) {
      result.outcome = 'planned';
      return finish();
    }
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
      api: job.api,
      storage: storage.name,
      emit: job.emit,
      ...(job.signal ? { signal: job.signal } : {}),
      recheck: makeRecheck(job, status, storage, plan.actions.map((a) => a.kind)),
      previousCopy: previousCopies(remote, identity.rules),
      uploadResends: job.uploadResends ?? 0,
      ...(backups && job.backupDir !== undefined ? { backup: backupStep(job, storage.name, remote.root, backups) } : {}),
      ...(job.stallMs !== undefined ? { stallMs: job.stallMs } : {}),
      ...(session ? { confirmed: session.confirmations(storage.name, remote.root, identity.rules) } : {}),
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
      : executed.failed > 0 || executed.notRun > 0 || executed.held > 0 || result.problems > 0
        ? 'failed'
        : 'in-sync';
    if (result.outcome === 'failed' && !result.reason && executed.held > 0) {
      result.reason = `${executed.held} deletion(s) or replacement(s) held: their backup failed`;
    }
    if (result.outcome === 'failed' && !result.reason && plan.problems.length > 0) {
      result.reason = `${plan.problems.length} file(s) cannot be stored on this printer`;
    }
    return finish();
  } catch (error) {
    const info = toErrorInfo(error);
    result.error = info;
    result.reason = info.message;
    result.outcome = job.signal?.aborted
      ? 'interrupted'
      : error instanceof PrinterError && (error.kind === 'unreachable' || error.kind === 'auth')
        ? 'unreachable'
        : 'failed';
    return finish();
  } finally {
    // Whatever happened, keep what the printer confirmed (a dry run saves nothing).
    await session?.close();
  }
}

/** What the listing showed under each name, to judge a replacement whose connection broke. */
function previousCopies(remote: RemoteTree, rules: NameRules): (action: TransferAction) => PreviousCopy | undefined {
  const byPath = new Map(remote.files.map((f) => [foldName(f.path, rules), f]));
  return (action) => {
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
