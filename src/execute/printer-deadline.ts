// Each printer's overall deadline: before its plan exists, a fixed budget of requests; once planned,
// the time its plan can take at the slowest plausible rate. A printer past it is stopped alone.

import type { Action } from '../types.js';
import { ExchangeAbort } from '../printer/transport.js';
import { formatDuration } from '../report/format.js';
import { timerDelay } from '../timers.js';

export interface DeadlineTiming {
  /** The longest one request without a body may take. */
  requestMs: number;
  /** The longest one upload of this size may take. */
  uploadMs(size: number): number;
  /** Further attempts of a broken upload. */
  resends: number;
}

/** Requests before a plan: identify, status, storages, a walk of this many folders. */
export const PRE_PLAN_REQUESTS = 200;

/**
 * How long identifying and walking a printer may take before its plan exists; `lookups`, once known,
 * are the files whose size must be asked one request each (a first sync of thousands of files).
 */
export function prePlanDeadlineMs(timing: DeadlineTiming, lookups = 0): number {
  return (PRE_PLAN_REQUESTS + lookups) * timing.requestMs;
}

/**
 * How long executing a plan may take: every upload its own deadline once per attempt, plus per
 * action the requests around it (state re-check, a look after a broken upload, a wait for the
 * printer's transfer to end) and two per folder it creates first, per deletion its request and re-check, and two requests' room at
 * the end. Pure.
 */
export function planDeadlineMs(actions: readonly Action[], timing: DeadlineTiming): number {
  // Room for the requests after the last action (a final status look, the record's own reads).
  let total = 2 * timing.requestMs;
  for (const action of actions) {
    if (action.kind === 'upload' || action.kind === 'replace') {
      total += (1 + timing.resends) * (timing.uploadMs(action.source.size) + 3 * timing.requestMs);
      // Each new folder: its creation, then the listing that gives its short name.
      if (action.kind === 'upload' && action.newFolders) total += 2 * action.newFolders.names.length * timing.requestMs;
    } else {
      total += 2 * timing.requestMs;
    }
  }
  return total;
}

/** A printer's deadline: arm it with a limit; when it passes, `signal` aborts every request to the printer. */
export class PrinterDeadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  /** Set once the deadline passed: what to tell the operator. */
  expired: string | undefined;

  constructor(readonly timing: DeadlineTiming) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** (Re)starts the clock: the printer must be done within `ms` from now. */
  arm(ms: number, basis: string): void {
    this.clear();
    this.wait(ms, () => {
      this.expired = `did not finish within ${formatDuration(ms)} (its deadline ${basis}); stopped, the other printers go on`;
      this.controller.abort(new ExchangeAbort(`the printer's deadline of ${formatDuration(ms)} passed`, 'EDEADLINE'));
    });
  }

  /** A plan of thousands of actions gets a deadline longer than one timer can wait: it is waited out in steps. */
  private wait(ms: number, expire: () => void): void {
    const step = timerDelay(ms);
    this.timer = setTimeout(() => (ms > step ? this.wait(ms - step, expire) : expire()), step);
    this.timer.unref();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
