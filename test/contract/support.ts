// Helpers for the contract suite: re-readable bodies, an API for a simulated printer, error capture.

import { Readable } from 'node:stream';
import type { PrinterAuth } from '../../src/config/types.js';
import type { PrinterApi, UploadBody } from '../../src/printer/api.js';
import { createPrinterApi } from '../../src/printer/create.js';
import type { SimPrinter } from '../../src/simulator/index.js';

/** Uploads from memory in small chunks, re-readable like a file on disk. */
export function body(content: string | Buffer): UploadBody & { opened: number } {
  const buf = Buffer.from(content);
  const b = {
    size: buf.length,
    opened: 0,
    open(): Readable {
      b.opened++;
      const chunks: Buffer[] = [];
      for (let i = 0; i < buf.length; i += 1000) chunks.push(buf.subarray(i, i + 1000));
      return Readable.from(chunks);
    },
  };
  return b;
}

export function apiFor(sim: SimPrinter, auth?: PrinterAuth, name = 'printer-under-test', baseUrl = sim.url): PrinterApi {
  return createPrinterApi(
    {
      name,
      printerType: sim.model,
      baseUrl,
      auth: auth ?? { kind: 'digest', username: sim.credentials.username, password: sim.credentials.password },
    },
    { timeouts: { connectMs: 2_000, responseMs: 5_000 } },
  );
}

export { printerRejection as rejection } from '../helpers/bodies.js';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export { closedPort } from '../helpers/ports.js';
