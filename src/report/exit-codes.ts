// The exit codes link-sync promises to scripts and cron, and the one place errors map to them.
// docs/errors.md documents the same table; keep them together.

import { LinkSyncError, PrinterError } from '../errors.js';
import type { PrinterResult, RunSummary } from './events.js';

export const ExitCode = {
  /** Everything in sync, or a dry run that found no problem. */
  OK: 0,
  /** Some actions failed, or a printer could not be brought in sync (full, refused a file). */
  ACTIONS_FAILED: 1,
  /** Bad command line, bad config file, unusable source folder, or the sync record folder locked by
   * another run or not writable: nothing was sent to any printer. */
  USAGE: 2,
  /** A printer could not be reached, went offline during the sync, refused the credentials, or
   * is not a PrusaLink printer. */
  PRINTERS_UNREACHABLE: 3,
  /** A bug in link-sync (EX_SOFTWARE from sysexits.h). */
  INTERNAL: 70,
  /** Stopped by Ctrl-C or SIGTERM (128 + SIGINT). */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code for an error that ended a run (or, for a PrinterError, ended one printer's part). */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof PrinterError) {
    if (error.kind === 'unreachable' || error.kind === 'auth' || error.kind === 'not-prusalink') return ExitCode.PRINTERS_UNREACHABLE;
    if (error.kind === 'aborted') return ExitCode.INTERRUPTED;
    return ExitCode.ACTIONS_FAILED;
  }
  if (error instanceof LinkSyncError) {
    switch (error.code) {
      case 'USAGE':
      case 'CONFIG':
      case 'SOURCE':
      case 'STATE_LOCKED':
      case 'STATE_UNWRITABLE':
        return ExitCode.USAGE;
      case 'INTERNAL':
        return ExitCode.INTERNAL;
      default:
        return ExitCode.ACTIONS_FAILED;
    }
  }
  // An AbortSignal fired by Ctrl-C rejects with an AbortError that is not ours.
  if (error instanceof Error && error.name === 'AbortError') return ExitCode.INTERRUPTED;
  return ExitCode.INTERNAL;
}

// When several printers end differently, the code that needs the most attention wins.
const SEVERITY: readonly ExitCode[] = [
  ExitCode.OK,
  ExitCode.ACTIONS_FAILED,
  ExitCode.PRINTERS_UNREACHABLE,
  ExitCode.USAGE,
  ExitCode.INTERNAL,
  ExitCode.INTERRUPTED,
];

/** The code for a whole run from each printer's code: interrupted > internal > usage > unreachable > failed > ok. */
export function combineExitCodes(codes: Iterable<ExitCode>): ExitCode {
  let worst: ExitCode = ExitCode.OK;
  for (const code of codes) if (SEVERITY.indexOf(code) > SEVERITY.indexOf(worst)) worst = code;
  return worst;
}

/** One printer's part of the exit code: 0 only when it is in sync (or a clean dry run). */
export function exitCodeForPrinter(result: PrinterResult, options: ExitCodeOptions = {}): ExitCode {
  switch (result.outcome) {
    case 'unreachable':
    case 'credentials-refused':
    case 'went-offline':
    case 'not-prusalink':
      return ExitCode.PRINTERS_UNREACHABLE;
    case 'interrupted':
      return ExitCode.INTERRUPTED;
    case 'failed':
      // A request refused by the scope check: a bug or a lying printer, never a normal failure.
      if (result.error?.code === 'INTERNAL') return ExitCode.INTERNAL;
      return result.error?.code === 'PRINTER_UNREACHABLE' || result.error?.code === 'PRINTER_AUTH'
        ? ExitCode.PRINTERS_UNREACHABLE
        : ExitCode.ACTIONS_FAILED;
    case 'skipped':
    case 'held':
      // A busy printer left alone is the tool doing its job; the summary reports it.
      return options.failOnBusy ? ExitCode.ACTIONS_FAILED : ExitCode.OK;
    case 'in-sync':
    case 'planned':
      // Files the printer cannot store (plan problems) leave it out of sync, dry run or not.
      return result.failed > 0 || result.problems > 0 || result.error?.code === 'MAX_DELETE' ? ExitCode.ACTIONS_FAILED : ExitCode.OK;
  }
}

export interface ExitCodeOptions {
  /** --fail-on-busy: a printer skipped because it was busy counts as not in sync. */
  failOnBusy?: boolean;
}

/** The exit code of a whole run. */
export function exitCodeForSummary(summary: RunSummary, options: ExitCodeOptions = {}): ExitCode {
  const codes = summary.printers.map((result) => exitCodeForPrinter(result, options));
  if (summary.interrupted) codes.push(ExitCode.INTERRUPTED);
  return combineExitCodes(codes);
}
