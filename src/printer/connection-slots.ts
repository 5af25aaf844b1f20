// A bound on the connections this process holds open at once, so a farm larger than the open-file
// limit queues for a connection instead of failing with EMFILE (which would read as "unreachable").

import { readFileSync } from 'node:fs';
import { PrinterError } from '../errors.js';

/** Descriptors kept for everything else: source files being read, the record, the log, stdio. */
const RESERVED = 128;

export class ConnectionSlots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  /** True while someone waits for a slot: holders of idle connections should give theirs up. */
  get contended(): boolean {
    return this.waiting.length > 0;
  }

  /** Resolves when the caller holds a slot; rejects (kind 'aborted') if the signal fires first. */
  acquire(printer: string, signal?: AbortSignal): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.waiting.indexOf(grant);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(
          new PrinterError(printer, 'aborted', `printer ${printer}: interrupted while waiting for a free connection`, {
            hint: 'the run was interrupted',
          }),
        );
      };
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free = Math.min(this.size, this.free + 1);
  }
}

/** The soft limit on open files of this process, from /proc on Linux; 256 (the smallest common default) elsewhere. */
export function openFileLimit(read: () => string = () => readFileSync('/proc/self/limits', 'utf8')): number {
  try {
    const line = read()
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    if (soft === 'unlimited') return 1_000_000;
    const n = Number(soft);
    if (Number.isInteger(n) && n > 0) return n;
  } catch {
    // not Linux: fall through
  }
  return 256;
}

/** Three descriptors per printer holding a slot (its socket, the second socket that reads an
 * upload's progress, and the file the upload reads), after the reserve. */
export function slotsForLimit(limit: number): number {
  return Math.max(4, Math.floor((limit - RESERVED) / 3));
}

let shared: ConnectionSlots | undefined;

/** The process-wide slots every printer client shares by default. */
export function processConnectionSlots(): ConnectionSlots {
  shared ??= new ConnectionSlots(slotsForLimit(openFileLimit()));
  return shared;
}
