// The printer's own clock: host time plus a skew, or the garbage a printer without time writes.

import type { SimClockOptions, SimPersonality } from '../types.js';

/** 1980-01-01T00:00:00Z, the FAT epoch: what a Buddy that never got NTP leaves in its dates. */
export const FAT_EPOCH_SEC = 315532800;
/** A Pi without network time runs on from the last date its image saved (2023-01-01T00:00:00Z). */
export const PI_UNSET_ORIGIN_SEC = 1672531200;

export class SimClock {
  private skewSec = 0;
  private unset = false;
  private unsetSinceMs: number;

  constructor(
    private readonly personality: SimPersonality,
    options: SimClockOptions = {},
    /** Host time in epoch ms. */
    private readonly now: () => number = Date.now,
  ) {
    this.unsetSinceMs = now();
    this.set(options);
  }

  set(options: SimClockOptions): void {
    if (options.skewSec !== undefined) this.skewSec = options.skewSec;
    if (options.unset !== undefined) {
      if (options.unset && !this.unset) this.unsetSinceMs = this.now();
      this.unset = options.unset;
    }
  }

  /** The printer's idea of now, in epoch seconds (fractional). */
  nowSec(): number {
    if (this.unset) {
      if (this.personality === 'buddy') return FAT_EPOCH_SEC;
      return PI_UNSET_ORIGIN_SEC + (this.now() - this.unsetSinceMs) / 1000;
    }
    return this.now() / 1000 + this.skewSec;
  }

  /** A file timestamp as the file system stores it: FAT keeps 2 s steps, ext4 is read back as int seconds. */
  fileTimestamp(): number {
    const now = Math.floor(this.nowSec());
    return this.personality === 'buddy' ? now - (now % 2) : now;
  }
}
