// The legacy firmware personalities: which models have one, and the personality for a printer.

import type { SimContext } from '../server/context.js';
import type { Personality } from '../server/personality.js';
import type { SimModel } from '../types.js';
import { LegacyBuddyPersonality } from './buddy-router.js';
import { LegacyPiPersonality } from './pi-router.js';

/** Buddy 4.4 shipped on the MINI only; every Pi model ran PrusaLink 0.6. */
const LEGACY_MODELS: ReadonlySet<SimModel> = new Set<SimModel>(['MINI', 'MK3', 'MK3S', 'MK2.5', 'MK2.5S']);

export function hasLegacyFirmware(model: SimModel): boolean {
  return LEGACY_MODELS.has(model);
}

/** Throws for a model that never had a legacy-only firmware. */
export function checkLegacyModel(model: SimModel): void {
  if (!hasLegacyFirmware(model)) {
    throw new Error(
      `model ${model} has no legacy firmware to simulate (legacy: MINI with Buddy 4.4, or MK3/MK3S/MK2.5/MK2.5S with PrusaLink 0.6)`,
    );
  }
}

export function legacyPersonality(ctx: SimContext): Personality {
  return ctx.personality === 'buddy' ? new LegacyBuddyPersonality(ctx) : new LegacyPiPersonality(ctx);
}
