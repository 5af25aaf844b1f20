// Step 1 of a printer's sync: who it is, what it is doing, which storage to use, and whether it may be touched.

import type { PrinterStatus, StorageInfo } from '../../types.js';
import { PrinterError } from '../../errors.js';
import { gatePrinter, type GateResult } from '../../plan/gate.js';
import type { PrinterJob } from './job.js';

/** The printer read before anything else, and the gate's verdict on it. */
export interface GatedPrinter {
  status: PrinterStatus;
  storage: StorageInfo;
  gate: GateResult;
}

/** Reads the printer's state and storages and applies the state gate (identify comes first, on its own). */
export async function readAndGate(job: PrinterJob): Promise<GatedPrinter> {
  const status = await job.api.status();
  const storage = chooseStorage(job.printer, await job.api.storages(), job.destination.storage, job.destination.path);
  return { status, storage, gate: gatePrinter(status, storage, job.ignoreState) };
}

/** Picks the storage to sync: the one named in -d, else the printer's writable one (usb or local). */
export function chooseStorage(printer: string, storages: StorageInfo[], wanted: string | undefined, folder = ''): StorageInfo {
  const names = storages.map((s) => s.name).join(', ') || 'none';
  if (wanted !== undefined) {
    const found = storages.find((s) => s.name.toLowerCase() === wanted.toLowerCase());
    if (!found) {
      // A farm of Buddy (usb) and Pi (local) printers wants the folder without a storage name.
      const ownStorage = folder === '' ? '/' : folder;
      throw new PrinterError(printer, 'storage', `printer ${printer}: has no storage "${wanted}" (it has: ${names})`, {
        hint: `name one of its storages, or give the destination without one (-d ${ownStorage}) to use each printer's own storage`,
      });
    }
    return checkUsable(printer, found);
  }
  const writable = storages.filter((s) => !s.readOnly);
  const chosen = writable.find((s) => s.available) ?? writable[0];
  if (!chosen) {
    throw new PrinterError(printer, 'storage', `printer ${printer}: no writable storage (it has: ${names})`, {
      hint: 'insert a USB stick, or check the printer',
    });
  }
  return checkUsable(printer, chosen);
}

function checkUsable(printer: string, storage: StorageInfo): StorageInfo {
  if (!storage.available) {
    const what = storage.name === 'usb' ? 'no USB stick is inserted' : `storage "${storage.name}" is not available`;
    throw new PrinterError(printer, 'storage', `printer ${printer}: ${what}`, {
      hint: 'insert the storage and run again; nothing was changed on this printer',
    });
  }
  if (storage.readOnly) {
    throw new PrinterError(printer, 'storage', `printer ${printer}: storage "${storage.name}" is read-only`, {
      hint: 'choose a writable storage with -d',
    });
  }
  return storage;
}
