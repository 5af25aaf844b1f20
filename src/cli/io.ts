// What a command gets from the outside world, so commands never touch `process` and tests can drive them.

import type { OutputStream } from '../report/output-stream.js';

export type { OutputStream };

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Aborted on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
  /**
   * Where a notice from outside the run goes ("SIGINT received: stopping cleanly"): stderr by
   * default; a live view takes it over while it owns the terminal, so the notice scrolls above it
   * instead of being drawn over.
   */
  notices?: NoticeBoard;
}

export interface NoticeBoard {
  show(text: string): void;
}

/** The live view only on an interactive terminal that wants it; plain lines everywhere else. */
export function wantsLiveView(stream: OutputStream, env: Record<string, string | undefined>): boolean {
  return Boolean(stream.isTTY) && !env['CI'] && env['NO_COLOR'] === undefined && env['TERM'] !== 'dumb';
}
