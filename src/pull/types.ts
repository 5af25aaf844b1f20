// What `pull` exchanges between its steps, and the events it emits for the reporters.

import type { ErrorInfo } from '../report/events.js';
import type { RemoteCopy } from '../local/fetch.js';

/** A printer file the master lacks, inside the run's scope: a copy for `local/fetch` to bring here. */
export type PullCandidate = RemoteCopy;

/** A printer name that is not written locally, and why. */
export interface PullRefusal {
  printer: string;
  path: string;
  reason: string;
}

/** A printer file left alone on purpose (not an error). */
export interface PullSkip {
  printer: string;
  path: string;
  reason: string;
}

/** One local file to create, and the printer copies it comes from. */
export interface PullItem {
  localRoot: string;
  path: string;
  size: number;
  /** Downloaded one after another per printer; every one must have the same content. */
  sources: PullCandidate[];
  /** Other printers' copies, set aside by --prefer. */
  overridden: PullCandidate[];
}

/** The same path with different content on several printers: nothing is written for it. */
export interface PullConflict {
  localRoot: string;
  path: string;
  copies: Array<{ printer: string; size: number; mTimestamp?: number; sha256?: string }>;
  reason: string;
}

export interface PullPlan {
  items: PullItem[];
  conflicts: PullConflict[];
}

export type PullOutcome =
  | 'planned'
  | 'pulled'
  | 'nothing'
  | 'skipped'
  | 'failed'
  | 'unreachable'
  | 'credentials-refused' // it answered 401/403: wrong username, password or API key
  | 'interrupted';

export interface PullPrinterResult {
  printer: string;
  outcome: PullOutcome;
  reason?: string;
  error?: ErrorInfo;
  /** Files the master lacks that this printer would give (before conflicts). */
  candidates: number;
  /** Downloads finished from this printer. */
  downloaded: number;
  failed: number;
  refused: number;
  bytes: number;
  durationMs: number;
}

export interface PullSummary {
  dryRun: boolean;
  printers: PullPrinterResult[];
  /** Files created in the master. */
  pulled: number;
  conflicts: number;
  refused: number;
  /** Files that could not be pulled (download failed, vanished, appeared locally). */
  failed: number;
  durationMs: number;
  interrupted: boolean;
}

export type PullEvent =
  | { type: 'pull-start'; dryRun: boolean; printers: string[]; master: string }
  | {
      type: 'printer-scanned';
      printer: string;
      storage: string;
      root: string;
      candidates: Array<{ path: string; size: number; mTimestamp?: number }>;
      refused: Array<{ path: string; reason: string }>;
      skipped: Array<{ path: string; reason: string }>;
    }
  | { type: 'plan'; items: Array<{ path: string; size: number; from: string[]; overridden: string[] }>; conflicts: PullConflict[] }
  | { type: 'download-start'; printer: string; path: string; size: number }
  | { type: 'download-progress'; printer: string; path: string; bytes: number; total: number }
  | { type: 'download-done'; printer: string; path: string; bytes: number; durationMs: number }
  | { type: 'download-failed'; printer: string; path: string; error: ErrorInfo }
  | { type: 'pulled'; path: string; localPath: string; from: string[]; bytes: number }
  | { type: 'conflict'; conflict: PullConflict }
  | { type: 'warning'; printer?: string; message: string }
  | { type: 'printer-done'; result: PullPrinterResult }
  | { type: 'pull-done'; summary: PullSummary };

export type PullEventSink = (event: PullEvent) => void;
