// A host clock that moves only when told to, so tests can age nonces and file stamps without sleeping.

export interface ManualClock {
  /** The current time in epoch ms; pass it as a printer's `now` option. */
  readonly now: () => number;
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void;
}

/** A clock starting at `startMs` (default: the real time now) that only `advance` moves. */
export function manualClock(startMs: number = Date.now()): ManualClock {
  let current = startMs;
  return {
    now: () => current,
    advance(ms: number): void {
      if (!(ms >= 0)) throw new RangeError(`a manual clock only moves forward, not by ${ms} ms`);
      current += ms;
    },
  };
}
