// Builds the PrinterApi for one configured printer.

import type { PrinterConfig } from '../config/types.js';
import type { PrinterApi } from './api.js';
import { PrinterHttp } from './http.js';
import { PrusaLinkV1 } from './prusalink/v1.js';
import { defaultUserAgent } from './user-agent.js';

export interface PrinterApiOptions {
  timeouts?: {
    /** TCP connect, default 5 s. */
    connectMs?: number;
    /** Longest silence while a request or its answer is under way, default 30 s. */
    responseMs?: number;
  };
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
    ...(options.allowSelfSigned !== undefined ? { allowSelfSigned: options.allowSelfSigned } : {}),
  });
  return new PrusaLinkV1(http, config.printerType);
}
