// What the sync record remembers about a file it uploaded, and the changes a run makes to it.

/** One file as it was when link-sync last put it on a printer (or adopted the printer's copy). */
export interface RecordEntry {
  /** Bytes of the content uploaded. */
  size: number;
  /** SHA-256 (hex) of the content uploaded. */
  sha256: string;
  /** The local file's mtime (ms) when it was uploaded; a different mtime triggers a re-hash. */
  mtimeMs: number;
  /** What the printer reported for the file after the upload; absent when it did not say. */
  mTimestamp?: number;
  /** Adopted on a first run with its size checked but not its content: --checksum replaces it. */
  unverified?: true;
  /** The destination path (-d, within the storage) of the sync that placed or adopted the file. */
  placedUnder?: string;
}

/**
 * Entries keyed by the file's path relative to its storage, folded the way the printer compares
 * names (lower case on a printer that ignores case), e.g. "farm/parts/benchy.gcode".
 */
export type RecordEntries = ReadonlyMap<string, RecordEntry>;

/** What the planner decided to change in the record without an upload (applied only with --go). */
export interface RecordChanges {
  /** Adopted files (judged the same without a record) and refreshed entries. */
  set: Array<{ key: string; entry: RecordEntry }>;
  /** Entries under the sync root for files the printer no longer lists. */
  drop: string[];
}
