// The live picture of the farm while `watch` runs: one status row per printer, kept up to date from
// the sync events and the state polls. The farm page and GET /api/farm read it; it holds no secret.

import type { PrinterConfig } from '../config/types.js';
import type { PrinterStatus } from '../types.js';
import type { ErrorInfo, EventSink, SyncEvent } from '../report/events.js';
import { blankRow, STATUS_SCHEMA_VERSION, type PrinterStatusRow, type StatusDocument } from '../run/status-row.js';
import { jobInfo } from '../run/wait-busy.js';
import { mapStrings, redact } from '../report/inert.js';

export class FarmState {
  private readonly rows = new Map<string, PrinterStatusRow>();
  private readonly listeners = new Set<() => void>();

  constructor(
    printers: PrinterConfig[],
    private readonly source: string,
    /** Passwords and keys of the config: replaced by *** wherever a printer's text echoes one. */
    private readonly secrets: readonly string[] = [],
  ) {
    for (const printer of printers)
      this.rows.set(printer.name, { ...blankRow(printer), upload: null, lastError: null, activity: 'starting', behindMaster: false });
  }

  /** Called after every change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  document(): StatusDocument {
    const doc: StatusDocument = {
      v: STATUS_SCHEMA_VERSION,
      time: new Date().toISOString(),
      source: this.source,
      printers: [...this.rows.values()],
    };
    return mapStrings(doc, (text) => redact(text, this.secrets));
  }

  /** A first full read of the printer (storage, last sync): taken as is, keeping what watch learned since. */
  setRow(row: PrinterStatusRow): void {
    const old = this.rows.get(row.name);
    this.rows.set(row.name, {
      ...row,
      upload: old?.upload ?? null,
      lastError: old?.lastError ?? null,
      activity: old?.activity ?? 'watching',
      behindMaster: false,
    });
    this.changed();
  }

  /** A state poll answered. */
  observe(printer: string, status: PrinterStatus): void {
    this.update(printer, (row) => {
      row.answered = true;
      row.state = status.state;
      row.job = jobInfo(status) ?? null;
      row.error = null;
    });
  }

  /** A state poll failed: no answer, or an error status (then `error.status`). */
  pollFailed(printer: string, error: ErrorInfo): void {
    this.update(printer, (row) => {
      row.answered = false;
      row.state = null;
      row.job = null;
      row.error = error;
    });
  }

  /** The master changed since the printer's pending changes were worked out: they are not known until a sync plans it again. */
  behindMaster(printer: string): void {
    if (this.rows.get(printer)?.behindMaster !== false) return;
    this.update(printer, (row) => {
      row.behindMaster = true;
      // What it lacks now is not known: its old plan may say "in sync".
      row.pending = null;
    });
  }

  setActivity(printer: string, activity: string): void {
    this.update(printer, (row) => {
      row.activity = activity;
    });
  }

  /** Follows a sync's events: plan, actions, upload progress, result. */
  readonly sink: EventSink = (event: SyncEvent) => {
    switch (event.type) {
      case 'plan':
        return this.update(event.printer, (row) => {
          const count = (kind: string) => event.actions.filter((a) => a.kind === kind).length;
          const total = event.actions.length;
          row.behindMaster = false;
          row.pending = {
            upload: count('upload'),
            replace: count('replace'),
            delete: count('delete'),
            rmdir: count('rmdir'),
            problems: event.problems.length,
            held: event.holds.length,
            inSync: total === 0 && event.problems.length === 0,
          };
        });
      case 'action-start':
        return this.update(event.printer, (row) => {
          if (event.action.kind === 'upload' || event.action.kind === 'replace') {
            row.upload = { path: event.action.path, bytes: 0, total: event.action.size ?? 0 };
          }
        });
      case 'action-progress':
        return this.update(event.printer, (row) => {
          row.upload = { path: event.path, bytes: event.bytes, total: event.total };
        });
      case 'action-done':
        return this.update(event.printer, (row) => {
          row.upload = null;
          const pending = row.pending;
          if (pending && pending[event.action.kind] > 0) {
            pending[event.action.kind]--;
            pending.inSync = pending.upload + pending.replace + pending.delete + pending.rmdir === 0 && pending.problems === 0;
          }
        });
      case 'action-failed':
        return this.update(event.printer, (row) => {
          row.upload = null;
          row.lastError = event.error;
        });
      case 'printer-done': {
        const r = event.result;
        return this.update(r.printer, (row) => {
          row.upload = null;
          if (r.outcome === 'in-sync') {
            row.lastSync = new Date().toISOString();
            row.lastError = null;
          } else if (r.outcome === 'failed' || r.outcome === 'unreachable') {
            row.lastError = r.error ?? { code: 'SYNC_FAILED', message: r.reason ?? r.outcome };
          }
        });
      }
      default:
        return;
    }
  };

  private update(printer: string, change: (row: PrinterStatusRow) => void): void {
    const row = this.rows.get(printer);
    if (!row) return;
    change(row);
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
