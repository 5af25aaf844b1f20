// Where a printer's sync time went, read from its request log: before its first upload, between
// uploads (the link idle), uploads beyond bytes ÷ rate, and after its last upload until link-sync exited.

import type { SimRequestLogEntry } from '../../src/simulator/index.js';

export interface UploadTimeline {
  uploads: number;
  beforeFirstMs: number;
  betweenMs: number;
  /** Upload time beyond what the rate limit alone explains. */
  excessMs: number;
  afterLastMs: number;
  /** When the last upload was answered (epoch ms). */
  lastEndMs: number;
}

export function uploadTimeline(
  entries: readonly SimRequestLogEntry[],
  startedAtMs: number,
  exitedAtMs: number,
  rate: number,
): UploadTimeline {
  const puts = entries.filter((e) => e.method === 'PUT' && e.status >= 200 && e.status < 300);
  const first = puts[0];
  const last = puts[puts.length - 1];
  if (!first || !last) return { uploads: 0, beforeFirstMs: 0, betweenMs: 0, excessMs: 0, afterLastMs: 0, lastEndMs: startedAtMs };
  let betweenMs = 0;
  let excessMs = 0;
  for (let i = 0; i < puts.length; i++) {
    const put = puts[i]!;
    excessMs += put.durationMs - (put.bytesIn / rate) * 1000;
    const next = puts[i + 1];
    if (next) betweenMs += next.startedAt - (put.startedAt + put.durationMs);
  }
  const lastEndMs = last.startedAt + last.durationMs;
  return {
    uploads: puts.length,
    beforeFirstMs: first.startedAt - startedAtMs,
    betweenMs,
    excessMs,
    afterLastMs: exitedAtMs - lastEndMs,
    lastEndMs,
  };
}

/** The timeline of the printer that finished last. */
export function slowestTimeline(
  logs: ReadonlyArray<readonly SimRequestLogEntry[]>,
  startedAtMs: number,
  exitedAtMs: number,
  rate: number,
): UploadTimeline {
  const timelines = logs.map((entries) => uploadTimeline(entries, startedAtMs, exitedAtMs, rate));
  return timelines.reduce((worst, t) => (t.lastEndMs > worst.lastEndMs ? t : worst));
}
