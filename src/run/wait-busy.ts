// --wait-busy: a printer found busy is polled gently and synced as soon as it is free, until a deadline.

import type { PrinterStatus } from '../types.js';
import { IDLE_LIKE_STATES } from '../printer/api.js';
import { syncPrinter, type PrinterJob } from './printer/sync-printer.js';
import type { JobInfo, PrinterResult } from '../report/events.js';
import { toErrorInfo } from '../report/error-info.js';
import { formatDuration } from '../report/format.js';
import { abortableSleep } from '../watch/sleep.js';
import { outcomeOfError } from './printer/execute-outcome.js';

/** Poll every 30 s by default: Buddy boards are weak, and frequent polling is suspected of loading them. */
export const DEFAULT_POLL_MS = 30_000;
/** The command line never polls faster than this. */
export const MIN_POLL_MS = 5_000;

export interface WaitPolicy {
  /** How long to keep waiting for busy printers, from the first attempt. */
  waitMs: number;
  /** Time between two state reads of a waiting printer. */
  pollMs: number;
}

/** True when the gate would let a sync touch this printer (state and transfer; storage is checked by the sync). */
export function isFree(status: PrinterStatus): boolean {
  return IDLE_LIKE_STATES.has(status.state.toUpperCase()) && !status.transferRunning;
}

/** What a status says about the job, for events and rows. */
export function jobInfo(status: PrinterStatus): JobInfo | undefined {
  const printing = status.printing;
  if (!printing) return undefined;
  const file = printing.displayName ?? printing.paths[0];
  return { ...(file !== undefined ? { file } : {}), ...(printing.progress !== undefined ? { progress: printing.progress } : {}) };
}

/**
 * Syncs the printer; when it was skipped as busy, reads its state every `pollMs` and syncs again once
 * it is free, until `waitMs` has passed since the start. A printer still busy then stays "skipped".
 */
export async function syncWaitingIfBusy(job: PrinterJob, policy: WaitPolicy): Promise<PrinterResult> {
  const deadline = Date.now() + policy.waitMs;
  let result = await syncPrinter(job);
  let lastState: string | undefined;
  let unreachableWarned = false;
  /** Why the last state read failed; undefined once the printer answers again. */
  let lost: unknown;
  // The first read comes at once, so the output says what the printer is doing while the run waits.
  let first = true;
  while (waiting(result) && !job.signal?.aborted) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    if (!first) await abortableSleep(Math.min(policy.pollMs, left), job.signal);
    first = false;
    if (job.signal?.aborted) break;
    let status: PrinterStatus;
    try {
      status = await job.api.status();
      unreachableWarned = false;
      lost = undefined;
    } catch (error) {
      if (job.signal?.aborted) break;
      lost = error;
      // A printer that stops answering while it prints may come back: keep polling until the deadline.
      if (!unreachableWarned)
        job.emit({ type: 'warning', printer: job.printer, message: `while waiting for it to be free: ${toErrorInfo(error).message}` });
      unreachableWarned = true;
      continue;
    }
    if (status.state !== lastState) {
      const info = jobInfo(status);
      job.emit({
        type: 'printer-state',
        printer: job.printer,
        state: status.state,
        ...(lastState ? { previous: lastState } : {}),
        ...(info ? { job: info } : {}),
      });
      lastState = status.state;
    }
    if (isFree(status)) result = withEarlier(await syncPrinter(job), result);
  }
  if (waiting(result) && job.signal?.aborted) {
    // Stopped while it waited: the run was interrupted, whatever the printer was doing then.
    return { ...result, outcome: 'interrupted', reason: `interrupted while waiting for it to be free (${result.reason ?? 'busy'})` };
  }
  if (waiting(result) && lost !== undefined) {
    // Its state is not known: the last read failed. Busy it may be, but it is reported as not answering.
    const error = toErrorInfo(lost);
    return {
      ...result,
      outcome: outcomeOfError(lost, true),
      reason: `stopped answering while waited for (last seen ${lastState ?? 'busy'}): ${error.message}`,
      error,
    };
  }
  if (isBusySkip(result)) {
    return { ...result, reason: `${result.reason ?? 'busy'}; still busy after waiting ${formatDuration(policy.waitMs)}` };
  }
  return result;
}

function isBusySkip(result: PrinterResult): boolean {
  return result.outcome === 'skipped';
}

/** Skipped as busy, or stopped (with nothing failed) because the printer was busy again: it is waited for. */
function waiting(result: PrinterResult): boolean {
  const becameBusy = result.outcome === 'failed' && result.failed === 0 && result.becameBusy === true;
  return isBusySkip(result) || becameBusy;
}

/** The later sync's result, counting what an earlier sync stopped by a new print had done. */
function withEarlier(later: PrinterResult, earlier: PrinterResult): PrinterResult {
  const done = { ...later.done };
  for (const kind of Object.keys(done) as Array<keyof typeof done>) done[kind] += earlier.done[kind];
  return { ...later, done, bytesSent: later.bytesSent + earlier.bytesSent };
}
