// The words people read for outcomes, holds and actions: one place, no internal codes in human text.

import type { PlanHold } from '../types.js';
import type { PrinterOutcome, PrinterResult } from './events.js';

export const VERB: Record<string, string> = { upload: 'upload', replace: 'replace', delete: 'delete', rmdir: 'remove folder' };
export const DONE: Record<string, string> = { upload: 'uploaded', replace: 'replaced', delete: 'deleted', rmdir: 'removed folder' };

/** The result column and the closing lines: what happened, in words. */
export const OUTCOME_WORDS: Record<PrinterOutcome, string> = {
  'in-sync': 'in sync',
  planned: 'planned',
  skipped: 'skipped',
  failed: 'failed',
  unreachable: 'unreachable',
  'credentials-refused': 'credentials refused',
  'went-offline': 'went offline during the sync',
  'not-prusalink': 'not a PrusaLink printer',
  interrupted: 'interrupted',
  held: 'held',
};

/** Short forms for the summary table, where the width counts. */
export const OUTCOME_COLUMN: Record<PrinterOutcome, string> = {
  ...OUTCOME_WORDS,
  'went-offline': 'went offline',
  'not-prusalink': 'not PrusaLink',
};

const HOLD_WORDS: Record<PlanHold['reason'], string> = {
  'being-printed': 'being printed',
  'read-only': 'read-only on the printer',
  'partial-download': 'still being downloaded by the printer',
  'not-listed-by-printer': 'the printer does not list it',
  'not-a-print-file': 'not a print file',
  'max-delete': 'more deletions than --max-delete allows',
  'deletions-withheld': 'deletions withheld while a file cannot be stored',
  hidden: 'a hidden name, never sent so never deleted',
  'other-destination': 'placed by a sync to another destination',
  'empty-local-folder': 'its local folder is empty, as an unmounted share is',
};

export function holdWords(reason: string): string {
  return HOLD_WORDS[reason as PlanHold['reason']] ?? reason.replace(/-/g, ' ');
}

/** Errors name their printer so they stand alone; a line that starts with the name already drops it. */
export function about(printer: string, message: string): string {
  for (const prefix of [`printer ${printer}: `, `${printer}: `]) {
    if (message.startsWith(prefix)) return message.slice(prefix.length);
  }
  return message;
}

/**
 * Why a printer ended as it did, never empty: its reason, else its first error, else its counts.
 * A reason that already starts with the outcome's words ("credentials refused when ...") is not
 * repeated after them.
 */
export function closingReason(r: PrinterResult): string {
  const own = ownReason(r);
  if (own !== undefined) return own;
  if (r.outcome === 'skipped') return 'busy';
  const parts: string[] = [];
  if (r.failed > 0) parts.push(`${r.failed} failed`);
  if (r.notRun > 0) parts.push(`${r.notRun} not run`);
  if (r.problems > 0) parts.push(`${r.problems} cannot be stored`);
  return parts.length > 0 ? parts.join(', ') : OUTCOME_WORDS[r.outcome];
}

/** The reason the printer's result carries, if it says more than the outcome's name. */
export function ownReason(r: PrinterResult): string | undefined {
  const raw = r.reason ?? r.error?.message;
  return raw !== undefined && raw !== '' && raw !== r.outcome ? about(r.printer, raw) : undefined;
}

/** "CREDENTIALS REFUSED when reading ..." or "FAILED: 2 failed": the label, then what the reason adds. */
export function labelled(label: string, reason: string): string {
  if (reason.toLowerCase() === label.toLowerCase()) return label;
  if (reason.toLowerCase().startsWith(`${label.toLowerCase()} `)) return `${label} ${reason.slice(label.length + 1)}`;
  return `${label}: ${reason}`;
}
