// A command line refused before the run starts: its error goes to --log-file as well as to stderr,
// when --log-file can be read from it, since a cron job keeps only the log.

import { LinkSyncError } from '../errors.js';
import { exitCodeFor } from '../report/exit-codes.js';
import { openLogFile } from '../report/log-file.js';
import type { CliIo } from './io.js';
import { logFileOf, parseSyncArgs, type CommandExtension, type SyncArgsResult } from './options.js';

/** parseSyncArgs, whose UsageError is also appended to the log the arguments name. */
export function parseSyncArgsLogged(
  argv: readonly string[],
  io: Pick<CliIo, 'stdout' | 'env' | 'cwd'>,
  version: string,
  extension?: CommandExtension,
): SyncArgsResult {
  try {
    return parseSyncArgs(argv, io, version, extension);
  } catch (error) {
    const logFile = logFileOf(argv, io, version, extension);
    if (logFile !== undefined && error instanceof LinkSyncError) appendRefusal(logFile, error);
    throw error;
  }
}

/**
 * The error as the closing line of a run ("run ended: exit 2; ..."), on one line. A log that cannot
 * be opened or written is passed over: the error is on stderr all the same.
 */
function appendRefusal(path: string, error: LinkSyncError): void {
  let log: ReturnType<typeof openLogFile>;
  try {
    log = openLogFile(path);
  } catch {
    return;
  }
  log.close(exitCodeFor(error), error);
}
