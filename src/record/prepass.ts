// Before planning with a record: which local files must be hashed and which printer files must be
// asked for their size. Selection is pure; the reads (disk, one GET per file) are done by the caller.

import type { NameRules, RemoteFile, RemoteTree, SourceFile, SourceTree } from '../types.js';
import { filesByRecordKey, recordKeyer } from '../plan/path-keys.js';
import type { RecordEntries } from './types.js';

/**
 * Below this (2010-01-01T00:00:00Z) a file timestamp says nothing: a Buddy that never got network time
 * stamps every file with the same garbage date (the FAT epoch), so a replaced file keeps its timestamp.
 */
export const EARLIEST_PLAUSIBLE_TIMESTAMP = 1_262_304_000;

export interface PrepassNeeds {
  /** Local files whose content must be compared with the record (or recorded on adoption). */
  hash: SourceFile[];
  /** Printer files whose listing gives neither size nor a usable timestamp (a single-file GET gives the size). */
  statSize: RemoteFile[];
}

export interface PrepassPolicy {
  checksum: boolean;
  force: boolean;
  /** Whether files judged the same without a record are adopted (only when the record will be saved). */
  adopt: boolean;
}

/**
 * Only files the printer has matter: the others are uploaded, and an upload hashes what it sends.
 * A file whose size and mtime match its entry is not read at all, unless --checksum.
 */
export function selectPrepass(
  source: SourceTree,
  remote: RemoteTree,
  entries: RecordEntries,
  rules: Pick<NameRules, 'caseInsensitive' | 'maxFileBytes'>,
  policy: PrepassPolicy,
): PrepassNeeds {
  const needs: PrepassNeeds = { hash: [], statSize: [] };
  if (policy.force) return needs;
  const remoteByKey = filesByRecordKey(remote, rules);
  const keyOf = recordKeyer(remote.root, rules);
  for (const file of source.files) {
    const key = keyOf(file.relPath);
    const copy = remoteByKey.get(key);
    if (!copy) continue;
    // Too large for this printer: a problem in the plan, never compared, so never read (gigabytes).
    if (rules.maxFileBytes !== undefined && file.size > rules.maxFileBytes) continue;
    const entry = entries.get(key);
    if (!entry) {
      // A copy is adopted only once its size is confirmed: one look-up per such file, on the first run.
      if (copy.size === undefined) needs.statSize.push(copy);
      // Without an entry the content cannot be compared with anything; it is read only to be recorded.
      if (policy.adopt) needs.hash.push(file);
      continue;
    }
    if (entry.size !== file.size) continue; // changed here, whatever the content
    if (policy.checksum || entry.mtimeMs !== file.mtimeMs) needs.hash.push(file);
    if (copy.size === undefined && !plausibleTimestamp(copy.mTimestamp)) needs.statSize.push(copy);
  }
  return needs;
}

export function plausibleTimestamp(timestamp: number | undefined): boolean {
  return timestamp !== undefined && timestamp >= EARLIEST_PLAUSIBLE_TIMESTAMP;
}

/** The tree with sizes learned from single-file GETs filled in. */
export function withSizes(remote: RemoteTree, sizes: ReadonlyMap<RemoteFile, number>): RemoteTree {
  if (sizes.size === 0) return remote;
  return { ...remote, files: remote.files.map((file) => (sizes.has(file) ? { ...file, size: sizes.get(file)! } : file)) };
}
