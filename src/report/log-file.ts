// --log-file: the plain lines, each stamped with the time, appended to a file for cron.

import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { EventSink } from './events.js';
import { plainReporter } from './plain.js';

export interface LogFile {
  sink: EventSink;
  close(): void;
}

export function openLogFile(path: string, now: () => Date = () => new Date()): LogFile {
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
  // Synchronous appends: a log line must be on disk even if the run is then killed.
  const write = (line: string) => writeSync(fd, `${now().toISOString()} ${line}\n`);
  return {
    sink: plainReporter({ out: write, err: write }),
    close: () => closeSync(fd),
  };
}
