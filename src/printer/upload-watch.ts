// Whether an upload is still alive, judged from what the printer took, not from what our socket
// handed to the kernel (which runs megabytes ahead on a slow printer). Aborts a stalled upload
// through its signal; the transport then resets the connection so the printer drops it.

import { ExchangeAbort, seconds } from './transport.js';

/** What the printer reports about its running transfer. */
export interface TransferProgress {
  /** Bytes the printer has taken. */
  transferred: number;
  /** The transfer's size when the printer says. */
  size?: number;
}

/**
 * Reads the printer's transfer: its progress, undefined when no transfer runs, null when this
 * printer cannot report one (legacy API). Throws when the printer could not be asked this time.
 */
export type TransferPoll = () => Promise<TransferProgress | undefined | null>;

export interface UploadWatchOptions {
  size: number;
  /** No progress for this long is a stall (--timeout). */
  stallMs: number;
  /** The slowest rate a working printer plausibly takes bytes at (for bytes still in buffers). */
  minBytesPerSec: number;
  /** Without it (or when it answers null) only socket bytes are known: the legacy rule applies. */
  poll?: TransferPoll;
  /** At most one poll per this interval; default 2 s. */
  pollIntervalMs?: number;
  /** Told each time the printer reports more bytes taken. */
  onTaken?: (bytes: number) => void;
}

export const POLL_INTERVAL_MS = 2_000;
/** Bytes a sender's socket buffer may hold (Linux tcp_wmem max is commonly 4 MiB). */
export const BUFFERED_BYTES_BOUND = 4 * 1024 * 1024;
/** A poll that fails this many times in a row leaves the judgement to socket bytes. */
const POLL_FAILURES_BEFORE_FALLBACK = 3;
const TICK_MS = 250;

/**
 * Legacy rule: how long to wait for the answer once every byte was handed to the socket, when the
 * printer cannot report its progress. The bytes still in buffers drain at the slowest plausible rate.
 */
export function answerWaitMs(size: number, stallMs: number, minBytesPerSec: number): number {
  return stallMs + Math.ceil((Math.min(size, BUFFERED_BYTES_BOUND) / minBytesPerSec) * 1000);
}

export class UploadWatch {
  private readonly controller = new AbortController();
  private readonly started = Date.now();
  private readonly interval: number;
  private timer: NodeJS.Timeout | undefined;
  /** 'printer' while the printer reports its progress; 'socket' once it cannot. */
  private mode: 'printer' | 'socket';
  private taken = 0;
  /** Whether the printer has reported this upload's progress at least once. */
  private reported = false;
  private lastTakenAt: number;
  private sent = 0;
  private lastSentAt: number;
  private pollInFlight = false;
  private lastPollAt: number;
  private pollFailures = 0;
  private polls = 0;

  constructor(private readonly options: UploadWatchOptions) {
    this.mode = options.poll ? 'printer' : 'socket';
    this.interval = options.pollIntervalMs ?? POLL_INTERVAL_MS;
    this.lastTakenAt = this.started;
    this.lastSentAt = this.started;
    this.lastPollAt = this.started;
    this.timer = setInterval(() => this.tick(), Math.min(TICK_MS, Math.max(10, options.stallMs / 4)));
    this.timer.unref();
  }

  /** Aborts (with an ExchangeAbort saying why) when the upload stalls. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Polls made so far (for tests and --verbose). */
  get pollCount(): number {
    return this.polls;
  }

  /** Bytes the printer last said it had taken of this upload; undefined when it never said. */
  get printerTook(): number | undefined {
    return this.reported ? this.taken : undefined;
  }

  /** Socket bytes handed over so far. */
  sentBytes(sent: number): void {
    if (sent > this.sent) {
      this.sent = sent;
      this.lastSentAt = Date.now();
    }
  }

  /** The answer came (or the upload failed otherwise): stop watching. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    if (!this.timer) return;
    const now = Date.now();
    if (this.mode === 'socket') return this.judgeSocket(now);
    if (!this.pollInFlight && now - this.lastPollAt >= this.interval) void this.pollOnce();
  }

  /** The legacy rule: socket silence while sending; afterwards, time for buffered bytes to drain. */
  private judgeSocket(now: number): void {
    const { size, stallMs, minBytesPerSec } = this.options;
    if (this.sent < size) {
      if (now - this.lastSentAt > stallMs) this.abort(`no upload progress for ${seconds(stallMs)}`);
      return;
    }
    const wait = answerWaitMs(size, stallMs, minBytesPerSec);
    if (now - this.lastSentAt > wait) this.abort(`no answer within ${seconds(wait)} after the last byte was sent`);
  }

  private async pollOnce(): Promise<void> {
    this.pollInFlight = true;
    this.lastPollAt = Date.now();
    this.polls++;
    let progress: TransferProgress | undefined | null;
    try {
      progress = await this.options.poll!();
      this.pollFailures = 0;
    } catch {
      this.pollFailures++;
      progress = undefined;
      if (this.pollFailures >= POLL_FAILURES_BEFORE_FALLBACK) progress = null;
    } finally {
      this.pollInFlight = false;
    }
    if (!this.timer) return;
    const now = Date.now();
    if (progress === null) {
      // The printer cannot tell (or cannot be asked): judge by the socket from here on.
      this.mode = 'socket';
      this.lastSentAt = Math.max(this.lastSentAt, now);
      return;
    }
    const size = this.options.size;
    // A transfer of another size is not ours (a Connect download that slipped in): no evidence.
    const ours = progress !== undefined && (progress.size === undefined || progress.size === size);
    // Capped before comparing: a count past the file's size, repeated, is not progress.
    const taken = ours ? Math.min(progress!.transferred, size) : this.taken;
    if (ours) this.reported = true;
    if (taken > this.taken) {
      this.taken = taken;
      this.lastTakenAt = now;
      this.options.onTaken?.(this.taken);
      return;
    }
    // Judged only on fresh evidence: the printer's count has not moved for the whole limit.
    if (now - this.lastTakenAt >= this.options.stallMs) {
      const what =
        this.taken >= size || (progress === undefined && this.taken > 0)
          ? `the printer took every byte but gave no answer for ${seconds(this.options.stallMs)}`
          : `the printer took no upload bytes for ${seconds(this.options.stallMs)} (${this.taken} of ${size} taken)`;
      this.abort(what);
    }
  }

  private abort(message: string): void {
    this.stop();
    this.controller.abort(new ExchangeAbort(message, 'ETIMEDOUT'));
  }
}
