// The closing table: one row per printer, each column counting files once, the same numbers the
// printer-done and run-done events carry.

import type { PrinterResult, RunSummary } from './events.js';
import { formatBytes, formatDuration, plural } from './format.js';
import { OUTCOME_COLUMN } from './words.js';
import { padToWidth, textWidth } from './text-width.js';

/** What the farm page says of a printer the master changed for after its last sync. */
const BEHIND_MASTER = 'behind the master';

/**
 * The result column: the outcome, except that a printer the master changed for after its last sync
 * (watch) is not called in sync: `behind the master`, or e.g. `failed (behind the master)`.
 */
export function resultWord(r: PrinterResult): string {
  if (!r.behindMaster) return OUTCOME_COLUMN[r.outcome];
  return r.outcome === 'in-sync' || r.outcome === 'planned' ? BEHIND_MASTER : `${OUTCOME_COLUMN[r.outcome]} (${BEHIND_MASTER})`;
}

interface Column {
  title: string;
  /** The header on a narrow terminal. */
  short?: string;
  cell: (r: PrinterResult) => string;
  /** Shown only when some printer has a value here. */
  optional?: (r: PrinterResult) => boolean;
}

function columns(dryRun: boolean): Column[] {
  const count = (n: (r: PrinterResult) => number) => (r: PrinterResult) => String(n(r));
  return [
    { title: 'printer', cell: (r) => r.printer },
    { title: 'result', cell: resultWord },
    dryRun
      ? { title: 'upload', short: 'up', cell: count((r) => r.planned.upload) }
      : { title: 'uploaded', short: 'up', cell: count((r) => r.done.upload) },
    dryRun
      ? { title: 'replace', short: 'repl', cell: count((r) => r.planned.replace) }
      : { title: 'replaced', short: 'repl', cell: count((r) => r.done.replace) },
    dryRun
      ? { title: 'delete', short: 'del', cell: count((r) => r.planned.delete) }
      : { title: 'deleted', short: 'del', cell: count((r) => r.done.delete) },
    { title: 'unchanged', cell: count((r) => r.unchanged) },
    { title: 'problems', short: 'prob', cell: count((r) => r.problems), optional: (r) => r.problems > 0 },
    { title: 'held', cell: count((r) => r.held), optional: (r) => r.held > 0 },
    { title: 'other model', short: 'other', cell: count((r) => r.otherModel), optional: (r) => r.otherModel > 0 },
    ...(dryRun
      ? []
      : [
          { title: 'failed', short: 'fail', cell: count((r) => r.failed), optional: (r: PrinterResult) => r.failed > 0 },
          { title: 'not run', cell: count((r) => r.notRun), optional: (r: PrinterResult) => r.notRun > 0 },
        ]),
    dryRun ? { title: 'to send', cell: (r) => formatBytes(r.plannedBytes) } : { title: 'sent', cell: (r) => formatBytes(r.bytesSent) },
    { title: 'time', cell: (r) => formatDuration(r.durationMs) },
  ];
}

/** Dropped, in this order, when the table is wider than the terminal. */
const DROP_FIRST = ['unchanged', 'time'];

/**
 * The title, the header and one row per printer; columns nobody needs are left out. On a
 * terminal narrower than the table: the unchanged and time columns go, then the headers are
 * abbreviated with one space between columns, and if even that is too wide each printer gets a
 * line of its own naming only its non-zero counts, so no line is wider than the terminal (a
 * printer name longer than the terminal aside).
 */
export function summaryLines(summary: RunSummary, maxWidth = Infinity): string[] {
  let shown = columns(summary.dryRun).filter((c) => !c.optional || summary.printers.some(c.optional));
  let short = false;
  const layout = () => {
    const header = shown.map((c) => (short ? (c.short ?? c.title) : c.title));
    const rows = summary.printers.map((r) => shown.map((c) => c.cell(r)));
    const widths = header.map((h, i) => Math.max(textWidth(h), ...rows.map((row) => textWidth(row[i]!))));
    const gap = short ? 1 : 2;
    return { header, rows, widths, gap, total: widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1) };
  };
  let table = layout();
  for (const title of DROP_FIRST) {
    if (table.total <= maxWidth) break;
    shown = shown.filter((c) => c.title !== title);
    table = layout();
  }
  if (table.total > maxWidth) {
    short = true;
    table = layout();
  }
  const title = titleLine(summary, maxWidth);
  if (table.total > maxWidth) return [title, ...summary.printers.flatMap((r) => printerLines(r, summary.dryRun, maxWidth))];
  const { header, rows, widths, gap } = table;
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => padToWidth(c, widths[i]!))
      .join(' '.repeat(gap))
      .trimEnd();
  return [title, fmt(header), ...rows.map(fmt)];
}

function titleLine(summary: RunSummary, maxWidth: number): string {
  const n = summary.printers.length;
  const long = summary.dryRun
    ? `Summary (dry run of ${plural(n, 'printer')}: counts are planned actions, nothing was changed):`
    : `Summary (${plural(n, 'printer')}, ${formatDuration(summary.durationMs)}):`;
  if (long.length <= maxWidth) return long;
  return summary.dryRun ? `Summary (dry run, ${plural(n, 'printer')}, nothing changed):` : long;
}

/** The narrowest form: "name: result; 3 uploaded, 1 failed, 4.2 MB sent", wrapped at the width. */
function printerLines(r: PrinterResult, dryRun: boolean, maxWidth: number): string[] {
  const counts = dryRun
    ? [plural(r.planned.upload, 'upload'), plural(r.planned.replace, 'replacement'), plural(r.planned.delete, 'deletion')]
    : [`${r.done.upload} uploaded`, `${r.done.replace} replaced`, `${r.done.delete} deleted`];
  const nonZero = (n: number, text: string) => (n > 0 ? [text] : []);
  const zeroFree = [
    ...counts.filter((c) => !c.startsWith('0 ')),
    ...nonZero(r.problems, plural(r.problems, 'problem')),
    ...nonZero(r.held, `${r.held} held`),
    ...nonZero(r.otherModel, `${r.otherModel} other model`),
    ...(dryRun ? [] : [...nonZero(r.failed, `${r.failed} failed`), ...nonZero(r.notRun, `${r.notRun} not run`)]),
    dryRun ? `${formatBytes(r.plannedBytes)} to send` : `${formatBytes(r.bytesSent)} sent`,
  ];
  const words = `${r.printer}: ${resultWord(r)};`.split(' ').concat(zeroFree.map((c, i) => (i < zeroFree.length - 1 ? `${c},` : c)));
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const next = line === '' ? word : `${line} ${word}`;
    if (textWidth(next) > maxWidth && line.trim() !== '') {
      lines.push(line);
      line = `  ${word}`;
    } else line = next;
  }
  lines.push(line);
  return lines;
}

/** One line for logs: the exit code and the result counts, e.g. "exit 3: 10 in sync, 1 unreachable". */
export function closingCountsLine(summary: RunSummary, exitCode: number): string {
  const byOutcome = new Map<string, number>();
  for (const r of summary.printers) byOutcome.set(resultWord(r), (byOutcome.get(resultWord(r)) ?? 0) + 1);
  const sum = (f: (r: PrinterResult) => number) => summary.printers.reduce((s, r) => s + f(r), 0);
  const outcomes = [...byOutcome].map(([word, count]) => `${count} ${word}`).join(', ');
  const files = summary.dryRun
    ? `planned ${sum((r) => r.planned.upload)} uploads, ${sum((r) => r.planned.replace)} replacements, ${sum((r) => r.planned.delete)} deletions`
    : `${sum((r) => r.done.upload)} uploaded, ${sum((r) => r.done.replace)} replaced, ${sum((r) => r.done.delete)} deleted, ${sum((r) => r.failed)} failed`;
  return `run ended: exit ${exitCode}; printers: ${outcomes || 'none'}; files: ${files}, ${sum((r) => r.problems)} problems, ${sum((r) => r.held)} held`;
}
