// Reads a sync record file for assertions: its entries as plain objects by storage and path, whatever
// the file's format version.

import { readFileSync } from 'node:fs';
import { parseRecord } from '../../src/record/record.js';
import type { RecordEntry } from '../../src/types.js';

export interface RecordOnDisk {
  printer: string;
  version: number;
  storages: Record<string, Record<string, RecordEntry>>;
}

export function readRecordFile(file: string): RecordOnDisk {
  const text = readFileSync(file, 'utf8');
  const head = JSON.parse(text) as { printer: string; version: number; storages: Record<string, unknown> };
  const parsed = parseRecord(text, head.printer);
  if (!parsed.ok) throw new Error(`record ${file}: ${parsed.problem}`);
  const storages: RecordOnDisk['storages'] = {};
  for (const storage of Object.keys(head.storages)) storages[storage] = Object.fromEntries(parsed.record.entries(storage));
  return { printer: head.printer, version: head.version, storages };
}
