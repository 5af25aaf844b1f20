// How records are named: the printer's key, the record file's name, and each file's key inside it.

import { createHash } from 'node:crypto';
import type { NameRules } from '../types.js';
import { foldName, joinPath } from '../source/paths.js';

/**
 * The printer's identity for its record: the serial from /api/v1/info, which survives a new IP
 * address or host name; the configured host only when the printer gives no serial.
 */
export function printerKey(serial: string | undefined, host: string): string {
  const trimmed = serial?.trim();
  return trimmed ? `serial:${trimmed}` : `host:${hostName(host)}`;
}

/** The configured host as records name it: no surrounding spaces, no trailing slash, lower case. */
export function hostName(host: string): string {
  return host.trim().replace(/\/+$/, '').toLowerCase();
}

/**
 * A file name safe on every file system, readable, and unique per key: the key's harmless
 * characters (at most 48) then 16 hex digits of its SHA-256, so keys that differ only in case or in
 * characters the file system refuses still get their own file.
 */
export function recordFileName(key: string): string {
  const readable = key
    .replace(/^(serial|host):/, '$1-')
    .replace(/^host-[a-z]+:\/\//, 'host-')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+|[._]+$/g, '')
    .slice(0, 48);
  const digest = createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 16);
  return `${readable || 'printer'}-${digest}.json`;
}

/** The key of a file in the record: its storage-relative path, folded as the printer compares names. */
export function recordKey(root: string, relPath: string, rules: Pick<NameRules, 'caseInsensitive'>): string {
  return foldName(joinPath(root, relPath), rules);
}

/** Whether a record key lies under the sync root (every key does when the root is the storage root). */
export function isUnderRoot(key: string, root: string, rules: Pick<NameRules, 'caseInsensitive'>): boolean {
  return underRootTest(root, rules)(key);
}

/** `(key) => isUnderRoot(key, root, rules)` for one sync root, for testing many keys. */
export function underRootTest(root: string, rules: Pick<NameRules, 'caseInsensitive'>): (key: string) => boolean {
  const folded = foldName(root, rules);
  if (folded === '') return () => true;
  const prefix = `${folded}/`;
  return (key) => key.startsWith(prefix);
}
