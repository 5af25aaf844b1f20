// Free space on a printer that tells it (PrusaLink on a Pi). A Pi takes a PUT without looking at its
// space and answers 500 once the disk is full, after the whole body went out at Wi-Fi speed. So an
// upload that cannot fit is not sent, and a 500 to one that then no longer fits means a full storage.

import { PrinterError } from '../errors.js';
import type { PrinterApi } from '../printer/api.js';
import { formatBytes } from '../report/format.js';
import type { Action } from '../types.js';

type Upload = Extract<Action, { kind: 'upload' | 'replace' }>;

const HINT = "free space on the printer's storage (delete files there), then run again";

export class FreeSpace {
  constructor(
    private readonly printer: string,
    private readonly storage: string,
    /** Bytes free as the printer last said; undefined: it does not tell (Buddy), so nothing is checked. */
    private free: number | undefined,
  ) {}

  /** Whether `size` bytes fit (always, on a printer that does not tell). */
  fits(size: number): boolean {
    return this.free === undefined || size <= this.free;
  }

  /** Throws a 'storage' error, before anything is sent, when `size` bytes cannot fit. */
  check(what: string, size: number): void {
    if (this.free === undefined || this.fits(size)) return;
    throw this.full(`printer ${this.printer}: ${what} not sent`, size, this.free);
  }

  /** An upload the printer took: its bytes are used, and those of the copy it replaced are freed (a Pi replaces atomically). */
  took(size: number, replaced: number | undefined): void {
    if (this.free === undefined) return;
    this.free = Math.max(0, this.free - size + (replaced ?? 0));
  }

  /**
   * The error to report for a failed upload: a 500 after which the storage has less room than the
   * file is a full storage (one cheap look at the storage list); anything else stays as it was.
   */
  async explain(error: unknown, api: PrinterApi, size: number): Promise<unknown> {
    if (this.free === undefined || !(error instanceof PrinterError) || error.status !== 500) return error;
    const now = await api.storages().then(
      (list) => list.find((s) => s.name === this.storage)?.freeSpace,
      () => undefined,
    );
    if (now === undefined) return error;
    this.free = now;
    return size > now ? this.full(error.message, size, now, error) : error;
  }

  private full(message: string, size: number, free: number, cause?: PrinterError): PrinterError {
    return new PrinterError(
      this.printer,
      'storage',
      `${message}: storage "${this.storage}" is full (${formatBytes(free)} free, the file needs ${formatBytes(size)})`,
      { hint: HINT, ...(cause ? { cause } : {}), ...(cause?.status !== undefined ? { status: cause.status } : {}) },
    );
  }
}

/**
 * The uploads of a plan that will not be sent for lack of space, worked out as the executor will meet
 * them: in order, each taking its size and giving back the copy it replaces, until one does not fit;
 * that one and every upload after it (a full storage stops the printer's uploads). Empty when the
 * printer does not tell its space.
 */
export function uploadsThatWillNotFit(
  actions: readonly Action[],
  free: number | undefined,
  replacedSize: (action: Upload) => number | undefined,
): Upload[] {
  if (free === undefined) return [];
  const uploads = actions.filter((a): a is Upload => a.kind === 'upload' || a.kind === 'replace');
  const space = new FreeSpace('', '', free);
  const first = uploads.findIndex((action) => {
    if (!space.fits(action.source.size)) return true;
    space.took(action.source.size, action.kind === 'replace' ? replacedSize(action) : undefined);
    return false;
  });
  return first < 0 ? [] : uploads.slice(first);
}
