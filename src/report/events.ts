// The typed events a sync emits. Reporters (plain, tty, json) render them; the core never prints.

import type { ActionKind, PlanHold, PlanProblem, SourceSkip } from '../types.js';

/** An error as it travels in events: what happened and how to fix it, never a secret. */
export interface ErrorInfo {
  code: string;
  message: string;
  hint?: string;
  /** The HTTP status the printer answered with, where it tells a printer that answered from one that did not (status rows, watch's state reads). */
  status?: number;
}

/** One action as events describe it. */
export interface ActionInfo {
  kind: ActionKind;
  path: string;
  /** Bytes to send, for uploads and replacements. */
  size?: number;
  reason: string;
  /** Replacements, deletions and folder removals in a plan: the printer path acted on, e.g. "/usb/farm/a.gcode". */
  target?: string;
  /** The short (8.3) path the request uses, when it differs from `target`. */
  targetShort?: string;
}

/** What a printer prints, for display. */
export interface JobInfo {
  /** The printed file's name, when the printer says. */
  file?: string;
  /** Percent, when the printer says. */
  progress?: number;
}

/** How one printer ended. */
export type PrinterOutcome =
  | 'in-sync' // --go: every planned action done (or nothing to do)
  | 'planned' // dry run: plan made, nothing changed
  | 'skipped' // busy printer, left alone on purpose
  | 'held' // --go done, but files left as they were on purpose: the printed file, another destination's files
  | 'failed' // some action or the listing failed
  | 'unreachable' // no answer before the plan
  | 'credentials-refused' // it answered 401/403: wrong password or API key
  | 'went-offline' // it answered at first, then stopped answering during the sync
  | 'not-prusalink' // something answers at the address, but not PrusaLink
  | 'interrupted'; // Ctrl-C / SIGTERM before it finished

export interface ActionCounts {
  upload: number;
  replace: number;
  delete: number;
  rmdir: number;
}

export interface PrinterResult {
  printer: string;
  outcome: PrinterOutcome;
  /** Why it was skipped or failed. */
  reason?: string;
  /**
   * Present (true) when the sync stopped because the printer became busy during it (a print began):
   * no further changes were made; --wait-busy waits for it again.
   */
  becameBusy?: boolean;
  error?: ErrorInfo;
  /** What the plan held (counts of planned actions). */
  planned: ActionCounts;
  /** Actions done (all zero in a dry run). */
  done: ActionCounts;
  failed: number;
  /** Planned actions not attempted (after an error, a state change or an interruption). */
  notRun: number;
  /** Files that cannot be synced to this printer (each file once, however many problems it has). */
  problems: number;
  /** Files left alone on purpose: being printed, read-only, deletions refused by --max-delete... */
  held: number;
  /** Source files sliced for another model (--match-model), not sent to this printer. */
  otherModel: number;
  unchanged: number;
  /** Bytes the plan sends (the dry run's "bytes" column). */
  plannedBytes: number;
  bytesSent: number;
  durationMs: number;
  /**
   * watch's closing summary only: true when the master folder changed after this sync and the printer
   * has not been synced since (it was busy or did not answer), so the result is older than the master.
   */
  behindMaster?: boolean;
}

export interface RunSummary {
  dryRun: boolean;
  printers: PrinterResult[];
  durationMs: number;
  interrupted: boolean;
}

export type ReadingStep = 'sizes' | 'hashes';

export type SyncEvent =
  | {
      type: 'run-start';
      dryRun: boolean;
      printers: string[];
      source: string;
      files: number;
      bytes: number;
      /** The folder of the sync records, when the run keeps them. */
      stateDir?: string;
    }
  | { type: 'printer-start'; printer: string }
  | {
      type: 'plan';
      printer: string;
      storage: string;
      root: string;
      actions: ActionInfo[];
      problems: PlanProblem[];
      holds: PlanHold[];
      unchanged: number;
      /** --verbose only: each file judged in sync, and why. */
      same?: Array<{ path: string; reason: string }>;
      uploadBytes: number;
      /** --backup-dir: bytes the backups of this plan's deletions and replacements download first. */
      backupBytes?: number;
      /** --backup-dir: backups an earlier run made of the printer's file as it is now (by its time stamp), kept instead of downloaded. */
      backupKept?: number;
      /** Source files this printer does not get: sliced for another model (--match-model). */
      skipped?: SourceSkip[];
    }
  /**
   * Before the plan, what the sync record cannot vouch for yet is read (mostly a first sync): `sizes`
   * asks the printer, one request per file its listing gives no size for; `hashes` reads local files.
   * Sent at the start (done 0), at most once a second, and at the end (done = total).
   */
  | { type: 'printer-reading'; printer: string; step: ReadingStep; done: number; total: number }
  | { type: 'action-start'; printer: string; action: ActionInfo }
  /** `bytes`: what the printer reports it has taken (never socket bytes); always below `total`. */
  | { type: 'action-progress'; printer: string; path: string; bytes: number; total: number }
  | { type: 'action-done'; printer: string; action: ActionInfo; durationMs: number; bytes: number }
  | { type: 'action-failed'; printer: string; action: ActionInfo; error: ErrorInfo }
  | { type: 'warning'; printer?: string; message: string }
  /** --backup-dir: the printer's copy was saved before it was deleted or replaced; `kept`: an earlier run's backup of this same file stands for it. */
  | { type: 'backup-done'; printer: string; path: string; localPath: string; bytes: number; kept?: true; durationMs: number }
  /** --verbose only: one request on the wire. */
  | { type: 'request'; printer: string; method: string; target: string; status: number | string; durationMs: number }
  | { type: 'printer-done'; result: PrinterResult }
  /** --wait-busy and watch: a printer's state changed (UNREACHABLE when it stopped answering, PRINTER ERROR (HTTP 503) when it answered with an error status). */
  | { type: 'printer-state'; printer: string; state: string; previous?: string; job?: JobInfo; error?: ErrorInfo }
  /** watch: the master folder changed and settled; printers get the new files when they are free. */
  | { type: 'source-changed'; source: string; files: number; bytes: number }
  | { type: 'run-done'; summary: RunSummary };

export type EventSink = (event: SyncEvent) => void;

export function emptyCounts(): ActionCounts {
  return { upload: 0, replace: 0, delete: 0, rmdir: 0 };
}

/** A printer's result with nothing done yet: a sync fills it in as it goes. */
export function blankResult(printer: string, outcome: PrinterOutcome): PrinterResult {
  return {
    printer,
    outcome,
    planned: emptyCounts(),
    done: emptyCounts(),
    failed: 0,
    notRun: 0,
    problems: 0,
    held: 0,
    otherModel: 0,
    unchanged: 0,
    plannedBytes: 0,
    bytesSent: 0,
    durationMs: 0,
  };
}
