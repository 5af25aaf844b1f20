// Builds the PrinterApi for one configured printer.

import type { PrinterConfig } from '../config/types.js';
import type { PrinterApi } from './api.js';
import { PrinterHttp, type ExchangeNotice, type RetryNotice } from './http.js';
import type { RetryPolicy } from './retry.js';
import { DetectingPrinterApi } from './prusalink/detect.js';
import { defaultUserAgent } from './user-agent.js';

export interface PrinterApiOptions {
  timeouts?: {
    /** TCP connect, default 10 s. */
    connectMs?: number;
    /** Longest silence while a request or its answer is under way, default 30 s. */
    responseMs?: number;
    /** Longest time an upload may go without the printer's transferred count moving, default 30 s. */
    stallMs?: number;
    /** An upload's time limit is its size at this rate plus uploadGraceMs (default 10 kB/s + 60 s). */
    uploadMinBytesPerSec?: number;
    uploadGraceMs?: number;
  };
  /** Retries of failed requests (default none; sync() uses DEFAULT_RETRY_POLICY). */
  retry?: RetryPolicy;
  onRetry?: (notice: RetryNotice) => void;
  /** Told after each request on the wire (method, target, status, time): for --verbose. */
  onExchange?: (notice: ExchangeNotice) => void;
  /** Aborts every request to the printer (Ctrl-C). */
  signal?: AbortSignal;
  /** Accept a self-signed https certificate. */
  allowSelfSigned?: boolean;
  /** Defaults to "link-sync/<version>". */
  userAgent?: string;
}

export function createPrinterApi(config: PrinterConfig, options: PrinterApiOptions = {}): PrinterApi {
  const http = new PrinterHttp({
    printer: config.name,
    baseUrl: config.baseUrl,
    auth: config.auth,
    userAgent: options.userAgent ?? defaultUserAgent(),
    ...(options.timeouts?.connectMs !== undefined ? { connectTimeoutMs: options.timeouts.connectMs } : {}),
    ...(options.timeouts?.responseMs !== undefined ? { responseTimeoutMs: options.timeouts.responseMs } : {}),
    ...(options.timeouts?.stallMs !== undefined ? { stallTimeoutMs: options.timeouts.stallMs } : {}),
    ...(options.timeouts?.uploadMinBytesPerSec !== undefined ? { uploadMinBytesPerSec: options.timeouts.uploadMinBytesPerSec } : {}),
    ...(options.timeouts?.uploadGraceMs !== undefined ? { uploadGraceMs: options.timeouts.uploadGraceMs } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    ...(options.onExchange ? { onExchange: options.onExchange } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.allowSelfSigned !== undefined ? { allowSelfSigned: options.allowSelfSigned } : {}),
  });
  // The dialect (v1 or legacy) is found from /api/version on the first call.
  return new DetectingPrinterApi(http, config.printerType);
}
