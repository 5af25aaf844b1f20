// When a printer's sync record was last written: the time of its last sync with --go, for `status`.

import { promises as fsp } from 'node:fs';
import { recordPath } from './store.js';

/** The record's "saved" time (ISO), or null when there is no readable record. */
export async function lastSyncTime(dir: string, key: string): Promise<string | null> {
  try {
    const doc: unknown = JSON.parse(await fsp.readFile(recordPath(dir, key), 'utf8'));
    const saved = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>)['saved'] : undefined;
    return typeof saved === 'string' && !Number.isNaN(Date.parse(saved)) ? saved : null;
  } catch {
    return null;
  }
}
