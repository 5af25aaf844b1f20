// The closing table: one row per printer, each column counting files once, the same numbers the
// printer-done and run-done events carry.

import type { PrinterResult, RunSummary } from './events.js';
import { formatBytes, formatDuration, plural } from './format.js';
import { OUTCOME_COLUMN } from './words.js';

interface Column {
  title: string;
  cell: (r: PrinterResult) => string;
  /** Shown only when some printer has a value here. */
  optional?: (r: PrinterResult) => boolean;
}

function columns(dryRun: boolean): Column[] {
  const count = (n: (r: PrinterResult) => number) => (r: PrinterResult) => String(n(r));
  return [
    { title: 'printer', cell: (r) => r.printer },
    { title: 'result', cell: (r) => OUTCOME_COLUMN[r.outcome] },
    dryRun ? { title: 'upload', cell: count((r) => r.planned.upload) } : { title: 'uploaded', cell: count((r) => r.done.upload) },
    dryRun ? { title: 'replace', cell: count((r) => r.planned.replace) } : { title: 'replaced', cell: count((r) => r.done.replace) },
    dryRun ? { title: 'delete', cell: count((r) => r.planned.delete) } : { title: 'deleted', cell: count((r) => r.done.delete) },
    { title: 'unchanged', cell: count((r) => r.unchanged) },
    { title: 'problems', cell: count((r) => r.problems), optional: (r) => r.problems > 0 },
    { title: 'held', cell: count((r) => r.held), optional: (r) => r.held > 0 },
    { title: 'other model', cell: count((r) => r.otherModel), optional: (r) => r.otherModel > 0 },
    ...(dryRun
      ? []
      : [
          { title: 'failed', cell: count((r) => r.failed), optional: (r: PrinterResult) => r.failed > 0 },
          { title: 'not run', cell: count((r) => r.notRun), optional: (r: PrinterResult) => r.notRun > 0 },
        ]),
    dryRun ? { title: 'to send', cell: (r) => formatBytes(r.plannedBytes) } : { title: 'sent', cell: (r) => formatBytes(r.bytesSent) },
    { title: 'time', cell: (r) => formatDuration(r.durationMs) },
  ];
}

/** Dropped, in this order, when the table is wider than the terminal. */
const DROP_FIRST = ['unchanged', 'time'];

/**
 * The title, the header and one row per printer; columns nobody needs are left out, and on a
 * terminal narrower than the table, the unchanged and time columns too.
 */
export function summaryLines(summary: RunSummary, maxWidth = Infinity): string[] {
  let shown = columns(summary.dryRun).filter((c) => !c.optional || summary.printers.some(c.optional));
  const layout = () => {
    const header = shown.map((c) => c.title);
    const rows = summary.printers.map((r) => shown.map((c) => c.cell(r)));
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
    return { header, rows, widths, total: widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1) };
  };
  let table = layout();
  for (const title of DROP_FIRST) {
    if (table.total <= maxWidth) break;
    shown = shown.filter((c) => c.title !== title);
    table = layout();
  }
  const { header, rows, widths } = table;
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const n = summary.printers.length;
  const title = summary.dryRun
    ? `Summary (dry run of ${plural(n, 'printer')}: counts are planned actions, nothing was changed):`
    : `Summary (${plural(n, 'printer')}, ${formatDuration(summary.durationMs)}):`;
  return [title, fmt(header), ...rows.map(fmt)];
}

/** One line for logs: the exit code and the result counts, e.g. "exit 3: 10 in sync, 1 unreachable". */
export function closingCountsLine(summary: RunSummary, exitCode: number): string {
  const byOutcome = new Map<string, number>();
  for (const r of summary.printers) byOutcome.set(OUTCOME_COLUMN[r.outcome], (byOutcome.get(OUTCOME_COLUMN[r.outcome]) ?? 0) + 1);
  const sum = (f: (r: PrinterResult) => number) => summary.printers.reduce((s, r) => s + f(r), 0);
  const outcomes = [...byOutcome].map(([word, count]) => `${count} ${word}`).join(', ');
  const files = summary.dryRun
    ? `planned ${sum((r) => r.planned.upload)} uploads, ${sum((r) => r.planned.replace)} replacements, ${sum((r) => r.planned.delete)} deletions`
    : `${sum((r) => r.done.upload)} uploaded, ${sum((r) => r.done.replace)} replaced, ${sum((r) => r.done.delete)} deleted, ${sum((r) => r.failed)} failed`;
  return `run ended: exit ${exitCode}; printers: ${outcomes || 'none'}; files: ${files}, ${sum((r) => r.problems)} problems, ${sum((r) => r.held)} held`;
}
