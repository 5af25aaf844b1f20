// The printer models the simulator knows, and which PrusaLink implementation each one runs.

import type { SimModel, SimPersonality } from './types.js';

interface ModelInfo {
  personality: SimPersonality;
  /** Pi: the `original` field of /api/version. */
  original?: string;
  /** Lower-case prefix for generated names and hostnames. */
  slug: string;
}

const MODELS: Record<SimModel, ModelInfo> = {
  MK4: { personality: 'buddy', slug: 'mk4' },
  MK4S: { personality: 'buddy', slug: 'mk4s' },
  'MK3.9': { personality: 'buddy', slug: 'mk39' },
  'MK3.9S': { personality: 'buddy', slug: 'mk39s' },
  'MK3.5': { personality: 'buddy', slug: 'mk35' },
  'MK3.5S': { personality: 'buddy', slug: 'mk35s' },
  XL: { personality: 'buddy', slug: 'xl' },
  MINI: { personality: 'buddy', slug: 'mini' },
  COREONE: { personality: 'buddy', slug: 'coreone' },
  MK3: { personality: 'pi', original: 'PrusaLink I3MK3', slug: 'mk3' },
  MK3S: { personality: 'pi', original: 'PrusaLink I3MK3S', slug: 'mk3s' },
  'MK2.5': { personality: 'pi', original: 'PrusaLink I3MK25', slug: 'mk25' },
  'MK2.5S': { personality: 'pi', original: 'PrusaLink I3MK25S', slug: 'mk25s' },
};

export const SIM_MODELS = Object.keys(MODELS) as SimModel[];

export function isSimModel(value: string): value is SimModel {
  return Object.hasOwn(MODELS, value);
}

/** Accepts any case and the common spellings "CORE One", "MK3.9s". */
export function parseSimModel(value: string): SimModel | undefined {
  const compact = value.trim().toUpperCase().replace(/\s+/g, '');
  return isSimModel(compact) ? compact : undefined;
}

export function modelInfo(model: SimModel): ModelInfo {
  return MODELS[model];
}
