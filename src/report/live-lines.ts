// The live view's lines, pure: given the numbers for each printer, a width and nothing else, the text
// of each row. Paths are shortened in the middle so the bar, bytes, rate and ETA stay on the line.

import { styleText } from 'node:util';
import { formatBytes, formatDuration, plural } from './format.js';
import type { PrinterOutcome, ReadingStep } from './events.js';
import { headToWidth, padToWidth, tailToWidth, textWidth } from './text-width.js';

/** What a printer row shows. Progress numbers are given, not computed here. */
export interface PrinterRow {
  name: string;
  phase: 'connecting' | 'reading' | 'waiting' | 'planned' | 'syncing' | PrinterOutcome;
  /** reading: sizes asked of the printer or local files hashed before the plan, and how far. */
  reading?: { step: ReadingStep; done: number; total: number };
  /** planned: actions and bytes of the plan. syncing: the action under way (1-based) of `actions`. */
  actions: number;
  actionIndex: number;
  planBytes: number;
  /** syncing: the action's verb ("upload") and path. */
  verb?: string;
  file?: string;
  /** syncing: bytes of the current file the printer has taken, and its size (0: not a transfer). */
  fileBytes: number;
  fileTotal: number;
  /** Bytes per second the printer takes (0: not known yet). */
  rate: number;
  /** Seconds until this printer is done (undefined: not known). */
  etaSeconds?: number;
  /** A transfer the printer has not reported any bytes of yet: how long it has been sending. */
  sendingMs?: number;
  /** Finished: what it did, or why not. waiting: the state the printer reported last. */
  note?: string;
  doneActions: number;
  doneBytes: number;
}

export interface OverallRow {
  printers: number;
  active: number;
  sentBytes: number;
  planBytes: number;
  elapsedMs: number;
  etaSeconds?: number;
}

type Color = Parameters<typeof styleText>[0];

/** Never narrower than this: below it the row is cut, not laid out. */
const MIN_WIDTH = 30;

/**
 * All rows of one frame, each at most `width` visible columns (one less than the terminal's), and at
 * most `height` lines: a frame taller than the terminal could not be erased, and each redraw would
 * leave a stale copy behind. Then the printers still at work are shown first, and one line counts
 * the others (their results scroll above and are in the summary).
 */
export function renderLiveLines(
  rows: readonly PrinterRow[],
  overall: OverallRow,
  width: number,
  color = true,
  height = Number.POSITIVE_INFINITY,
): string[] {
  const w = Math.max(MIN_WIDTH, width);
  const nameWidth = Math.min(Math.max(7, ...rows.map((r) => textWidth(r.name))), Math.floor(w / 3));
  const paint = (c: Color, text: string) => (color ? styleText(c, text) : text);
  const shown = rowsThatFit(rows, Math.max(MIN_HEIGHT, height) - 1);
  const lines = shown.map((r) => printerLine(r, nameWidth, w, paint));
  const hidden = rows.length - shown.length;
  if (hidden > 0) lines.push(paint('dim', cut(`${'…'.padEnd(nameWidth)}  and ${plural(hidden, 'more printer')}`, w)));
  lines.push(overallLine(overall, nameWidth, w, paint));
  return lines;
}

/** Never fewer lines than this: a printer, the count of the others, and the overall line. */
const MIN_HEIGHT = 3;

/** At most `room` lines of printers, in their order; when they do not all fit, one line goes to the count of the others. */
function rowsThatFit(rows: readonly PrinterRow[], room: number): readonly PrinterRow[] {
  if (rows.length <= room) return rows;
  const atWork = (r: PrinterRow) => AT_WORK.has(r.phase);
  const chosen = new Set([...rows.filter(atWork), ...rows.filter((r) => !atWork(r))].slice(0, room - 1));
  return rows.filter((r) => chosen.has(r));
}

const AT_WORK: ReadonlySet<PrinterRow['phase']> = new Set(['connecting', 'reading', 'waiting', 'syncing'] as const);

function printerLine(r: PrinterRow, nameWidth: number, width: number, paint: (c: Color, t: string) => string): string {
  const name = `${padToWidth(shortenMiddle(r.name, nameWidth), nameWidth)}  `;
  const room = width - textWidth(name);
  const [text, c] = describe(r, room);
  return name + (c ? paint(c, cut(text, room)) : cut(text, room));
}

/** "reading sizes from the printer: 120 of 2000 files". */
function readingProgress(reading: PrinterRow['reading']): string {
  if (reading === undefined) return 'reading…';
  const what = reading.step === 'sizes' ? 'reading sizes from the printer' : 'reading local files';
  return `${what}: ${reading.done} of ${plural(reading.total, 'file')}`;
}

function describe(r: PrinterRow, room: number): [string, Color | undefined] {
  switch (r.phase) {
    case 'connecting':
      return ['connecting…', 'dim'];
    case 'reading':
      return [readingProgress(r.reading), 'dim'];
    case 'waiting':
      return [`waiting until it is free: ${r.note ?? 'busy'}`, 'yellow'];
    case 'planned':
      return r.actions === 0
        ? ['nothing to do', 'green']
        : [`planned: ${plural(r.actions, 'action')}, ${formatBytes(r.planBytes)} to send`, undefined];
    case 'syncing':
      return [syncingText(r, room), undefined];
    case 'in-sync':
      return [r.doneActions === 0 ? 'in sync: nothing to do' : `in sync: ${r.doneActions} done, ${formatBytes(r.doneBytes)} sent`, 'green'];
    case 'skipped':
      return [`skipped: ${r.note ?? 'busy'}`, 'yellow'];
    case 'held':
      return [`held: ${r.note ?? 'files left as they were on purpose'}`, 'yellow'];
    default:
      return [r.note ?? r.phase, 'red'];
  }
}

/**
 * "3/12 upload parts/long…name.gcode [####--------] 1.2/3.4 MB 50 kB/s ETA 1:05". The path takes
 * what the rest leaves; when too little is left, the verb goes first (the bar says it is a
 * transfer), then the bar, then the rate: bytes and ETA stay.
 */
export function syncingText(r: PrinterRow, room: number): string {
  const step = `${r.actionIndex}/${r.actions}`;
  const sending = r.sendingMs !== undefined;
  const transfer = r.fileTotal > 0 && !sending;
  const bytes = sending ? `sending… ${clock(r.sendingMs! / 1000)}` : transfer ? bytesPair(r.fileBytes, r.fileTotal) : '';
  // Room is judged with the bytes at their widest ("99.9/900 kB"), so a file keeps its layout while they count up.
  const slack = transfer ? Math.max(0, [...bytesPair(r.fileTotal, r.fileTotal)].length + 1 - bytes.length) : 0;
  const rate = r.rate > 0 ? `${formatBytes(r.rate)}/s` : '';
  const eta = r.etaSeconds !== undefined && r.etaSeconds > 0 ? `ETA ${clock(r.etaSeconds)}` : '';
  const layouts: Array<{ verb: boolean; bar: boolean; rate: boolean }> = [
    { verb: true, bar: true, rate: true },
    { verb: false, bar: true, rate: true },
    { verb: false, bar: false, rate: true },
    { verb: false, bar: false, rate: false },
  ];
  const MIN_PATH = 16;
  for (const layout of layouts) {
    const head = [step, layout.verb ? (r.verb ?? '') : ''].filter(Boolean).join(' ');
    const tail = [layout.bar && transfer ? bar(r.fileBytes / r.fileTotal) : '', bytes, layout.rate ? rate : '', eta]
      .filter(Boolean)
      .join(' ');
    const fixed = head.length + 1 + (tail === '' ? 0 : tail.length + 1) + slack;
    const pathRoom = room - fixed;
    if (pathRoom >= Math.min(MIN_PATH, textWidth(r.file ?? '')) || layout === layouts.at(-1)) {
      const path = shortenMiddle(r.file ?? '', Math.max(MIN_PATH, pathRoom));
      return [head, path, tail].filter(Boolean).join(' ');
    }
  }
  return step;
}

/** "overall  6 printers · 6 active · 20.7/54.6 MB · 1 min 10 s · ETA 1:53"; narrower: the elapsed time goes, then "active". */
function overallLine(o: OverallRow, nameWidth: number, width: number, paint: (c: Color, t: string) => string): string {
  const eta = o.etaSeconds !== undefined && o.etaSeconds > 0 ? `ETA ${clock(o.etaSeconds)}` : '';
  const printers = plural(o.printers, 'printer');
  const active = `${o.active} active`;
  const bytes = bytesPair(o.sentBytes, o.planBytes);
  const elapsed = formatDuration(o.elapsedMs);
  const head = `${'overall'.padEnd(nameWidth)}  `;
  const choices = [
    [printers, active, bytes, elapsed, eta],
    [printers, active, bytes, eta],
    [printers, bytes, eta],
  ].map((parts) => head + parts.filter(Boolean).join(' · '));
  const text = choices.find((t) => textWidth(t) <= width) ?? choices.at(-1)!;
  return paint('bold', cut(text, width));
}

/** "1.2/3.4 MB" when both have the same unit, else "900 kB/3.4 MB". */
export function bytesPair(done: number, total: number): string {
  const a = formatBytes(done);
  const b = formatBytes(total);
  const unitA = a.split(' ')[1];
  const unitB = b.split(' ')[1];
  return unitA === unitB ? `${a.split(' ')[0]}/${b}` : `${a}/${b}`;
}

/** "parts/ve…long-name/benchy.gcode": a third of the room for the start, the rest for the end, the middle replaced by "…". Widths in columns. */
export function shortenMiddle(text: string, max: number): string {
  if (textWidth(text) <= max) return text;
  if (max <= 1) return headToWidth(text, max);
  // The end holds the file name: keep two thirds of it.
  const head = Math.floor((max - 1) / 3);
  const tail = max - 1 - head;
  return `${headToWidth(text, head)}…${tailToWidth(text, tail)}`;
}

function cut(text: string, width: number): string {
  return textWidth(text) <= width ? text : `${headToWidth(text, Math.max(0, width - 1))}…`;
}

function bar(fraction: number, cells = 12): string {
  const filled = Math.max(0, Math.min(cells, Math.round(fraction * cells)));
  return `[${'#'.repeat(filled)}${'-'.repeat(cells - filled)}]`;
}

/** m:ss or h:mm:ss */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
