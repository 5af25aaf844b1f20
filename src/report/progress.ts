// One printer's upload progress as the printer reports it (action-progress carries printer-taken
// bytes), and its rate from recent throughput. Pure: every time is passed in, nothing is read.

/** Throughput is measured over at most this much recent time... */
const WINDOW_MS = 20_000;
/** ...and only once samples span this long: a small file's time is mostly fixed cost, not rate. */
const MIN_SPAN_MS = 3_000;
/** Samples come every poll interval (2 s); silence much longer than that means the rate dropped. */
const QUIET_MS = 5_000;

interface Sample {
  at: number;
  /** Bytes of this run's uploads the printer has taken, finished files included. */
  bytes: number;
}

export class UploadMeter {
  private samples: Sample[] = [];
  /** Bytes of finished uploads. */
  private finished = 0;
  /** Printer-taken bytes of the current file. */
  private current = 0;
  private fileSince: number | undefined;

  /** An upload begins. */
  start(at: number): void {
    this.current = 0;
    this.fileSince = at;
    this.sample(at);
  }

  /** The printer reports it has taken `bytes` of the current file. */
  taken(bytes: number, at: number): void {
    if (bytes <= this.current) return;
    this.current = bytes;
    this.sample(at);
  }

  /** The printer confirmed the current upload (its whole size); `bytes` 0 for a failed one. */
  done(bytes: number, at: number): void {
    this.finished += bytes;
    this.current = 0;
    this.fileSince = undefined;
    this.sample(at);
  }

  /** Printer-taken bytes of the current file. */
  get fileBytes(): number {
    return this.current;
  }

  /** Printer-taken bytes of the whole run so far. */
  get totalBytes(): number {
    return this.finished + this.current;
  }

  /** Time spent on the current file, or undefined between files. */
  fileElapsedMs(now: number): number | undefined {
    return this.fileSince === undefined ? undefined : now - this.fileSince;
  }

  /** Bytes per second over the recent window; undefined until enough time has been measured. */
  rate(now: number): number | undefined {
    const last = this.samples[this.samples.length - 1];
    if (!last) return undefined;
    const end = now - last.at > QUIET_MS ? now : last.at;
    const first = this.samples.find((s) => s.at >= end - WINDOW_MS) ?? last;
    const span = end - first.at;
    if (span < MIN_SPAN_MS || last.bytes <= first.bytes) return undefined;
    return ((last.bytes - first.bytes) * 1000) / span;
  }

  /** Seconds until `planBytes` are taken at the recent rate; undefined while no rate is known. */
  secondsLeft(planBytes: number, now: number): number | undefined {
    const rate = this.rate(now);
    return rate === undefined ? undefined : Math.max(0, planBytes - this.totalBytes) / rate;
  }

  private sample(at: number): void {
    this.samples.push({ at, bytes: this.totalBytes });
    // Keep one sample older than the window, so the window always has a start.
    while (this.samples.length > 2 && this.samples[1]!.at < at - WINDOW_MS) this.samples.shift();
  }
}
