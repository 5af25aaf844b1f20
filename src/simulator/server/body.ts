// Reads an upload body chunk by chunk at a bounded rate, applying body faults (reset, stall) and an
// idle timeout. Backpressure goes to the client through TCP: a paused request stops the socket.

import type { IncomingMessage } from 'node:http';
import type { BodyFault } from './faults.js';

export type BodyOutcome = 'complete' | 'aborted' | 'reset' | 'idle-timeout' | 'stopped';

export interface BodyReadOptions {
  rateBytesPerSec?: number;
  fault?: BodyFault;
  /** Abort when no byte arrives for this long while we are reading. */
  idleTimeoutMs?: number;
  /** A stall without its own duration ends the upload after this long ('idle-timeout'): a paused
   * socket cannot notice that the client gave up, so something has to. */
  stallGiveUpMs: number;
  /** Gets every chunk; false: wait for `drained()` before the next one; 'stop': stop reading now. */
  onChunk(chunk: Buffer, total: number): boolean | 'stop';
  drained(): Promise<void>;
}

export function readBody(req: IncomingMessage, opts: BodyReadOptions): Promise<BodyOutcome> {
  return new Promise((resolve) => {
    let total = 0;
    let settled = false;
    let waits = 0;
    let idleTimer: NodeJS.Timeout | undefined;
    const start = Date.now();
    const fault = opts.fault;
    const resetAt = fault?.kind === 'reset-after-bytes' ? fault.bytes : undefined;
    const stallAt = fault?.kind === 'stall' ? (fault.afterBytes ?? 0) : undefined;
    let stalled = false;
    let ended = false;

    const finish = (outcome: BodyOutcome): void => {
      if (settled) return;
      settled = true;
      if (idleTimer) clearTimeout(idleTimer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onClose);
      resolve(outcome);
    };
    const armIdle = (): void => {
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = undefined;
      if (opts.idleTimeoutMs && waits === 0 && !settled) {
        idleTimer = setTimeout(() => finish('idle-timeout'), opts.idleTimeoutMs);
        idleTimer.unref();
      }
    };
    // Pause while any reason to wait holds (rate limit, sink backpressure, stall).
    const hold = (p: Promise<void>): void => {
      waits++;
      req.pause();
      armIdle();
      void p.then(() => {
        waits--;
        if (waits !== 0 || settled) return;
        if (ended) return finish('complete');
        req.resume();
        armIdle();
      });
    };
    const stall = (): void => {
      stalled = true;
      const ms = fault?.kind === 'stall' ? fault.ms : undefined;
      if (ms !== undefined) return hold(new Promise((r) => setTimeout(r, ms).unref()));
      hold(new Promise(() => undefined));
      setTimeout(() => finish('idle-timeout'), opts.stallGiveUpMs).unref();
    };

    const onData = (raw: Buffer): void => {
      if (settled) return;
      let chunk = raw;
      if (resetAt !== undefined && total + chunk.length >= resetAt) {
        chunk = chunk.subarray(0, Math.max(0, resetAt - total));
        if (chunk.length > 0) {
          total += chunk.length;
          opts.onChunk(chunk, total);
        }
        req.socket.destroy();
        finish('reset');
        return;
      }
      total += chunk.length;
      const ready = opts.onChunk(chunk, total);
      if (ready === 'stop') {
        req.pause();
        finish('stopped');
        return;
      }
      if (!ready) hold(opts.drained());
      if (opts.rateBytesPerSec) {
        const due = start + (total / opts.rateBytesPerSec) * 1000;
        const wait = due - Date.now();
        if (wait > 1) hold(new Promise((r) => setTimeout(r, wait).unref()));
      }
      if (stallAt !== undefined && !stalled && total >= stallAt) stall();
      armIdle();
    };
    // The last bytes may arrive with the end of the body; the rate limit still applies to them.
    const onEnd = (): void => {
      if (waits === 0) return finish('complete');
      ended = true;
      if (idleTimer) clearTimeout(idleTimer);
    };
    const onClose = (): void => {
      if (!req.complete) finish('aborted');
      else if (waits === 0) finish('complete');
      else ended = true;
    };

    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
    req.on('error', onClose);
    if (stallAt === 0) stall();
    armIdle();
  });
}
