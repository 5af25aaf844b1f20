// Several simulated printers in one process, one port each.

import { startPrinter } from './printer.js';
import type { SimFarm, SimPrinter, SimPrinterOptions } from './types.js';

export async function startFarm(options: SimPrinterOptions[]): Promise<SimFarm> {
  const printers: SimPrinter[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(printers.map((p) => p.close()));
  };
  try {
    // One after another, so fixed ports are taken in order and a clash names the printer.
    for (const opts of options) printers.push(await startPrinter(opts));
  } catch (err) {
    await close();
    throw err;
  }
  return { printers, close };
}
