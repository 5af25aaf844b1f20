// Upload bodies and error capture for tests of the printer client.

import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { UploadBody } from '../../src/printer/api.js';
import { PrinterError } from '../../src/errors.js';

/** A body of `size` bytes produced in 64 KiB chunks, never held whole; counts its openings. */
export function generatedBody(size: number, opened: { count: number } = { count: 0 }): UploadBody {
  return {
    size,
    open(): Readable {
      opened.count++;
      let left = size;
      return new Readable({
        read() {
          if (left === 0) return void this.push(null);
          const n = Math.min(left, 65536);
          left -= n;
          this.push(Buffer.alloc(n, 0x47));
        },
      });
    },
  };
}

/** The PrinterError a promise rejects with; fails the test if it resolves or rejects otherwise. */
export async function printerRejection(p: Promise<unknown>): Promise<PrinterError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PrinterError) return err;
    throw err;
  }
  assert.fail('expected a PrinterError');
}
