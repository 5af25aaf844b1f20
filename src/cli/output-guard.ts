// stdout and stderr that never decide the run: a write error never throws or crashes. A reader that
// went away (EPIPE: `link-sync ... | head`) stops the run as SIGTERM would; any other failure (a
// full disk) stops that output only, with one warning on stderr.

import type { OutputStream } from './io.js';

export interface GuardedStream extends OutputStream {
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
  /** Set once writing failed: nothing more is written. */
  readonly failure: NodeJS.ErrnoException | undefined;
}

export interface RawStream {
  write(chunk: string): boolean;
  // biome-ignore lint/suspicious/noExplicitAny: Node's own listener type
  on(event: string, listener: (...args: any[]) => void): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: Node's own listener type
  off(event: string, listener: (...args: any[]) => void): unknown;
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

/** Wraps a stream; `onFailure` is told once, with the error, the first time a write fails. */
export function guardOutput(stream: RawStream, onFailure: (error: NodeJS.ErrnoException) => void): GuardedStream {
  let failure: NodeJS.ErrnoException | undefined;
  const fail = (error: NodeJS.ErrnoException): void => {
    if (failure) return;
    failure = error;
    onFailure(error);
  };
  stream.on('error', fail);
  return {
    write(chunk: string): boolean {
      if (failure) return false;
      try {
        return stream.write(chunk);
      } catch (error) {
        fail(error as NodeJS.ErrnoException);
        return false;
      }
    },
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
    get rows() {
      return stream.rows;
    },
    on: (event, listener) => stream.on(event, listener),
    off: (event, listener) => stream.off(event, listener),
    get failure() {
      return failure;
    },
  };
}

/** A closed pipe: the reader is gone, and nobody will see what the run does next. */
export function isClosedPipe(error: NodeJS.ErrnoException): boolean {
  // EIO: the terminal was hung up.
  return error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED' || error.code === 'EIO';
}
