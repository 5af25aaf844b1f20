// The one thing a reporter needs from a terminal or a pipe: somewhere to write, and whether it is interactive.

export interface OutputStream {
  write(chunk: string): unknown;
  /** True when this is an interactive terminal. */
  isTTY?: boolean;
  columns?: number;
  /** The terminal's height in lines. */
  rows?: number;
}
