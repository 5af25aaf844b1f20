// --log-file: the plain lines, each stamped with the time, appended to a file for cron. A write error
// (a full disk) never stops the sync: one warning, then logging stops.

import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { ConfigError, LinkSyncError, UsageError } from '../errors.js';
import { folderCause } from '../local/folder-words.js';
import type { EventSink, RunSummary } from './events.js';
import { inertLine } from './inert.js';
import { plainReporter } from './plain.js';
import { closingCountsLine } from './summary.js';

export interface LogFile {
  sink: EventSink;
  /** Writes the closing line (exit code, the counts once the run has them, and the error that ended it) and closes the file. */
  close(exitCode: number, error?: unknown): void;
}

/**
 * The error that ended a run, as log lines, each made inert as on stderr. A config error with several
 * problems gets one line per problem, as every multi-line output of the log (plan, summary) gets one
 * time-stamped line per line; its count and hint go last, on the closing line, so the last line of a
 * run is still `run ended: ...`.
 */
export function errorLogLines(error: unknown): { problems: string[]; closing: string } {
  if (error instanceof ConfigError && error.heading !== undefined) {
    const closing = error.hint === undefined ? error.heading : `${error.heading} (${error.hint})`;
    return { problems: error.errors.map(inertLine), closing: inertLine(closing) };
  }
  return { problems: [], closing: inertLine(error instanceof LinkSyncError ? error.toLine() : String(error)) };
}

export interface LogFileOptions {
  now?: () => Date;
  /** Told once, when a write fails; nothing more is written after it. */
  onWriteError?: (message: string) => void;
}

export function openLogFile(path: string, options: LogFileOptions = {}): LogFile {
  const now = options.now ?? (() => new Date());
  let fd: number;
  try {
    // Non-blocking: a FIFO without a reader fails at once (ENXIO) instead of hanging the run.
    fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NONBLOCK ?? 0), 0o640);
  } catch (cause) {
    throw new UsageError(`--log-file ${path} cannot be opened for appending: ${(cause as NodeJS.ErrnoException).code ?? cause}`, {
      hint: 'give a writable file path, or create its folder first',
      cause,
    });
  }
  let failed = false;
  let summary: RunSummary | undefined;
  // Synchronous appends: a log line must be on disk even if the run is then killed.
  const write = (line: string): void => {
    if (failed) return;
    try {
      writeSync(fd, `${now().toISOString()} ${line}\n`);
    } catch (error) {
      failed = true;
      options.onWriteError?.(`cannot write to --log-file ${path} (${folderCause(error)}); logging stopped, the sync goes on`);
    }
  };
  const plain = plainReporter({ out: write, err: write });
  return {
    sink: (event) => {
      if (event.type === 'run-done') summary = event.summary;
      plain(event);
    },
    close: (exitCode, error) => {
      const ended = error === undefined ? undefined : errorLogLines(error);
      for (const line of ended?.problems ?? []) write(line);
      // A run that fails after its summary still ends with the counts, and then the error.
      const counts = summary ? closingCountsLine(summary, exitCode) : `run ended: exit ${exitCode}`;
      write(ended ? `${counts}; ${ended.closing}` : counts);
      closeSync(fd);
    },
  };
}
