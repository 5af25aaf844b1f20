// Reads an upload body at the printer's rate, applying body faults (reset, stall) and an idle
// timeout. The request stays paused while a chunk is being consumed, so the kernel's receive buffer
// fills and TCP flow control throttles the client: bytes the client "sent" are not bytes taken.

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
  /** Gets every consumed piece with the running total; false: wait for `drained()` before the next
   * one; 'stop': stop reading now. */
  onChunk(chunk: Buffer, total: number): boolean | 'stop';
  drained(): Promise<void>;
}

/** With a rate, bytes are taken in pieces this many times a second, so progress moves smoothly. */
const PIECES_PER_SEC = 10;
const MAX_PIECE = 64 * 1024;
const RESET_PROBE_MS = 200;
const CATCH_UP_MS = 250;
const EMPTY = Buffer.alloc(0);

export function readBody(req: IncomingMessage, opts: BodyReadOptions): Promise<BodyOutcome> {
  return new Promise((resolve) => {
    let total = 0;
    let settled = false;
    let idleTimer: NodeJS.Timeout | undefined;
    const fault = opts.fault;
    const rate = opts.rateBytesPerSec;
    const piece = rate ? Math.max(1024, Math.min(MAX_PIECE, Math.floor(rate / PIECES_PER_SEC))) : Infinity;
    const resetAt = fault?.kind === 'reset-after-bytes' ? fault.bytes : undefined;
    const stallAt = fault?.kind === 'stall' ? (fault.afterBytes ?? 0) : undefined;
    let stalled = false;
    let ended = false;
    /** A piece is being taken (or the printer waits): nothing else is read meanwhile. */
    let consuming = false;
    /** When the printer may take its next byte (the rate's clock). */
    let clock = Date.now();

    // A paused socket is not read, so it would not see a TCP reset until reading resumed: a printer's
    // TCP stack sees one at once. A zero-byte write asks the kernel, which reports the reset.
    const probe = setInterval(() => {
      const socket = req.socket;
      if (!socket.destroyed && socket.writable) socket.write(EMPTY);
    }, RESET_PROBE_MS);
    probe.unref();

    const finish = (outcome: BodyOutcome): void => {
      if (settled) return;
      settled = true;
      clearInterval(probe);
      if (idleTimer) clearTimeout(idleTimer);
      req.off('readable', onReadable);
      req.socket.off('close', onSocketClose);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onClose);
      resolve(outcome);
    };
    const armIdle = (): void => {
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = undefined;
      if (opts.idleTimeoutMs && !consuming && !settled) {
        idleTimer = setTimeout(() => finish('idle-timeout'), opts.idleTimeoutMs);
        idleTimer.unref();
      }
    };
    const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

    const stall = async (): Promise<void> => {
      stalled = true;
      const ms = fault?.kind === 'stall' ? fault.ms : undefined;
      if (ms !== undefined) return sleep(ms);
      setTimeout(() => finish('idle-timeout'), opts.stallGiveUpMs).unref();
      return new Promise(() => undefined);
    };

    /** Takes one piece; false when reading ends here. */
    const take = async (bytes: Buffer): Promise<boolean> => {
      let chunk = bytes;
      if (resetAt !== undefined && total + chunk.length >= resetAt) {
        chunk = chunk.subarray(0, Math.max(0, resetAt - total));
        if (chunk.length > 0) {
          total += chunk.length;
          opts.onChunk(chunk, total);
        }
        req.socket.destroy();
        finish('reset');
        return false;
      }
      total += chunk.length;
      const ready = opts.onChunk(chunk, total);
      if (ready === 'stop') {
        finish('stopped');
        return false;
      }
      if (!ready) await opts.drained();
      if (stallAt !== undefined && !stalled && total >= stallAt) await stall();
      return !settled;
    };

    /**
     * Reads one piece at a time from the request's buffer, at the rate. Reading little keeps the
     * socket paused (a full buffer stops it), yet it is read again soon enough to notice a reset.
     */
    const consume = async (): Promise<void> => {
      if (consuming || settled) return;
      consuming = true;
      armIdle();
      for (;;) {
        // A stall fault stops at its exact byte, whatever size the pieces have.
        const toStall = stallAt !== undefined && !stalled && stallAt > total ? stallAt - total : Infinity;
        const n = Math.min(piece, req.readableLength, toStall);
        const part = n > 0 ? (req.read(n) as Buffer | null) : null;
        if (!part || settled) break;
        if (rate) {
          // A timer that fired late is caught up (a printer takes bytes in time whatever our event
          // loop does); only a pause longer than that, waiting for the client, restarts the clock.
          clock = Math.max(clock, Date.now() - CATCH_UP_MS) + (part.length / rate) * 1000;
          const wait = clock - Date.now();
          if (wait > 1) await sleep(wait);
          if (settled) break;
        }
        if (!(await take(part))) break;
      }
      consuming = false;
      if (settled) return;
      if (ended) return finish('complete');
      req.read(0); // lets the stream fetch more, or notice its end
      armIdle();
    };

    const onReadable = (): void => void consume();
    const onEnd = (): void => {
      ended = true;
      if (!consuming) finish('complete');
    };
    // A reset (or any close before the last byte) ends the upload at once, buffered bytes or not.
    const onClose = (): void => {
      if (!req.complete) finish('aborted');
    };
    // The socket closes under a request only when the connection died (a reset, an error): a clean
    // close (FIN) after the body leaves it open for the answer. Bytes not yet taken are lost then.
    const onSocketClose = (): void => finish('aborted');

    req.on('end', onEnd);
    req.socket.once('close', onSocketClose);
    req.on('close', onClose);
    req.on('error', onClose);
    if (stallAt === 0) {
      consuming = true;
      void stall().then(() => {
        consuming = false;
        req.on('readable', onReadable);
        void consume();
      });
    } else {
      req.on('readable', onReadable);
    }
    armIdle();
  });
}
