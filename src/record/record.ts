// One printer's sync record in memory, and its file format: versioned JSON naming the printer inside
// (and the address it was last synced at, to tell a printer swapped at that address).
// Version 2 lists each storage's entries as arrays ([path, size, sha256, mtimeMs, mTimestamp | null,
// unverified, placedUnder | null]): a third smaller than version 1's objects and faster to parse, since
// paths are values, not property names. Version 1 files are still read, and rewritten as version 2.

import type { RecordChanges, RecordEntries, RecordEntry } from './types.js';

export const RECORD_FORMAT = 'link-sync-record';
export const RECORD_VERSION = 2;
/** The format before entries became arrays; read, never written. */
const RECORD_VERSION_OBJECTS = 1;

export class PrinterRecord {
  /** Counts changes since loading, so a saver can tell whether what it wrote is still current. */
  revision = 0;
  private readonly storages: Map<string, Map<string, RecordEntry>>;

  constructor(
    readonly key: string,
    storages: Map<string, Map<string, RecordEntry>> = new Map(),
    /** Read from a file in an older format: the next save rewrites it even when nothing changed. */
    readonly olderFormat = false,
    /** The printer's configured address when the record was last saved (absent in older files). */
    private savedHost?: string,
  ) {
    this.storages = storages;
  }

  get host(): string | undefined {
    return this.savedHost;
  }

  /**
   * Notes the address the printer is reached at now. A record that holds entries and named another
   * address (or none) counts as changed, so the next save keeps the address current.
   */
  setHost(host: string): void {
    if (this.savedHost === host) return;
    this.savedHost = host;
    if (this.size > 0) this.revision++;
  }

  entries(storage: string): RecordEntries {
    return this.storages.get(storage) ?? new Map();
  }

  get size(): number {
    let count = 0;
    for (const entries of this.storages.values()) count += entries.size;
    return count;
  }

  set(storage: string, key: string, entry: RecordEntry): void {
    let entries = this.storages.get(storage);
    if (!entries) {
      entries = new Map();
      this.storages.set(storage, entries);
    }
    entries.set(key, { ...entry });
    this.revision++;
  }

  delete(storage: string, key: string): void {
    if (this.storages.get(storage)?.delete(key)) this.revision++;
  }

  apply(storage: string, changes: RecordChanges): void {
    for (const key of changes.drop) this.delete(storage, key);
    for (const { key, entry } of changes.set) this.set(storage, key, entry);
  }

  /**
   * The file's text: one line of JSON, entries sorted by path, so a record that did not change is
   * written byte for byte the same. Built entry by entry, without a copy of the whole record first.
   */
  serialize(savedAt: Date): string {
    const parts: string[] = [];
    for (const storage of [...this.storages.keys()].sort()) {
      const entries = this.storages.get(storage)!;
      if (entries.size === 0) continue;
      const rows: string[] = [];
      for (const key of [...entries.keys()].sort()) {
        const e = entries.get(key)!;
        const row: EntryRow = [key, e.size, e.sha256, e.mtimeMs, e.mTimestamp ?? null, e.unverified === true, e.placedUnder ?? null];
        rows.push(JSON.stringify(row));
      }
      parts.push(`${JSON.stringify(storage)}:[${rows.join(',')}]`);
    }
    const head = JSON.stringify({
      format: RECORD_FORMAT,
      version: RECORD_VERSION,
      printer: this.key,
      ...(this.savedHost !== undefined ? { host: this.savedHost } : {}),
      saved: savedAt.toISOString(),
    });
    return `${head.slice(0, -1)},"storages":{${parts.join(',')}}}\n`;
  }
}

/** One entry as version 2 writes it. */
type EntryRow = [
  path: string,
  size: number,
  sha256: string,
  mtimeMs: number,
  mTimestamp: number | null,
  unverified: boolean,
  placedUnder: string | null,
];

/**
 * Hands out one copy of each string (paths, hashes) for every printer of a run: 64 records of the
 * same 10,000 files then hold one set of strings between them, not 64.
 */
export type StringPool = Map<string, string>;

/**
 * Hashes already found well formed in this run's records, by pool, each to its pooled copy: one look-up
 * per entry both checks and shares it (64 records of the same files hold the same hashes).
 */
const checkedHashes = new WeakMap<StringPool, Map<string, string>>();

/** The pooled copy of a well-formed hash, or undefined when it is not one. */
function checkedHash(sha256: string, pool: StringPool | undefined, checked: Map<string, string> | undefined): string | undefined {
  const known = checked?.get(sha256);
  if (known !== undefined) return known;
  if (!/^[0-9a-f]{64}$/.test(sha256)) return undefined;
  const copy = pooled(pool, sha256);
  checked?.set(copy, copy);
  return copy;
}

function checkedHashesOf(pool: StringPool | undefined): Map<string, string> | undefined {
  if (!pool) return undefined;
  let checked = checkedHashes.get(pool);
  if (!checked) {
    checked = new Map();
    checkedHashes.set(pool, checked);
  }
  return checked;
}

export function pooled(pool: StringPool | undefined, text: string): string {
  if (!pool) return text;
  const known = pool.get(text);
  if (known !== undefined) return known;
  pool.set(text, text);
  return text;
}

export type ParseResult = { ok: true; record: PrinterRecord } | { ok: false; problem: string };

/** Reads a record file's text; anything unexpected makes the whole record unusable, with the reason. */
export function parseRecord(text: string, expectedKey: string, pool?: StringPool): ParseResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'it is not valid JSON (cut short or damaged)' };
  }
  if (!isObject(doc) || doc['format'] !== RECORD_FORMAT) return { ok: false, problem: 'it is not a link-sync record' };
  const version = doc['version'];
  if (version !== RECORD_VERSION && version !== RECORD_VERSION_OBJECTS) {
    return {
      ok: false,
      problem: `it has format version ${JSON.stringify(version)}, this link-sync reads versions ${RECORD_VERSION_OBJECTS} and ${RECORD_VERSION}`,
    };
  }
  if (doc['printer'] !== expectedKey) {
    return { ok: false, problem: `it belongs to another printer (${JSON.stringify(doc['printer'])})` };
  }
  const rawStorages = doc['storages'];
  if (!isObject(rawStorages)) return { ok: false, problem: 'its "storages" is missing or not an object' };
  const storages = new Map<string, Map<string, RecordEntry>>();
  for (const storage of Object.keys(rawStorages)) {
    const entries = new Map<string, RecordEntry>();
    const problem =
      version === RECORD_VERSION
        ? readRows(rawStorages[storage], entries, storage, pool)
        : readObjects(rawStorages[storage], entries, storage, pool);
    if (problem) return { ok: false, problem };
    storages.set(storage, entries);
  }
  const host = typeof doc['host'] === 'string' ? doc['host'] : undefined;
  return { ok: true, record: new PrinterRecord(expectedKey, storages, version !== RECORD_VERSION, host) };
}

/** Version 2: an array of entry rows. Gives the problem, or undefined when every row was read. */
function readRows(raw: unknown, entries: Map<string, RecordEntry>, storage: string, pool: StringPool | undefined): string | undefined {
  if (!Array.isArray(raw)) return `storage "${storage}" is not a list`;
  const checked = checkedHashesOf(pool);
  for (const row of raw as unknown[]) {
    if (!Array.isArray(row) || row.length !== 7 || typeof row[0] !== 'string') return `storage "${storage}" holds a malformed entry`;
    const key = row[0];
    const entry = toEntry(
      row[1],
      row[2],
      row[3],
      row[4] ?? undefined,
      row[5] === false ? undefined : row[5],
      row[6] ?? undefined,
      pool,
      checked,
    );
    if (!entry) return `the entry for "${storage}/${key}" is malformed`;
    // A key seen before leaves the map's size as it was: one look-up instead of has() and set().
    const before = entries.size;
    entries.set(pooled(pool, key), entry);
    if (entries.size === before) return `the entry for "${storage}/${key}" is there twice`;
  }
  return undefined;
}

/** Version 1: an object of entries by path. */
function readObjects(raw: unknown, entries: Map<string, RecordEntry>, storage: string, pool: StringPool | undefined): string | undefined {
  if (!isObject(raw)) return `storage "${storage}" is not an object`;
  const checked = checkedHashesOf(pool);
  // for...in rather than Object.entries: a record holds thousands of keys, and no pair arrays are made.
  for (const key in raw) {
    const fields = raw[key];
    const entry = isObject(fields)
      ? toEntry(
          fields['size'],
          fields['sha256'],
          fields['mtimeMs'],
          fields['mTimestamp'],
          fields['unverified'],
          fields['placedUnder'],
          pool,
          checked,
        )
      : undefined;
    if (!entry) return `the entry for "${storage}/${key}" is malformed`;
    entries.set(pooled(pool, key), entry);
  }
  return undefined;
}

/** An entry from its fields as read (absent optional fields are undefined), or undefined when any is off. */
function toEntry(
  size: unknown,
  sha256: unknown,
  mtimeMs: unknown,
  mTimestamp: unknown,
  unverified: unknown,
  placedUnder: unknown,
  pool: StringPool | undefined,
  checked: Map<string, string> | undefined,
): RecordEntry | undefined {
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return undefined;
  const hash = typeof sha256 === 'string' ? checkedHash(sha256, pool, checked) : undefined;
  if (hash === undefined) return undefined;
  if (typeof mtimeMs !== 'number' || !Number.isFinite(mtimeMs)) return undefined;
  if (mTimestamp !== undefined && (typeof mTimestamp !== 'number' || !Number.isFinite(mTimestamp))) return undefined;
  if (unverified !== undefined && unverified !== true) return undefined;
  if (placedUnder !== undefined && typeof placedUnder !== 'string') return undefined;
  const entry: RecordEntry = { size, sha256: hash, mtimeMs };
  if (mTimestamp !== undefined) entry.mTimestamp = mTimestamp;
  if (unverified) entry.unverified = true;
  if (placedUnder !== undefined) entry.placedUnder = placedUnder;
  return entry;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
