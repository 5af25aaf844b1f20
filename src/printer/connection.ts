// The timeout, retry and abort options of a printer connection, declared once: sync(), createPrinterApi and the HTTP client take theirs from here.

import type { ExchangeNotice, RetryNotice } from './http.js';
import type { RetryPolicy } from './retry.js';

/** How long a printer's requests and uploads may take. */
export interface ConnectionTimeouts {
  /** TCP connect, default 10 s. */
  connectMs?: number;
  /** Longest silence while a request or its answer is under way, default 30 s. */
  responseMs?: number;
  /** Longest time an upload may go without the printer's transferred count moving, default 30 s. */
  stallMs?: number;
  /** An upload's time limit is its size at this rate plus uploadGraceMs (default 10 kB/s + 60 s). */
  uploadMinBytesPerSec?: number;
  uploadGraceMs?: number;
}

export interface ConnectionOptions {
  /** Connect, answer and upload-stall limits (defaults 10 s, 30 s, 30 s). */
  timeouts?: ConnectionTimeouts;
  /** When and how often to try a failed request again (default: never; sync() uses DEFAULT_RETRY_POLICY). */
  retry?: RetryPolicy;
  /** Told before each wait for a retry. */
  onRetry?: (notice: RetryNotice) => void;
  /** Told after each exchange on the wire (method, target, status, time; never headers): for --verbose. */
  onExchange?: (notice: ExchangeNotice) => void;
  /** Aborts every request to the printer, and any wait between attempts (Ctrl-C). */
  signal?: AbortSignal;
  /** Accept a self-signed https certificate. */
  allowSelfSigned?: boolean;
}
