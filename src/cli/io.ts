// What a command gets from the outside world, so commands never touch `process` and tests can drive them.

export interface OutputStream {
  write(chunk: string): unknown;
  /** True when this is an interactive terminal. */
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Aborted on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
}
