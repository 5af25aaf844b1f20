// An upload whose connection broke after it was sent has an unknown outcome: look at the printer
// before deciding (PrusaLink pitfall 12). Re-send only when the look shows the file did not arrive.

import { PrinterError } from '../errors.js';
import type { PrinterApi, RemoteFileInfo, UploadBody, UploadOptions } from '../printer/api.js';

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
export function judgeLostUpload(
  now: RemoteFileInfo | undefined,
  size: number,
  previous: PreviousCopy | undefined,
): LostUploadVerdict {
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
      if (error.kind !== 'unknown-outcome' && !exists) throw error;
      if (job.options.signal?.aborted) throw error;
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
      if (resend >= job.resends) {
        throw new PrinterError(error.printer, 'unknown-outcome', `${error.message}; the printer does not have the file (${resend + 1} attempts)`, {
          hint: 'the connection keeps breaking during uploads; check the printer\'s network, then run again',
          cause: error,
        });
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
