// watch's closing summary for a printer it never synced (busy, or not answering, the whole time): it is
// listed all the same, saying why, so an operator reading the log sees every printer of the farm.

import { blankResult, type ErrorInfo, type PrinterOutcome, type PrinterResult } from '../report/events.js';

/** A printer watch never synced: `readError` when its last state read failed, else the state it last said. */
export function neverSyncedResult(printer: string, lastState: string | undefined, readError: ErrorInfo | undefined): PrinterResult {
  const why = readError ? `: ${readError.message}` : lastState ? `; its last state: ${lastState}` : '; its state was never read';
  return {
    ...blankResult(printer, readError ? unreadOutcome(readError) : 'skipped'),
    reason: `not synced while watched${why}`,
    ...(readError ? { error: readError } : {}),
  };
}

/** As a sync names a printer it could not read: refused login, not PrusaLink, or unreachable. */
function unreadOutcome(error: ErrorInfo): PrinterOutcome {
  if (error.code === 'PRINTER_AUTH') return 'credentials-refused';
  if (error.code === 'PRINTER_NOT_PRUSALINK') return 'not-prusalink';
  return 'unreachable';
}
