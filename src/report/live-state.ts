// What the live view knows about each printer, updated from events, and the progress numbers it
// derives for the line renderer: bytes the printer reports it took and its recent rate (UploadMeter).

import type { PrinterResult, SyncEvent } from './events.js';
import type { OverallRow, PrinterRow } from './live-lines.js';
import { closingText, jobSuffix } from './plain.js';
import { UploadMeter } from './progress.js';

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
  /** Bytes the printer reports it took (never socket bytes, which run megabytes ahead) and its rate. */
  meter: UploadMeter;
  note?: string;
  /** reading: what is read before the plan, and how far. */
  reading?: PrinterRow['reading'];
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
      v = {
        phase: 'connecting',
        planBytes: 0,
        doneBytes: 0,
        actions: 0,
        actionsDone: 0,
        fileBytes: 0,
        fileTotal: 0,
        fileStarted: 0,
        meter: new UploadMeter(),
      };
      this.views.set(printer, v);
    }
    return v;
  }

  apply(event: SyncEvent): void {
    switch (event.type) {
      case 'run-start':
        for (const name of event.printers) this.view(name);
        return;
      case 'printer-start':
        // A printer waited for (--wait-busy) is read again once free: from here it is connecting, not waiting.
        this.view(event.printer).phase = 'connecting';
        return;
      case 'printer-state': {
        // --wait-busy: the printer was found busy and is polled until free; the row says what it is doing.
        const v = this.view(event.printer);
        v.phase = 'waiting';
        v.note = waitingNote(event);
        return;
      }
      case 'printer-reading': {
        const v = this.view(event.printer);
        v.phase = 'reading';
        v.reading = { step: event.step, done: event.done, total: event.total };
        return;
      }
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
        if (v.fileTotal > 0) v.meter.start(v.fileStarted);
        return;
      }
      case 'action-progress': {
        const v = this.view(event.printer);
        v.fileBytes = event.bytes;
        v.meter.taken(event.bytes, this.now());
        return;
      }
      case 'action-done':
      case 'action-failed': {
        const v = this.view(event.printer);
        if (event.type === 'action-done') v.doneBytes += event.bytes;
        if (v.fileTotal > 0) v.meter.done(event.type === 'action-done' ? event.bytes : 0, this.now());
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
      active: views.filter((v) => v.phase === 'syncing' || v.phase === 'connecting' || v.phase === 'reading').length,
      sentBytes: views.reduce((s, v) => s + v.meter.totalBytes, 0),
      planBytes: views.reduce((s, v) => s + v.planBytes, 0),
      elapsedMs: this.now() - this.started,
      // Printers run in parallel: the farm finishes when its slowest printer does.
      ...(longest > 0 ? { etaSeconds: longest } : {}),
    };
  }
}

/** "PRINTING benchy.gcode (45%)": the state a waited-for printer reported last. */
function waitingNote(event: Extract<SyncEvent, { type: 'printer-state' }>): string {
  if (event.error) return `${event.state}: ${event.error.message}`;
  return `${event.state}${jobSuffix(event.job)}`;
}

/** A finished printer's line: the same words as the plain closing line, with its reason. */
function finishedNote(r: PrinterResult): string | undefined {
  if (r.outcome === 'in-sync' || r.outcome === 'planned') return undefined;
  if (r.outcome === 'skipped') return r.reason ?? 'busy';
  return closingText(r).replace(/^([A-Z][A-Z ]+)/, (label) => label.toLowerCase());
}

/** The progress numbers of one printer: what the printer reports it took, at its recent rate. */
export function progressRow(name: string, v: PrinterView, now: number): PrinterRow {
  const rate = v.meter.rate(now);
  const left = v.meter.secondsLeft(v.planBytes, now);
  const fileBytes = v.meter.fileBytes;
  const elapsed = v.meter.fileElapsedMs(now);
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
    rate: rate ?? 0,
    ...(left !== undefined ? { etaSeconds: left } : {}),
    // Until the printer reports bytes, say what is known: it is sending, for this long.
    ...(v.fileTotal > 0 && fileBytes === 0 && elapsed !== undefined ? { sendingMs: elapsed } : {}),
    ...(v.note !== undefined ? { note: v.note } : {}),
    ...(v.phase === 'reading' && v.reading !== undefined ? { reading: v.reading } : {}),
    doneActions: v.actionsDone,
    doneBytes: v.doneBytes,
  };
}
