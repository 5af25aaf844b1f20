// Runs a scan's file system calls synchronously while the disk answers at once, and through the thread pool
// once it does not. On a local disk a stat takes a few microseconds, while handing it to the thread pool and
// back costs tens of microseconds of CPU: at 10,000 files that is about a second of each run. A network share
// or a cold disk answers in a tenth of a millisecond or more, which only calls in parallel hide, so when most
// calls of a window are slow, the rest of the scan moves to the pool. A single slow call says nothing: the
// first calls, a garbage collection or another process taking the core make one now and then. A folder's
// listing takes longer the more it holds, so only calls on one entry (stat, access) are judged. Nothing but
// speed depends on which way a call runs.

import { createLimiter } from './limit.js';

export interface FsCallsOptions {
  /** Calls in flight at once through the thread pool. */
  concurrency: number;
  /** A synchronous call that takes this long counts as slow; 0 runs every call through the thread pool. */
  slowCallMs: number;
  /** Calls judged together: when over half of them were slow, the rest run through the thread pool. */
  window?: number;
  /** Time after which the event loop gets a turn (signals, timers, other I/O) while calls run synchronously. */
  yieldEveryMs?: number;
  /** The clock, in milliseconds. */
  now?: () => number;
}

/** `judged`: false for calls whose time grows with what they return (a folder's listing). */
export type FsCall = <T>(sync: () => T, inPool: () => Promise<T>, judged?: boolean) => Promise<T>;

/** One scan's way of calling the file system; see the file comment. */
export function createFsCalls(options: FsCallsOptions): FsCall {
  const limit = createLimiter(options.concurrency);
  // Small, so a cold disk is found after a few calls made one at a time; large enough that chance spikes are not.
  const window = options.window ?? 8;
  const yieldEveryMs = options.yieldEveryMs ?? 20;
  const now = options.now ?? (() => performance.now());
  let synchronous = options.slowCallMs > 0;
  let callsInWindow = 0;
  let slowInWindow = 0;
  // Between synchronous calls the scan goes on in microtasks: only a turn given here lets the event loop run.
  let lastTurn = now();

  return async <T>(sync: () => T, inPool: () => Promise<T>, judged = true): Promise<T> => {
    if (!synchronous) return limit(inPool);
    let started = now();
    if (started - lastTurn >= yieldEveryMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (!synchronous) return limit(inPool);
      started = lastTurn = now();
    }
    try {
      return sync();
    } finally {
      const took = now() - started;
      if (judged && took >= options.slowCallMs) slowInWindow++;
      if (judged && ++callsInWindow === window) {
        if (slowInWindow * 2 > window) synchronous = false;
        callsInWindow = 0;
        slowInWindow = 0;
      }
    }
  };
}
