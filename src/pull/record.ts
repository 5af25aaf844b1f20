// Teaches the sync record what a pull placed: each printer that holds the pulled content gets an
// entry as if link-sync had uploaded it there, so the next sync leaves it alone on those printers
// and sends it to the others.

import { printerKey, recordKey } from '../record/keys.js';
import { loadRecord, saveRecord } from '../record/store.js';
import type { PrinterScan } from './scan-printer.js';
import type { PrinterScope } from './prepare.js';
import type { PullCandidate, PullItem } from './types.js';
import { folderCause } from '../local/folder-words.js';

export interface Learned {
  item: PullItem;
  sha256: string;
  /** The placed file's mtime, as the next scan will read it. */
  mtimeMs: number;
  /** The printers whose copies matched what was placed. */
  holders: PullCandidate[];
  /** The printers whose other copy --prefer set aside: the next sync must replace it. */
  setAside: PullCandidate[];
}

/**
 * The hash recorded for a copy that was set aside: no content hashes to it, so the next sync finds
 * the master's file changed against the record and replaces the printer's copy, whatever its size.
 */
export const SET_ASIDE_SHA256 = '0'.repeat(64);

/** Resolves warnings (a record that could not be read or saved); never throws for a record. */
export async function learnPulled(
  stateDir: string,
  learned: readonly Learned[],
  scans: ReadonlyMap<string, PrinterScan>,
  scopes: readonly PrinterScope[],
): Promise<string[]> {
  const warnings: string[] = [];
  const hosts = new Map(scopes.map((s) => [s.printer.name, s.printer.baseUrl]));
  const byPrinter = new Map<string, Array<{ learned: Learned; holder: PullCandidate; setAside: boolean }>>();
  const add = (entry: Learned, holder: PullCandidate, setAside: boolean): void => {
    const list = byPrinter.get(holder.printer) ?? [];
    list.push({ learned: entry, holder, setAside });
    byPrinter.set(holder.printer, list);
  };
  for (const entry of learned) {
    for (const holder of entry.holders) add(entry, holder, false);
    for (const other of entry.setAside) add(entry, other, true);
  }
  const claimed = new Set<string>();
  for (const [printer, entries] of byPrinter) {
    const scan = scans.get(printer);
    const host = hosts.get(printer);
    if (!scan || host === undefined) continue;
    const key = printerKey(scan.serial, host);
    // Two config entries for one printer share a record file; the first one speaks for it.
    if (claimed.has(key)) continue;
    claimed.add(key);
    const loaded = await loadRecord(stateDir, key);
    if (loaded.warning) warnings.push(`${printer}: ${loaded.warning}`);
    for (const { learned: l, holder, setAside } of entries) {
      loaded.record.set(holder.storage, recordKey(scan.root, holder.path, scan.rules), {
        size: setAside ? holder.size : l.item.size,
        sha256: setAside ? SET_ASIDE_SHA256 : l.sha256,
        mtimeMs: setAside ? 0 : l.mtimeMs,
        ...(holder.mTimestamp !== undefined ? { mTimestamp: holder.mTimestamp } : {}),
      });
    }
    try {
      await saveRecord(stateDir, loaded.record);
    } catch (error) {
      warnings.push(
        `${printer}: could not save the sync record ${loaded.file} (${folderCause(error)}); the next sync judges the pulled files by the time rule`,
      );
    }
  }
  return warnings;
}
