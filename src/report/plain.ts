// Plain reporter: one stable, greppable line per event, no escape codes. For cron logs and pipes.

import type { EventSink, PrinterResult, RunSummary, SyncEvent } from './events.js';
import { formatBytes, formatDuration, formatSpeed, plural } from './format.js';

export interface PlainReporterOptions {
  /** Normal lines. */
  out: (line: string) => void;
  /** Warnings and failures. */
  err: (line: string) => void;
  quiet?: boolean;
}

const VERB: Record<string, string> = { upload: 'upload', replace: 'replace', delete: 'delete', rmdir: 'remove folder' };
const DONE: Record<string, string> = { upload: 'uploaded', replace: 'replaced', delete: 'deleted', rmdir: 'removed folder' };

export function plainReporter(options: PlainReporterOptions): EventSink {
  const err = options.err;
  return (event: SyncEvent) => {
    // --quiet keeps problems and the closing summary only.
    const out = options.quiet && event.type !== 'run-done' ? () => {} : options.out;
    for (const line of linesFor(event)) (line.error ? err : out)(line.text);
  };
}

interface Line {
  text: string;
  error?: boolean;
  /** One planned action: a live view under --go shows its result instead. */
  planned?: boolean;
}

export function linesFor(event: SyncEvent): Line[] {
  switch (event.type) {
    case 'run-start':
      return [
        {
          text: event.dryRun
            ? `Dry run: nothing will be changed (add -g/--go to apply). Source: ${event.source}, ${plural(event.files, 'print file')} (${formatBytes(event.bytes)}), ${plural(event.printers.length, 'printer')}.`
            : `Syncing ${event.source}: ${plural(event.files, 'print file')} (${formatBytes(event.bytes)}) to ${plural(event.printers.length, 'printer')}.`,
        },
      ];
    case 'printer-start':
    case 'action-progress':
      return [];
    case 'request':
      return [{ text: `${event.printer}: ${event.method} ${event.target} → ${event.status} (${formatDuration(event.durationMs)})` }];
    case 'plan': {
      const count = (kind: string) => event.actions.filter((a) => a.kind === kind).length;
      const folders = count('rmdir') > 0 ? `, ${plural(count('rmdir'), 'empty folder')} to remove` : '';
      const send = event.uploadBytes > 0 ? `; ${formatBytes(event.uploadBytes)} to send` : '';
      const backup = event.backupBytes ? `; ${formatBytes(event.backupBytes)} to back up first (downloaded at printer speed)` : '';
      const lines: Line[] = [
        {
          text: `${event.printer}: ${count('upload')} missing to upload, ${count('replace')} stale to refresh, ${plural(count('delete'), 'file')} to delete${folders}, ${event.unchanged} unchanged (/${event.storage}/${event.root})${send}${backup}`,
        },
      ];
      for (const action of event.actions) {
        const size = action.size === undefined ? '' : ` (${formatBytes(action.size)})`;
        lines.push({ text: `${event.printer}: ${VERB[action.kind]} ${action.path}${size}: ${action.reason}`, planned: true });
      }
      for (const file of event.same ?? []) {
        lines.push({ text: `${event.printer}: same ${file.path}: ${file.reason}`, planned: true });
      }
      for (const problem of event.problems) {
        lines.push({ text: `${event.printer}: cannot sync ${problem.path}: ${problem.message}`, error: true });
      }
      for (const hold of event.holds) {
        lines.push({ text: `${event.printer}: leaving ${hold.path} alone (${hold.reason}; would ${VERB[hold.wouldHave]})` });
      }
      for (const skip of event.skipped ?? []) {
        lines.push({ text: `${event.printer}: not for this model: ${skip.path} (sliced for ${skip.model})`, planned: true });
      }
      return lines;
    }
    case 'action-start':
      return [];
    case 'action-done': {
      const speed = event.bytes > 0 ? ` (${formatSpeed(event.bytes, event.durationMs)})` : '';
      const size = event.bytes > 0 ? ` ${formatBytes(event.bytes)}` : '';
      return [{ text: `${event.printer}: ${DONE[event.action.kind]} ${event.action.path}${size} in ${formatDuration(event.durationMs)}${speed}` }];
    }
    case 'action-failed':
      return [
        {
          text: `${event.printer}: FAILED to ${VERB[event.action.kind]} ${event.action.path}: ${about(event.printer, event.error.message)}${event.error.hint ? ` (${event.error.hint})` : ''}`,
          error: true,
        },
      ];
    case 'backup-done':
      return [{ text: `${event.printer}: backed up ${event.path} ${formatBytes(event.bytes)} to ${event.localPath} in ${formatDuration(event.durationMs)}` }];
    case 'warning':
      return [{ text: `warning: ${event.printer ? `${event.printer}: ` : ''}${event.message}`, error: true }];
    case 'printer-done':
      return [printerLine(event.result)];
    case 'run-done':
      return summaryLines(event.summary).map((text) => ({ text }));
  }
}

function printerLine(r: PrinterResult): Line {
  const time = formatDuration(r.durationMs);
  switch (r.outcome) {
    case 'planned':
      return { text: `${r.printer}: planned (dry run) in ${time}` };
    case 'in-sync':
      return { text: `${r.printer}: in sync: ${doneText(r)} in ${time}` };
    case 'skipped':
      return { text: `${r.printer}: skipped: ${about(r.printer, r.reason ?? 'busy')}` };
    case 'unreachable':
      return { text: `${r.printer}: UNREACHABLE: ${about(r.printer, r.reason ?? 'no answer')}${r.error?.hint ? ` (${r.error.hint})` : ''}`, error: true };
    case 'interrupted':
      return { text: `${r.printer}: INTERRUPTED: ${doneText(r)}, ${r.notRun} not run`, error: true };
    case 'failed':
      return {
        text: `${r.printer}: FAILED: ${about(r.printer, r.reason ?? 'see above')}${r.error?.hint && r.reason === r.error.message ? ` (${r.error.hint})` : ''}; ${doneText(r)}, ${r.failed} failed, ${r.notRun} not run`,
        error: true,
      };
  }
}

/** Errors name their printer so they stand alone; a line that starts with the name already drops it. */
export function about(printer: string, message: string): string {
  for (const prefix of [`printer ${printer}: `, `${printer}: `]) {
    if (message.startsWith(prefix)) return message.slice(prefix.length);
  }
  return message;
}

function doneText(r: PrinterResult): string {
  return `${r.done.upload} uploaded, ${r.done.replace} replaced, ${r.done.delete} deleted, ${r.done.rmdir} folders removed, ${formatBytes(r.bytesSent)} sent`;
}

/** The closing table: one row per printer. */
export function summaryLines(summary: RunSummary): string[] {
  const header = ['printer', 'result', 'uploaded', 'replaced', 'deleted', 'skipped', 'failed', 'bytes', 'time'];
  const rows = summary.printers.map((r) => [
    r.printer,
    summary.dryRun && r.outcome === 'planned' ? 'planned' : r.outcome,
    String(summary.dryRun ? r.planned.upload : r.done.upload),
    String(summary.dryRun ? r.planned.replace : r.done.replace),
    String(summary.dryRun ? r.planned.delete : r.done.delete),
    String(r.held + r.problems + r.notRun),
    String(r.failed),
    formatBytes(r.bytesSent),
    formatDuration(r.durationMs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const title = summary.dryRun ? 'Summary (dry run, counts are planned actions):' : `Summary (${formatDuration(summary.durationMs)}):`;
  return [title, fmt(header), ...rows.map(fmt)];
}
