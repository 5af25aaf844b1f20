// Is the printer's copy of a file stale by the time-and-size rule? The fallback for files the sync record does not know.

import type { RemoteFile, SourceFile, SyncPolicy } from '../types.js';

export type Decision = { verdict: 'same'; reason: string } | { verdict: 'stale'; reason: string };

/**
 * Sizes first: when both are known and differ, the copies differ whatever the clocks say. Otherwise
 * the local copy is stale on the printer when its mtime is more than `modifyWindowSec` past the
 * printer's m_timestamp. Both are compared in whole seconds, as the printer reports them; a printer
 * clock ahead of ours reads as "same", which is why the window exists and why a record is better.
 */
export function decideFile(local: SourceFile, remote: RemoteFile, policy: Pick<SyncPolicy, 'modifyWindowSec'>): Decision {
  if (remote.size !== undefined && remote.size !== local.size) {
    const [here, there] = formatSizePair(local.size, remote.size);
    return { verdict: 'stale', reason: `size differs: ${here} here, ${there} on printer` };
  }
  if (remote.mTimestamp !== undefined) {
    const newerBy = Math.floor(local.mtimeMs / 1000) - remote.mTimestamp;
    if (newerBy > policy.modifyWindowSec) {
      return { verdict: 'stale', reason: `local copy newer by ${formatDuration(newerBy)}` };
    }
    return { verdict: 'same', reason: remote.size === undefined ? 'not newer than the printer copy' : 'same size, not newer' };
  }
  const reason = remote.size === undefined ? 'nothing to compare: the printer gives no size or time' : 'same size';
  return { verdict: 'same', reason };
}

/** "45 s", "1 min 1 s", "2 h 5 min", "3 d 4 h": the two largest units, dropping a zero second unit. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  const units: Array<[string, number]> = [
    ['d', 86400],
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ];
  for (let i = 0; i < units.length; i++) {
    const [name, size] = units[i]!;
    if (seconds < size && size > 1) continue;
    const major = Math.floor(seconds / size);
    const next = units[i + 1];
    if (!next) return `${major} ${name}`;
    const minor = Math.floor((seconds - major * size) / next[1]);
    return minor === 0 ? `${major} ${name}` : `${major} ${name} ${minor} ${next[0]}`;
  }
  return '0 s';
}

/** Decimal units, one decimal: "980 B", "12.3 kB", "1.2 MB", "3.4 GB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units: Array<[string, number]> = [
    ['GB', 1e9],
    ['MB', 1e6],
    ['kB', 1e3],
  ];
  for (const [name, size] of units) {
    if (bytes >= size) return `${(bytes / size).toFixed(1)} ${name}`;
  }
  return `${bytes} B`;
}

/** Two sizes that round to the same text are shown in bytes, so the reason never reads "1.2 MB vs 1.2 MB". */
export function formatSizePair(a: number, b: number): [string, string] {
  const [x, y] = [formatBytes(a), formatBytes(b)];
  return x === y ? [`${a} B`, `${b} B`] : [x, y];
}
