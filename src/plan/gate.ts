// The state gate: may link-sync touch this printer now? Busy printers are skipped, bad storage is an error.

import type { PrinterStatus, StorageInfo } from '../types.js';
import { IDLE_LIKE_STATES } from '../printer/api.js';

export type GateResult = { ok: true } | { ok: false; reason: string; kind: 'busy' | 'storage' };

/**
 * Storage is checked first and even with `ignoreState`: a missing USB stick lists as an empty folder,
 * and reading that as an empty printer would plan every file again (or, worse, nothing to keep).
 */
export function gatePrinter(status: PrinterStatus, storage: StorageInfo | undefined, ignoreState: boolean): GateResult {
  if (!storage) {
    return { ok: false, kind: 'storage', reason: 'the printer has no storage to sync to' };
  }
  if (!storage.available) {
    const why = storage.name === 'usb' ? ' (no USB stick inserted?)' : '';
    return { ok: false, kind: 'storage', reason: `storage "${storage.name}" is not available${why}` };
  }
  if (storage.readOnly) {
    return { ok: false, kind: 'storage', reason: `storage "${storage.name}" is read-only` };
  }
  if (ignoreState) return { ok: true };
  const state = status.state.toUpperCase();
  if (!IDLE_LIKE_STATES.has(state)) {
    return { ok: false, kind: 'busy', reason: `printer is ${state === '' ? 'in an unknown state' : state}` };
  }
  if (status.transferRunning) {
    return { ok: false, kind: 'busy', reason: 'a file transfer is running on the printer' };
  }
  return { ok: true };
}
