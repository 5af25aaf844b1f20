// The thin terminal part of the live view: draws a block of lines in place, lets other lines scroll
// above it, and after a resize erases the old block as the terminal now shows it (re-wrapped).

import { textWidth } from './text-width.js';

export interface FrameStream {
  write(chunk: string): unknown;
  columns?: number;
}

const SYNC_ON = '\u001b[?2026h';
const SYNC_OFF = '\u001b[?2026l';
const ESCAPE = /\u001b\[[0-9;?]*[A-Za-z]/g;

export class TerminalFrame {
  /** Visible widths of the lines of the block on screen. */
  private shown: number[] = [];

  constructor(private readonly stream: FrameStream) {}

  /** One write: erase the block, print `scroll` lines (they stay), then the new block. */
  draw(block: readonly string[], scroll: readonly string[] = []): void {
    const text = [...scroll, ...block].map((line) => `${line}\n`).join('');
    this.stream.write(`${SYNC_ON}${this.erase()}${text}${SYNC_OFF}`);
    this.shown = block.map(visibleWidth);
  }

  /** Erases the block and forgets it: what is written next starts where it was. */
  clear(): void {
    const erase = this.erase();
    if (erase !== '') this.stream.write(erase);
    this.shown = [];
  }

  /** Cursor up over the rows the block takes at the current width, then erase to the end of the screen. */
  private erase(): string {
    const columns = Math.max(1, this.stream.columns ?? 80);
    const rows = this.shown.reduce((sum, width) => sum + Math.max(1, Math.ceil(width / columns)), 0);
    return rows === 0 ? '' : `\r\u001b[${rows}A\u001b[J`;
  }
}

export function visibleWidth(line: string): number {
  return textWidth(line.replace(ESCAPE, ''));
}
