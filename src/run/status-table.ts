// The `status` table: one row per printer, then one line per printer that could not be read.

import type { PrinterStatusRow, StatusDocument } from './status.js';
import { unreadState } from './status-row.js';
import { formatBytes } from '../report/format.js';
import { about } from '../report/plain.js';

export function statusLines(doc: StatusDocument, now: Date = new Date()): string[] {
  const withPending = doc.source !== null;
  const header = ['printer', 'model', 'state', 'job', 'free', ...(withPending ? ['pending'] : []), 'last sync'];
  const rows = doc.printers.map((r) => [
    r.name,
    r.model,
    stateText(r),
    jobText(r),
    r.storage?.freeBytes != null ? formatBytes(r.storage.freeBytes) : '-',
    ...(withPending ? [pendingText(r)] : []),
    // "never" only for a printer that answered: for the others it is not known.
    r.lastSync ? ago(r.lastSync, now) : r.answered ? 'never' : '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const lines = [fmt(header), ...rows.map(fmt)];
  for (const r of doc.printers) {
    if (r.error) lines.push(`${r.name}: ${about(r.name, r.error.message)}${r.error.hint ? ` (${r.error.hint})` : ''}`);
  }
  return lines;
}

function stateText(r: PrinterStatusRow): string {
  if (r.state !== null) return r.state;
  // Stopped by Ctrl-C before it answered: nothing is known of it, which is not "unreachable".
  if (r.error?.code === 'PRINTER_ABORTED') return 'INTERRUPTED';
  if (r.error) return unreadState(r.error);
  return r.answered ? '?' : 'UNREACHABLE';
}

export function jobText(r: Pick<PrinterStatusRow, 'job'>): string {
  if (!r.job) return '-';
  const progress = r.job.progress !== undefined ? ` ${Math.round(r.job.progress)}%` : '';
  return `${r.job.file ?? '(file unknown)'}${progress}`;
}

export function pendingText(r: Pick<PrinterStatusRow, 'pending' | 'error'>): string {
  const p = r.pending;
  if (!p) return '-';
  if (p.inSync) return p.held > 0 ? `in sync (${p.held} held)` : 'in sync';
  const parts: string[] = [];
  if (p.upload) parts.push(`${p.upload} to upload`);
  if (p.replace) parts.push(`${p.replace} to replace`);
  if (p.delete) parts.push(`${p.delete} to delete`);
  if (p.rmdir) parts.push(`${p.rmdir} folders to remove`);
  if (p.problems) parts.push(`${p.problems} cannot sync`);
  if (p.held) parts.push(`${p.held} held`);
  return parts.join(', ');
}

/** "3 min ago", "2 h ago", "4 days ago", or the date when older. */
export function ago(iso: string, now: Date): string {
  const seconds = Math.max(0, (now.getTime() - Date.parse(iso)) / 1000);
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 48 * 3600) return `${Math.floor(seconds / 3600)} h ago`;
  if (seconds < 30 * 86400) return `${Math.floor(seconds / 86400)} days ago`;
  return iso.slice(0, 10);
}
