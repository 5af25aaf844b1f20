// Turn any thrown value into the ErrorInfo that events carry.

import { LinkSyncError } from '../errors.js';
import type { ErrorInfo } from './events.js';

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof LinkSyncError) {
    return error.hint === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, hint: error.hint };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message, hint: 'this is a bug in link-sync; please report it with the command you ran' };
}
