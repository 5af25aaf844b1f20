// Parses the values of `link-sync simulate`: byte rates like "200k", model lists, printer names.

import { modelInfo, parseSimModel, SIM_MODELS } from './models.js';
import type { SimModel } from './types.js';

const UNITS: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, ki: 1024, mi: 1024 ** 2, gi: 1024 ** 3 };

/** "200k" → 200000, "1.5M" → 1500000, "64Ki" → 65536, "5000" → 5000 (bytes per second). */
export function parseRate(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?)?\s*(?:b|B)?(?:\/s)?\s*$/i.exec(text);
  if (!m) return undefined;
  const factor = UNITS[(m[2] ?? '').toLowerCase()];
  if (factor === undefined) return undefined;
  const value = Math.round(Number(m[1]) * factor);
  return value > 0 ? value : undefined;
}

/** "MK4,XL,MK3" → models; throws with the bad name. */
export function parseModelList(text: string): SimModel[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) throw new Error('no model given');
  return names.map((n) => {
    const model = parseSimModel(n);
    if (!model) throw new Error(`unknown model "${n}" (one of ${SIM_MODELS.join(', ')})`);
    return model;
  });
}

/** "mk4-1", "xl-2", "mk3-3": model slug and 1-based position in the farm. */
export function farmPrinterName(model: SimModel, index: number): string {
  return `${modelInfo(model).slug}-${index + 1}`;
}

/** The printer_type to write into printers.yml. */
export function configPrinterType(model: SimModel): string {
  return model === 'COREONE' ? 'CORE One' : model;
}
