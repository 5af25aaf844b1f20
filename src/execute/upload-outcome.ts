// An upload whose connection broke after it was sent has an unknown outcome: wait until the printer
// no longer reports a transfer, then look at the file before deciding (PrusaLink pitfall 12).
// Re-send only when the look shows the file did not arrive; never while a transfer still runs. An
// acknowledged upload is looked at too, until the printer's file list shows it.

import { PrinterError } from '../errors.js';
import type { PrinterApi, RemoteFileInfo, UploadBody, UploadOptions } from '../printer/api.js';
import { sleep } from '../printer/retry.js';

/** What the printer held under the target name before a replacement. */
export interface PreviousCopy {
  size?: number;
  mTimestamp?: number;
}

export type LostUploadVerdict =
  /** The printer holds the new file: the upload is done. */
  | 'arrived'
  /** The printer certainly does not hold the new file: sending again is safe. */
  | 'absent'
  /** Cannot tell. */
  | 'unknown';

/**
 * Reads the printer's file after a broken upload. A new file counts as arrived when it is there with
 * the size sent. A replacement needs evidence that the file there is not the old one: Buddy writes a
 * temp file and renames it, so a right-sized file under the name is new only if its m_timestamp
 * changed; one that kept the old m_timestamp is the old one, untouched.
 */
export function judgeLostUpload(now: RemoteFileInfo | undefined, size: number, previous: PreviousCopy | undefined): LostUploadVerdict {
  // Nothing under the name (a replacement that lost the old copy too): sending again restores it.
  if (now === undefined) return 'absent';
  if (previous === undefined) return now.size === size ? 'arrived' : 'unknown';
  const knownTimes = previous.mTimestamp !== undefined && now.mTimestamp !== undefined;
  if (knownTimes && now.mTimestamp === previous.mTimestamp) {
    // The old file is still there, so the printer dropped the upload.
    return previous.size === undefined || now.size === undefined || now.size === previous.size ? 'absent' : 'unknown';
  }
  if (knownTimes && now.size === size) return 'arrived';
  return 'unknown';
}

export interface CheckedUpload {
  api: PrinterApi;
  storage: string;
  targetUrl: string;
  /** The long path, for messages. */
  path: string;
  body: UploadBody;
  options: UploadOptions;
  /** Undefined for a new file. */
  previous?: PreviousCopy;
  /** Re-sends allowed after a look shows the file did not arrive. */
  resends: number;
  /** Told when the upload is looked at or sent again, in words. */
  onNote?: (message: string) => void;
  /** A transfer whose count has not moved for this long is not waited for any more (default 30 s). */
  stallMs?: number;
  /** Between two looks at the printer's transfer (default 2 s). */
  pollIntervalMs?: number;
}

/** The slowest rate a working printer plausibly takes bytes at: bounds the wait for a transfer. */
const SLOWEST_RATE = 10_000;

/**
 * Waits (bounded) until the printer reports no transfer: 'gone', 'running' when it still does at the
 * bound, 'unknown' when the printer cannot report transfers (legacy API) or could not be asked.
 */
export async function waitForTransferEnd(
  api: PrinterApi,
  size: number,
  options: { stallMs: number; pollIntervalMs: number; signal?: AbortSignal },
): Promise<'gone' | 'running' | 'unknown'> {
  const started = Date.now();
  let lastMoveAt = started;
  let last = -1;
  for (;;) {
    let t: Awaited<ReturnType<PrinterApi['transfer']>>;
    try {
      t = await api.transfer();
    } catch {
      return 'unknown';
    }
    if (t === null) return 'unknown';
    if (t === undefined) return 'gone';
    const now = Date.now();
    if (t.transferred > last) {
      last = t.transferred;
      lastMoveAt = now;
    }
    // While it moves, it may be our own bytes still draining: give them the time they need.
    const bound = options.stallMs + (Math.max(0, size - Math.max(0, last)) / SLOWEST_RATE) * 1000;
    if (now - lastMoveAt >= options.stallMs || now - started >= bound) return 'running';
    await sleep(options.pollIntervalMs, options.signal);
  }
}

/** Uploads, and after a lost connection looks, then resends, succeeds, or fails saying what is known. */
export async function uploadChecked(job: CheckedUpload): Promise<RemoteFileInfo | undefined> {
  const { api, storage, targetUrl, body } = job;
  for (let resend = 0; ; resend++) {
    try {
      return await api.upload(storage, targetUrl, body, job.options);
    } catch (error) {
      if (!(error instanceof PrinterError)) throw error;
      // A resent new file the printer says exists: the earlier attempt may have landed after all.
      const exists = resend > 0 && !job.options.overwrite && error.kind === 'file-in-use';
      // "Another transfer in progress" after our own broken attempt is that attempt, not a failure.
      const ownTransfer = resend > 0 && error.kind === 'transfer-busy';
      if (error.kind !== 'unknown-outcome' && !exists && !ownTransfer) throw error;
      if (job.options.signal?.aborted) throw error;
      const transfer = await waitForTransferEnd(api, body.size, {
        stallMs: job.stallMs ?? 30_000,
        pollIntervalMs: job.pollIntervalMs ?? 2_000,
        ...(job.options.signal ? { signal: job.options.signal } : {}),
      }).catch(() => 'unknown' as const);
      if (transfer === 'running') throw unknown(error, job, 'the printer still reports a transfer; nothing is sent while it does');
      let now: RemoteFileInfo | undefined;
      try {
        now = await api.stat(storage, targetUrl);
      } catch {
        throw unknown(error, job, 'the printer could not be asked afterwards');
      }
      const verdict = judgeLostUpload(now, body.size, job.previous);
      if (verdict === 'arrived') {
        job.onNote?.(`${job.path}: the connection broke, but the printer has the complete file`);
        return now;
      }
      if (verdict === 'unknown' || exists) throw unknown(error, job, 'the file on the printer cannot be told apart from the old one');
      if (job.options.signal?.aborted) throw error;
      if (resend >= job.resends) {
        throw new PrinterError(
          error.printer,
          'unknown-outcome',
          `${error.message}; the printer does not have the file (${resend + 1} attempts)`,
          {
            hint: "the connection keeps breaking during uploads; check the printer's network, then run again",
            cause: error,
          },
        );
      }
      job.onNote?.(`${job.path}: the connection broke and the printer does not have the file; sending it again`);
    }
  }
}

function unknown(error: PrinterError, job: CheckedUpload, why: string): PrinterError {
  return new PrinterError(error.printer, 'unknown-outcome', `${error.message}; outcome unknown (${why}), will be checked next run`, {
    hint: `nothing was deleted on this printer; run again to compare ${job.path} with the printer`,
    cause: error,
  });
}

/** Looks at an uploaded file at most this often, this far apart, before it counts as missing. */
const UPLOAD_LOOKS = 6;
const UPLOAD_LOOK_INTERVAL_MS = 500;

/**
 * The uploaded file as the printer shows it; undefined when it could not be asked. A Pi answers the
 * upload before its file list (updated through inotify) holds the file, so a file not found, or
 * still shown as the copy it replaced (`stale`), is looked for again, a few times.
 */
export async function lookForUpload(
  api: PrinterApi,
  storage: string,
  targetUrl: string,
  stale: (found: RemoteFileInfo) => boolean,
  signal?: AbortSignal,
): Promise<{ found: RemoteFileInfo | undefined } | undefined> {
  for (let look = 1; ; look++) {
    let found: RemoteFileInfo | undefined;
    try {
      found = await api.stat(storage, targetUrl);
    } catch {
      return undefined; // a look that fails is no failed upload
    }
    if ((found !== undefined && !stale(found)) || look >= UPLOAD_LOOKS) return { found };
    try {
      await sleep(UPLOAD_LOOK_INTERVAL_MS, signal);
    } catch {
      return undefined; // interrupted: the printer acknowledged the upload, and that stands
    }
  }
}
