// What the live view knows about each printer, updated from events, and the progress numbers it
// derives (rate, bytes taken, time left) for the line renderer. A better source of progress (the
// printer's own transfer report) replaces `progressRow` and nothing else.

import type { PrinterResult, SyncEvent } from './events.js';
import type { OverallRow, PrinterRow } from './live-lines.js';
import { closingText } from './plain.js';

export interface PrinterView {
  phase: PrinterRow['phase'];
  /** Bytes the plan will send, and bytes of finished uploads. */
  planBytes: number;
  doneBytes: number;
  actions: number;
  actionsDone: number;
  verb?: string;
  file?: string;
  fileBytes: number;
  fileTotal: number;
  fileStarted: number;
  /** Time spent in finished uploads: their bytes over this is the printer's real rate (bytes the
   * socket accepted run ahead of what the printer took, by the size of the network buffers). */
  uploadMs: number;
  note?: string;
}

export class LiveState {
  readonly views = new Map<string, PrinterView>();
  readonly started: number;

  constructor(private readonly now: () => number) {
    this.started = now();
  }

  view(printer: string): PrinterView {
    let v = this.views.get(printer);
    if (!v) {
      v = { phase: 'connecting', planBytes: 0, doneBytes: 0, actions: 0, actionsDone: 0, fileBytes: 0, fileTotal: 0, fileStarted: 0, uploadMs: 0 };
      this.views.set(printer, v);
    }
    return v;
  }

  apply(event: SyncEvent): void {
    switch (event.type) {
      case 'run-start':
        for (const name of event.printers) this.view(name);
        return;
      case 'plan': {
        const v = this.view(event.printer);
        v.phase = 'planned';
        v.planBytes = event.uploadBytes;
        v.actions = event.actions.length;
        return;
      }
      case 'action-start': {
        const v = this.view(event.printer);
        v.phase = 'syncing';
        v.verb = event.action.kind === 'rmdir' ? 'remove folder' : event.action.kind;
        v.file = event.action.path;
        v.fileBytes = 0;
        v.fileTotal = event.action.size ?? 0;
        v.fileStarted = this.now();
        return;
      }
      case 'action-progress':
        this.view(event.printer).fileBytes = event.bytes;
        return;
      case 'action-done':
      case 'action-failed': {
        const v = this.view(event.printer);
        if (event.type === 'action-done') {
          v.doneBytes += event.bytes;
          if (event.bytes > 0) v.uploadMs += event.durationMs;
        }
        v.fileBytes = 0;
        v.fileTotal = 0;
        v.actionsDone++;
        v.file = undefined;
        return;
      }
      case 'printer-done': {
        const v = this.view(event.result.printer);
        v.phase = event.result.outcome;
        v.note = finishedNote(event.result);
        v.file = undefined;
        return;
      }
      default:
        return;
    }
  }

  /** The numbers of every row, at this moment. */
  rows(): PrinterRow[] {
    const now = this.now();
    return [...this.views].map(([name, v]) => progressRow(name, v, now));
  }

  overall(): OverallRow {
    const rows = this.rows();
    const views = [...this.views.values()];
    const longest = Math.max(0, ...rows.filter((r) => r.phase === 'syncing').map((r) => r.etaSeconds ?? 0));
    return {
      printers: views.length,
      active: views.filter((v) => v.phase === 'syncing' || v.phase === 'connecting').length,
      sentBytes: rows.reduce((s, r) => s + r.doneBytes + r.fileBytes, 0),
      planBytes: views.reduce((s, v) => s + v.planBytes, 0),
      elapsedMs: this.now() - this.started,
      // Printers run in parallel: the farm finishes when its slowest printer does.
      ...(longest > 0 ? { etaSeconds: longest } : {}),
    };
  }
}

/** A finished printer's line: the same words as the plain closing line, with its reason. */
function finishedNote(r: PrinterResult): string | undefined {
  if (r.outcome === 'in-sync' || r.outcome === 'planned') return undefined;
  if (r.outcome === 'skipped') return r.reason ?? 'busy';
  return closingText(r).replace(/^([A-Z][A-Z ]+)/, (label) => label.toLowerCase());
}

/**
 * The progress numbers of one printer. Bytes the socket accepted run ahead of what the printer took
 * by the size of the network buffers, so once a finished upload gives the printer's real rate, the
 * current file follows that rate.
 */
export function progressRow(name: string, v: PrinterView, now: number): PrinterRow {
  const rate = v.uploadMs > 0 ? v.doneBytes / (v.uploadMs / 1000) : 0;
  const fileBytes = rate > 0 ? Math.min(v.fileBytes, ((now - v.fileStarted) / 1000) * rate) : v.fileBytes;
  const left = Math.max(0, v.planBytes - v.doneBytes - fileBytes);
  return {
    name,
    phase: v.phase,
    actions: v.actions,
    actionIndex: Math.min(v.actions, v.actionsDone + 1),
    planBytes: v.planBytes,
    ...(v.verb !== undefined ? { verb: v.verb } : {}),
    ...(v.file !== undefined ? { file: v.file } : {}),
    fileBytes,
    fileTotal: v.fileTotal,
    rate,
    ...(rate > 0 ? { etaSeconds: left / rate } : {}),
    ...(v.note !== undefined ? { note: v.note } : {}),
    doneActions: v.actionsDone,
    doneBytes: v.doneBytes,
  };
}
