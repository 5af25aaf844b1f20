// Progress of a printer's reads before its plan (sizes asked of the printer, local files hashed):
// one event at the start, then at most one a second, and one at the end.

import type { EventSink, ReadingStep } from './events.js';

/** Between two progress events of one step. */
export const READING_EVENT_INTERVAL_MS = 1000;

export class ReadingProgress {
  private done = 0;
  private lastSent = 0;

  constructor(
    private readonly emit: EventSink,
    private readonly printer: string,
    private readonly step: ReadingStep,
    private readonly total: number,
    private readonly now: () => number = Date.now,
  ) {
    if (total > 0) this.send();
  }

  /** One more file read. */
  advance(): void {
    this.done++;
    if (this.done === this.total || this.now() - this.lastSent >= READING_EVENT_INTERVAL_MS) this.send();
  }

  private send(): void {
    this.lastSent = this.now();
    this.emit({ type: 'printer-reading', printer: this.printer, step: this.step, done: this.done, total: this.total });
  }
}
