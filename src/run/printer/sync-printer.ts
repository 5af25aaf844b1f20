// One printer's sync, as its steps: identify and gate, walk and prepare the record, plan with the safety, then (with --go) execute and judge.

import { blankResult, type PrinterResult } from '../../report/events.js';
import { toErrorInfo } from '../../report/error-info.js';
import type { RecordSession } from '../../record/session.js';
import { backupSizes } from '../../backup/plan-backup.js';
import { prePlanDeadlineMs } from '../../execute/printer-deadline.js';
import { syncRoot, type PrinterJob } from './job.js';
import { readAndGate } from './identify.js';
import { listRemote, openRecord, prepareRecord } from './walk-record.js';
import { announcePlan, countPlanned, planSafely, reportRefusal } from './plan-safety.js';
import { armPlanDeadline, executeOnPrinter, judgeOutcome, outcomeOfError, warnIfUploadsWillNotFit } from './execute-outcome.js';

export type { PrinterJob } from './job.js';

export async function syncPrinter(job: PrinterJob): Promise<PrinterResult> {
  if (job.refused !== undefined) {
    job.emit({ type: 'printer-start', printer: job.printer });
    const error = {
      code: 'NOTHING_ROUTED',
      message: `printer ${job.printer}: ${job.refused}`,
      hint: "check the printer's include/exclude and printer_type in the config",
    };
    return { ...blankJobResult(job), reason: job.refused, error };
  }
  // Waiting for a planning slot is not the printer's time: its deadline starts once it has one.
  const releaseSlot = job.planSlots ? await job.planSlots.take() : () => {};
  const deadline = job.deadline;
  deadline?.arm(prePlanDeadlineMs(deadline.timing), 'for reading the printer before planning');
  try {
    return blameDeadline(job, await syncPrinterSteps(job, releaseSlot));
  } finally {
    releaseSlot();
    deadline?.clear();
  }
}

/** Whatever step the printer's deadline cut short, say it was the deadline. */
function blameDeadline(job: PrinterJob, result: PrinterResult): PrinterResult {
  const deadline = job.deadline;
  if (!deadline?.expired || job.signal?.aborted) return result;
  const message = `printer ${job.printer}: ${deadline.expired}`;
  const error = {
    code: 'PRINTER_DEADLINE',
    message,
    hint: 'the printer is far slower than planned or hangs; check it, then run again (see docs/reliability.md, deadlines)',
  };
  return { ...result, outcome: 'failed', reason: message, error };
}

/** A result with nothing done yet: the steps fill it in as they go. */
function blankJobResult(job: PrinterJob): PrinterResult {
  return { ...blankResult(job.printer, 'failed'), otherModel: job.skipped?.length ?? 0 };
}

async function syncPrinterSteps(job: PrinterJob, releaseSlot: () => void): Promise<PrinterResult> {
  const started = Date.now();
  const result = blankJobResult(job);
  const finish = (): PrinterResult => ({ ...result, durationMs: Date.now() - started });
  job.emit({ type: 'printer-start', printer: job.printer });
  let session: RecordSession | undefined;
  // An unreachable printer that answered before is one that went offline during the sync.
  let answered = false;
  try {
    // 1. Identify and gate.
    const identity = await job.api.identify();
    answered = true;
    const { status, storage, gate } = await readAndGate(job);
    if (!gate.ok) {
      result.outcome = gate.kind === 'busy' ? 'skipped' : 'failed';
      result.reason = gate.reason;
      return finish();
    }
    // 2. Walk, and prepare the record.
    const root = syncRoot(job);
    let remote = await listRemote(job, storage.name, root, identity);
    session = await openRecord(job, identity);
    const prepared = await prepareRecord(job, session, storage.name, remote, identity);
    if (prepared) remote = prepared.remote;
    // 3. Plan, with the delete safety; known before anything runs, so the dry run can say what the backups cost.
    const { plan, refusal } = planSafely(job, remote, identity, status, prepared, session, storage.name);
    const backups =
      job.backupDir !== undefined
        ? await backupSizes(job.api, storage.name, remote, plan.actions, { dir: job.backupDir, printer: job.printer, root: remote.root })
        : undefined;
    countPlanned(result, plan);
    announcePlan(job, storage.name, root, plan, backups);
    warnIfUploadsWillNotFit(job, plan, storage, remote, identity.rules);
    reportRefusal(job, result, refusal);
    if (!job.go) {
      result.outcome = 'planned';
      return finish();
    }
    // 4. Execute, and judge the outcome.
    releaseSlot();
    armPlanDeadline(job, plan, backups);
    const executed = await executeOnPrinter(job, plan, status, storage, remote, identity, session, backups);
    judgeOutcome(result, executed, plan, refusal);
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
