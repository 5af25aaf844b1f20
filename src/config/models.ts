// The Prusa printer models link-sync knows, their accepted spellings, and which PrusaLink runs them.

import type { PrinterKind } from '../types.js';

export interface PrinterModel {
  /** The name link-sync uses everywhere after loading the config. */
  canonical: string;
  /** Other spellings, compared after `modelKey` folding. */
  aliases: readonly string[];
  /** 'buddy': PrusaLink in the printer's firmware; 'pi': PrusaLink on a Raspberry Pi. */
  family: PrinterKind;
}

export const PRINTER_MODELS: readonly PrinterModel[] = [
  { canonical: 'MK4', aliases: ['MK4IS', 'MK4 IS', 'MK4 Input Shaper'], family: 'buddy' },
  { canonical: 'MK4S', aliases: [], family: 'buddy' },
  { canonical: 'MK3.9', aliases: ['MK39'], family: 'buddy' },
  { canonical: 'MK3.9S', aliases: ['MK39S'], family: 'buddy' },
  { canonical: 'MK3.5', aliases: ['MK35'], family: 'buddy' },
  { canonical: 'MK3.5S', aliases: ['MK35S'], family: 'buddy' },
  { canonical: 'XL', aliases: ['XLIS'], family: 'buddy' },
  { canonical: 'MINI', aliases: ['MINIIS'], family: 'buddy' },
  { canonical: 'MINI+', aliases: ['MINIPLUS', 'MINI PLUS'], family: 'buddy' },
  { canonical: 'CORE One', aliases: ['COREONE', 'CORE-ONE', 'CORE_ONE'], family: 'buddy' },
  { canonical: 'MK3', aliases: [], family: 'pi' },
  { canonical: 'MK3S', aliases: [], family: 'pi' },
  { canonical: 'MK3S+', aliases: ['MK3SPLUS', 'MK3S PLUS'], family: 'pi' },
  { canonical: 'MK2.5', aliases: ['MK25'], family: 'pi' },
  { canonical: 'MK2.5S', aliases: ['MK25S'], family: 'pi' },
];

// Words people put in front of the model ("Original Prusa i3 MK3S+", "Prusa XL") that never
// change which model it is.
const PREFIX_WORDS = ['ORIGINAL', 'PRUSA', 'I3'];

/**
 * Folds a spelling to a lookup key: upper case, marketing prefixes dropped, spaces, hyphens and
 * underscores removed. Plus signs stay because they tell MINI+ from MINI and MK3S+ from MK3S.
 */
export function modelKey(spelling: string): string {
  let words = spelling
    .trim()
    .toUpperCase()
    .split(/[\s_-]+/)
    .filter((w) => w !== '');
  while (words.length > 1 && PREFIX_WORDS.includes(words[0] ?? '')) words = words.slice(1);
  let key = words.join('');
  // "I3MK3S" is how a Pi PrusaLink names its printer; the fused prefix is as meaningless as the word.
  for (const prefix of ['ORIGINALPRUSA', 'PRUSA', 'I3']) {
    if (key.startsWith(prefix) && key.length > prefix.length) key = key.slice(prefix.length);
  }
  return key;
}

const BY_KEY: ReadonlyMap<string, PrinterModel> = (() => {
  const map = new Map<string, PrinterModel>();
  for (const model of PRINTER_MODELS) {
    for (const spelling of [model.canonical, ...model.aliases]) {
      const key = modelKey(spelling);
      const clash = map.get(key);
      if (clash && clash !== model) throw new Error(`model table: "${spelling}" names two models`);
      map.set(key, model);
    }
  }
  return map;
})();

/** The model a config spelling names, or undefined when link-sync does not know it. */
export function findModel(spelling: string): PrinterModel | undefined {
  return BY_KEY.get(modelKey(spelling));
}

/** Canonical names, in table order, for "accepted: ..." messages. */
export function acceptedModelNames(): string[] {
  return PRINTER_MODELS.map((m) => m.canonical);
}

/** Every lookup key, for did-you-mean suggestions. */
export function modelKeys(): string[] {
  return [...BY_KEY.keys()];
}
