// Terminal view: one live line per printer and an overall line, redrawn in place; per-file results
// and problems scroll above it, and the final summary stays on screen. The lines come from
// live-lines.ts (pure), the numbers from live-state.ts; this file only times and writes them.

import { styleText } from 'node:util';
import type { OutputStream } from './output-stream.js';
import type { EventSink, SyncEvent } from './events.js';
import { lineMaker, type Line } from './plain.js';
import { LiveState } from './live-state.js';
import { renderLiveLines } from './live-lines.js';
import { TerminalFrame } from './terminal-frame.js';

const REDRAW_MS = 100;

export interface TtyReporter {
  sink: EventSink;
  /** A line from outside the run (a stop notice), scrolled above the live lines at once. */
  notice(text: string): void;
  /** Stops redrawing; the last frame stays. */
  stop(): void;
}

export interface TtyOptions {
  quiet?: boolean;
  verbose?: boolean;
  now?: () => number;
}

type TtyStream = OutputStream & {
  on?(event: 'resize', listener: () => void): unknown;
  off?(event: 'resize', listener: () => void): unknown;
};

export function ttyReporter(stream: TtyStream, options: TtyOptions = {}): TtyReporter {
  const now = options.now ?? Date.now;
  const state = new LiveState(now);
  const frame = new TerminalFrame(stream);
  const width = () => Math.max(30, (stream.columns ?? 100) - 1);
  // The cursor rests on the line below the frame, and the frame never starts on the top line: erasing
  // from there is clearing the screen, which some terminals (tmux) copy into the scrollback.
  const height = () => (stream.rows ? stream.rows - 2 : Number.POSITIVE_INFINITY);
  const lines = lineMaker({ verbose: options.verbose ?? false, width });
  let dryRun = true;
  let finished = false;
  let dirty = false;
  let lastRender = 0;
  /** Lines to scroll above the live area, written with the next frame so each redraw is one write. */
  const pending: string[] = [];

  const render = (): void => {
    dirty = false;
    lastRender = now();
    if (finished) return;
    frame.draw(renderLiveLines(state.rows(), state.overall(), width(), true, height()), pending.splice(0));
  };
  // Elapsed time and ETAs move without events, so redraw at least twice a second.
  const timer = setInterval(() => {
    if (dirty || now() - lastRender >= 500) render();
  }, REDRAW_MS);
  timer.unref();
  // A resize re-wraps what is on screen: redraw at once, erasing the block as it now stands.
  const onResize = (): void => render();
  stream.on?.('resize', onResize);

  const scroll = (line: Line): void => {
    if (line.error) pending.push(styleText(line.warning ? 'yellow' : 'red', line.text));
    else if (options.quiet && !line.summary) return;
    // With --go each action gets its own result line as it completes; the plan's list would only scroll.
    else if (line.planned && !dryRun) return;
    else pending.push(line.summary ? line.text : styleText('dim', line.text));
  };

  const stopTimers = (): void => {
    clearInterval(timer);
    stream.off?.('resize', onResize);
  };

  const sink: EventSink = (event: SyncEvent) => {
    if (finished) return;
    if (event.type === 'run-start') dryRun = event.dryRun;
    state.apply(event);
    const out = lines(event);
    if (event.type === 'run-done') {
      // The last frame with every printer's result stays, then the grouped plans and the summary.
      stopTimers();
      finished = true;
      const block = renderLiveLines(state.rows(), state.overall(), width()).slice(0, -1);
      frame.draw(block, pending.splice(0));
      const tail: string[] = [];
      for (const line of out) {
        if (line.error) tail.push(styleText('red', line.text));
        else if (line.summary || !options.quiet) tail.push(line.text);
      }
      stream.write(tail.map((l) => `${l}\n`).join(''));
      return;
    }
    for (const line of out) {
      // Printer results show on the printer's own live line; failures also scroll, to stay in view.
      if (event.type === 'printer-done' && !line.error) continue;
      scroll(line);
    }
    dirty = true;
  };

  return {
    sink,
    notice(text: string) {
      if (finished) {
        stream.write(`${text}\n`);
        return;
      }
      pending.push(styleText('yellow', text));
      render();
    },
    stop() {
      stopTimers();
      if (!finished && state.views.size > 0) render();
    },
  };
}
