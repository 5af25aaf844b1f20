// A timer that an AbortSignal (Ctrl-C) or an explicit wake-up ends early.

import { timerDelay } from '../timers.js';

/** Resolves after `ms`, or at once when the signal aborts; never rejects. */
export function abortableSleep(ms: number, signal?: AbortSignal, wake?: { onWake?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      if (wake) wake.onWake = undefined;
      resolve();
    };
    const timer = setTimeout(done, timerDelay(ms));
    signal?.addEventListener('abort', done, { once: true });
    if (wake) wake.onWake = done;
  });
}
