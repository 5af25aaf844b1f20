// Node's setTimeout cannot wait longer than 2^31 - 1 ms (about 24.8 days): asked for more, it warns
// and fires after 1 ms. Waits computed from a plan or given through the library go through here.

/** The longest delay setTimeout honours. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A delay setTimeout honours: a longer wait is cut to the limit, never to 1 ms; NaN and negatives are 0. */
export function timerDelay(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(ms, MAX_TIMER_MS);
}
