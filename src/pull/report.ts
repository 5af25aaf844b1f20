// Pull's reporters: plain lines (one per event, problems to stderr) and JSON lines, as sync's are.

import { about, labelled } from '../report/words.js';
import { formatBytes, formatDuration, formatSpeed, plural } from '../report/format.js';
import { EVENT_SCHEMA_VERSION } from '../report/json.js';
import { headToWidth, textWidth } from '../report/text-width.js';
import type { PullConflict, PullEvent, PullEventSink, PullOutcome, PullPrinterResult, PullSummary } from './types.js';

/** A name from a printer, shown so that no character of it can act on the terminal. */
export function shown(name: string): string {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const control = c <= 0x1f || (c >= 0x7f && c <= 0x9f);
    const bidiOrBreak = c === 0x2028 || c === 0x2029 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    if (control || bidiOrBreak || c === 0x22 || c === 0x5c) return JSON.stringify(name);
  }
  return name;
}

export function pullPlainReporter(options: { out: (line: string) => void; err: (line: string) => void; quiet?: boolean }): PullEventSink {
  return (event) => {
    for (const line of pullLines(event)) {
      if (line.error) options.err(line.text);
      else if (!options.quiet || event.type === 'pull-done') options.out(line.text);
    }
  };
}

/** One NDJSON line per event; schema/pull-events.schema.json describes them. */
export function pullJsonReporter(write: (line: string) => void, now: () => Date = () => new Date()): PullEventSink {
  return (event) => write(`${JSON.stringify({ v: EVENT_SCHEMA_VERSION, time: now().toISOString(), command: 'pull', ...event })}\n`);
}

interface Line {
  text: string;
  error?: boolean;
}

export function pullLines(event: PullEvent): Line[] {
  switch (event.type) {
    case 'pull-start':
      return [
        {
          text: event.dryRun
            ? `Dry run: nothing will be downloaded (add -g/--go to pull). Master: ${event.master}, ${plural(event.printers.length, 'printer')}.`
            : `Pulling into ${event.master} from ${plural(event.printers.length, 'printer')}.`,
        },
      ];
    case 'printer-scanned': {
      const bytes = event.candidates.reduce((n, c) => n + c.size, 0);
      const lines: Line[] = [
        {
          text: `${event.printer}: ${plural(event.candidates.length, 'file')} the master lacks (${formatBytes(bytes)}) in /${event.storage}/${event.root}`,
        },
      ];
      for (const r of event.refused)
        lines.push({ text: `${event.printer}: REFUSED name ${JSON.stringify(r.path)}: ${r.reason}`, error: true });
      for (const s of event.skipped) lines.push({ text: `${event.printer}: skipping ${shown(s.path)}: ${s.reason}` });
      return lines;
    }
    case 'plan':
      return event.items.map((item) => ({
        text: `pull ${shown(item.path)} (${formatBytes(item.size)}) from ${fromText(item.from, item.overridden)}`,
      }));
    case 'conflict':
      return [{ text: conflictText(event.conflict), error: true }];
    case 'download-start':
    case 'download-progress':
      return [];
    case 'download-done':
      return [
        {
          text: `${event.printer}: downloaded ${shown(event.path)} ${formatBytes(event.bytes)} in ${formatDuration(event.durationMs)} (${formatSpeed(event.bytes, event.durationMs)})`,
        },
      ];
    case 'download-failed':
      return [
        {
          text: `${event.printer}: FAILED to download ${shown(event.path)}: ${about(event.printer, event.error.message)}${event.error.hint ? ` (${event.error.hint})` : ''}`,
          error: true,
        },
      ];
    case 'pulled':
      return [{ text: `pulled ${shown(event.path)} into ${shown(event.localPath)} (from ${event.from.join(', ')})` }];
    case 'warning':
      return [{ text: `warning: ${event.printer ? `${event.printer}: ` : ''}${event.message}`, error: true }];
    case 'printer-done':
      return [printerLine(event.result)];
    case 'pull-done':
      return summaryLines(event.summary).map((text) => ({ text }));
  }
}

function fromText(from: string[], overridden: string[]): string {
  if (overridden.length > 0) return `${from.join(', ')} (--prefer; set aside: ${overridden.join(', ')})`;
  if (from.length > 1) return `${from.join(', ')} (same size; contents compared while downloading, pulled once)`;
  return from.join(', ');
}

function conflictText(c: PullConflict): string {
  const copies = c.copies
    .map(
      (x) =>
        `${x.printer} ${formatBytes(x.size)}${x.mTimestamp !== undefined ? `, ${new Date(x.mTimestamp * 1000).toISOString().replace('.000Z', 'Z')}` : ''}`,
    )
    .join('; ');
  return `CONFLICT ${shown(c.path)}: ${c.reason} (${copies}); nothing written (choose one with --prefer PRINTER)`;
}

function printerLine(r: PullPrinterResult): Line {
  const time = formatDuration(r.durationMs);
  switch (r.outcome) {
    case 'planned':
      return { text: `${r.printer}: ${plural(r.candidates, 'file')} the master lacks (dry run), read in ${time}` };
    case 'nothing':
      return { text: `${r.printer}: nothing to pull` };
    case 'pulled':
      return { text: `${r.printer}: downloaded ${plural(r.downloaded, 'file')} (${formatBytes(r.bytes)}) in ${time}` };
    case 'skipped':
      return { text: `${r.printer}: skipped: ${about(r.printer, r.reason ?? '')}` };
    case 'unreachable':
      return {
        text: `${r.printer}: UNREACHABLE: ${about(r.printer, r.reason ?? 'no answer')}${r.error?.hint ? ` (${r.error.hint})` : ''}`,
        error: true,
      };
    case 'credentials-refused':
      // The reason already says "credentials refused when ..."; the hint is the fix.
      return {
        text: `${r.printer}: ${labelled('CREDENTIALS REFUSED', about(r.printer, r.reason ?? 'credentials refused'))}${r.error?.hint ? ` (${r.error.hint})` : ''}`,
        error: true,
      };
    case 'interrupted':
      return { text: `${r.printer}: INTERRUPTED after ${plural(r.downloaded, 'download')}`, error: true };
    case 'failed':
      return {
        text: `${r.printer}: FAILED: ${about(r.printer, r.reason ?? 'see above')}${r.error?.hint && r.reason === r.error.message ? ` (${r.error.hint})` : ''}`,
        error: true,
      };
  }
}

/** The result column, as sync's says it. */
const RESULT_WORDS: Record<PullOutcome, string> = {
  planned: 'planned',
  pulled: 'pulled',
  nothing: 'nothing',
  skipped: 'skipped',
  failed: 'failed',
  unreachable: 'unreachable',
  'credentials-refused': 'credentials refused',
  interrupted: 'interrupted',
};

export function summaryLines(s: PullSummary): string[] {
  const header = ['printer', 'result', 'to pull', 'downloaded', 'failed', 'refused', 'bytes', 'time'];
  const rows = s.printers.map((r) => [
    r.printer,
    RESULT_WORDS[r.outcome],
    String(r.candidates),
    String(r.downloaded),
    String(r.failed),
    String(r.refused),
    formatBytes(r.bytes),
    formatDuration(r.durationMs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const title = s.dryRun ? 'Summary (dry run):' : `Summary (${formatDuration(s.durationMs)}):`;
  const totals = s.dryRun
    ? `${plural(s.conflicts, 'conflict')}, ${plural(s.refused, 'refused name')}.`
    : `${plural(s.pulled, 'file')} pulled, ${plural(s.conflicts, 'conflict')}, ${plural(s.refused, 'refused name')}, ${plural(s.failed, 'file')} not pulled.`;
  return [title, fmt(header), ...rows.map(fmt), totals];
}

/** 130 interrupted, 3 a printer unreachable or refusing the credentials (as for sync), 1 any conflict,
 * refused name, failed download or failed printer, else 0. */
export function pullExitCode(s: PullSummary): number {
  if (s.interrupted) return 130;
  if (s.printers.some((p) => p.outcome === 'unreachable' || p.outcome === 'credentials-refused')) return 3;
  if (s.conflicts > 0 || s.refused > 0 || s.failed > 0 || s.printers.some((p) => p.outcome === 'failed')) return 1;
  return 0;
}

/**
 * On an interactive terminal: the plain lines, plus one status line kept at the bottom with each
 * printer's download in progress (file, percent, bytes), redrawn at most four times a second.
 */
export function pullLiveReporter(
  stream: { write(chunk: string): unknown; columns?: number },
  err: (line: string) => void,
  quiet: boolean,
): PullEventSink {
  const current = new Map<string, { path: string; bytes: number; total: number }>();
  let shownStatus = false;
  const clear = (): void => {
    if (shownStatus) stream.write('\r\u001b[2K');
    shownStatus = false;
  };
  const draw = (): void => {
    clear();
    if (current.size === 0) return;
    const width = Math.max(20, (stream.columns ?? 80) - 1);
    const parts = [...current].map(([printer, d]) => {
      const pct = d.total > 0 ? Math.floor((d.bytes / d.total) * 100) : 0;
      return `${printer} ${shown(d.path)} ${pct}% (${formatBytes(d.bytes)}/${formatBytes(d.total)})`;
    });
    let line = `downloading: ${parts.join(' | ')}`;
    // Columns, not characters: a wide name counted in characters wraps the line and leaves copies.
    if (textWidth(line) > width) line = `${headToWidth(line, width - 1)}…`;
    stream.write(line);
    shownStatus = true;
  };
  const plain = pullPlainReporter({
    out: (line) => {
      clear();
      stream.write(`${line}\n`);
    },
    err: (line) => {
      clear();
      err(line);
    },
    quiet,
  });
  return (event) => {
    if (event.type === 'download-start') current.set(event.printer, { path: event.path, bytes: 0, total: event.size });
    if (event.type === 'download-progress') current.set(event.printer, { path: event.path, bytes: event.bytes, total: event.total });
    if (event.type === 'download-done' || event.type === 'download-failed') current.delete(event.printer);
    plain(event);
    if (
      event.type === 'download-start' ||
      event.type === 'download-progress' ||
      event.type === 'download-done' ||
      event.type === 'download-failed'
    )
      draw();
    if (event.type === 'pull-done') clear();
  };
}
