// Builds the PrinterApi for one configured printer.

import type { PrinterConfig } from '../config/types.js';
import type { PrinterApi } from './api.js';
import { PrinterHttp } from './http.js';
import type { ConnectionOptions } from './connection.js';
import { DetectingPrinterApi } from './prusalink/detect.js';
import { defaultUserAgent } from './user-agent.js';

/** The connection options, and the User-Agent every request sends. */
export interface PrinterApiOptions extends ConnectionOptions {
  /** Defaults to "link-sync/<version>". */
  userAgent?: string;
}

export function createPrinterApi(config: PrinterConfig, options: PrinterApiOptions = {}): PrinterApi {
  const http = new PrinterHttp({
    ...options,
    printer: config.name,
    baseUrl: config.baseUrl,
    auth: config.auth,
    userAgent: options.userAgent ?? defaultUserAgent(),
  });
  // The dialect (v1 or legacy) is found from /api/version on the first call.
  return new DetectingPrinterApi(http, config.printerType);
}
