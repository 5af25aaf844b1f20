// Terminal view: one live line per printer and an overall line, redrawn in place (log-update);
// per-file results and problems scroll above it, and the final summary stays on screen.

import { createLogUpdate } from 'log-update';
import { styleText } from 'node:util';
import type { OutputStream } from './output-stream.js';
import type { EventSink, PrinterResult, SyncEvent } from './events.js';
import { about, linesFor, summaryLines } from './plain.js';
import { formatBytes, formatDuration } from './format.js';
import { UploadMeter } from './progress.js';

interface PrinterView {
  phase: 'connecting' | 'planned' | 'syncing' | PrinterResult['outcome'];
  /** Bytes the plan will send, and bytes of finished uploads. */
  planBytes: number;
  doneBytes: number;
  actions: number;
  actionsDone: number;
  file?: string;
  fileBytes: number;
  fileTotal: number;
  fileStarted: number;
  started: number;
  /** Bytes the printer reports it took (never socket bytes, which run megabytes ahead) and its rate. */
  meter: UploadMeter;
  note?: string;
}

const REDRAW_MS = 100;
type Color = Parameters<typeof styleText>[0];

export interface TtyReporter {
  sink: EventSink;
  /** Stops redrawing; the last frame stays. */
  stop(): void;
}

export function ttyReporter(stream: OutputStream & NodeJS.WritableStream, options: { quiet?: boolean } = {}): TtyReporter {
  const log = createLogUpdate(stream, { defaultWidth: 100 });
  const views = new Map<string, PrinterView>();
  const runStarted = Date.now();
  let dirty = false;
  let finished = false;
  let dryRun = true;
  // Elapsed time and ETAs move without events, so redraw at least twice a second.
  let lastRender = 0;
  const timer = setInterval(() => {
    if (dirty || Date.now() - lastRender >= 500) render();
  }, REDRAW_MS);
  timer.unref();

  const width = () => Math.max(40, (stream.columns ?? 100) - 1);
  const nameWidth = () => Math.max(7, ...[...views.keys()].map((n) => n.length));

  /** Lines to scroll above the live area, written in the next frame so each redraw is one write. */
  const pending: string[] = [];

  function flushPending(): void {
    if (pending.length === 0) return;
    log.clear();
    stream.write(`${pending.join('\n')}\n`);
    pending.length = 0;
  }

  function render(): void {
    dirty = false;
    lastRender = Date.now();
    if (finished) return;
    flushPending();
    const lines = [...views.entries()].map(([name, v]) => fit(`${name.padEnd(nameWidth())}  ${describe(v)}`, width()));
    lines.push(fit(overall(), width()));
    log(lines.join('\n'));
  }

  function overall(): string {
    const all = [...views.values()];
    const plan = all.reduce((s, v) => s + v.planBytes, 0);
    const sent = all.reduce((s, v) => s + v.meter.totalBytes, 0);
    const active = all.filter((v) => v.phase === 'syncing' || v.phase === 'connecting').length;
    const elapsed = Date.now() - runStarted;
    // Printers run in parallel: the farm finishes when its slowest printer does.
    const longest = Math.max(0, ...all.filter((v) => v.phase === 'syncing').map((v) => secondsLeft(v) ?? 0));
    const eta = longest > 0 ? ` · ETA ${clock(longest)}` : '';
    const text = `${'overall'.padEnd(nameWidth())}  ${all.length} printers · ${active} active · ${formatBytes(sent)} / ${formatBytes(plan)} · ${formatDuration(elapsed)}${eta}`;
    return styleText('bold', text);
  }

  function persist(text: string, color?: Color): void {
    pending.push(color ? styleText(color, text) : text);
    dirty = true;
  }

  const view = (printer: string): PrinterView => {
    let v = views.get(printer);
    if (!v) {
      v = { phase: 'connecting', planBytes: 0, doneBytes: 0, actions: 0, actionsDone: 0, fileBytes: 0, fileTotal: 0, fileStarted: 0, started: Date.now(), meter: new UploadMeter() };
      views.set(printer, v);
    }
    return v;
  };

  const sink: EventSink = (event: SyncEvent) => {
    switch (event.type) {
      case 'run-start':
        dryRun = event.dryRun;
        for (const name of event.printers) view(name);
        if (!options.quiet) persist(linesFor(event)[0]!.text);
        break;
      case 'printer-start':
        view(event.printer).started = Date.now();
        break;
      case 'plan': {
        const v = view(event.printer);
        v.phase = 'planned';
        v.planBytes = event.uploadBytes;
        v.actions = event.actions.length;
        // With --go each action gets its own result line as it completes; listing them up front too
        // would only scroll the view. The dry run lists them: that is its whole point.
        for (const line of linesFor(event)) {
          if (line.error) persist(line.text, 'red');
          else if (!options.quiet && (dryRun || !line.planned)) persist(line.text, 'dim');
        }
        break;
      }
      case 'action-start': {
        const v = view(event.printer);
        v.phase = 'syncing';
        v.file = event.action.path;
        v.fileBytes = 0;
        v.fileTotal = event.action.size ?? 0;
        v.fileStarted = Date.now();
        if (v.fileTotal > 0) v.meter.start(v.fileStarted);
        v.note = event.action.kind;
        break;
      }
      case 'action-progress': {
        const v = view(event.printer);
        v.fileBytes = event.bytes;
        v.meter.taken(event.bytes, Date.now());
        break;
      }
      case 'action-done': {
        const v = view(event.printer);
        v.doneBytes += event.bytes;
        if (v.fileTotal > 0) v.meter.done(event.bytes, Date.now());
        v.fileBytes = 0;
        v.actionsDone++;
        v.file = undefined;
        if (!options.quiet) persist(linesFor(event)[0]!.text, 'green');
        break;
      }
      case 'action-failed': {
        const v = view(event.printer);
        if (v.fileTotal > 0) v.meter.done(0, Date.now());
        v.fileBytes = 0;
        v.actionsDone++;
        v.file = undefined;
        persist(linesFor(event)[0]!.text, 'red');
        break;
      }
      case 'warning':
        persist(linesFor(event)[0]!.text, 'yellow');
        break;
      case 'request':
        persist(linesFor(event)[0]!.text, 'dim');
        break;
      case 'backup-done':
        if (!options.quiet) persist(linesFor(event)[0]!.text, 'dim');
        break;
      case 'printer-done': {
        const v = view(event.result.printer);
        v.phase = event.result.outcome;
        v.note = event.result.reason === undefined ? undefined : about(event.result.printer, event.result.reason);
        v.file = undefined;
        const line = linesFor(event)[0]!;
        if (line.error) persist(line.text, 'red');
        break;
      }
      case 'run-done':
        clearInterval(timer);
        flushPending();
        finished = true;
        log.clear();
        for (const [name, v] of views) stream.write(`${name.padEnd(nameWidth())}  ${describe(v)}\n`);
        stream.write(`\n${summaryLines(event.summary).join('\n')}\n`);
        return;
    }
    dirty = true;
  };

  return {
    sink,
    stop() {
      clearInterval(timer);
      if (!finished) {
        render();
        log.done();
      }
    },
  };
}

function describe(v: PrinterView): string {
  switch (v.phase) {
    case 'connecting':
      return styleText('dim', 'connecting…');
    case 'planned':
      return v.actions === 0 ? styleText('green', 'nothing to do') : `planned: ${v.actions} actions, ${formatBytes(v.planBytes)} to send`;
    case 'syncing': {
      const now = Date.now();
      const rate = v.meter.rate(now);
      const inFile = v.meter.fileBytes;
      const left = secondsLeft(v);
      const speed = rate !== undefined ? ` ${formatBytes(rate)}/s` : '';
      const eta = left !== undefined && left > 0 ? ` ETA ${clock(left)}` : '';
      // Until the printer reports bytes and a rate is measured, say what is known: it is sending.
      const elapsed = v.meter.fileElapsedMs(now);
      const progress =
        v.fileTotal === 0
          ? ''
          : inFile === 0 && elapsed !== undefined
            ? ` sending… ${clock(elapsed / 1000)}`
            : ` ${bar(inFile / v.fileTotal)} ${formatBytes(inFile)}/${formatBytes(v.fileTotal)}`;
      return `${v.actionsDone + 1}/${v.actions} ${v.note ?? ''} ${v.file ?? ''}${progress}${speed}${eta}`;
    }
    case 'in-sync':
      return styleText('green', v.actionsDone === 0 ? 'in sync: nothing to do' : `in sync: ${v.actionsDone} done, ${formatBytes(v.doneBytes)} sent`);
    case 'skipped':
      return styleText('yellow', `skipped: ${v.note ?? 'busy'}`);
    default:
      return styleText('red', `${v.phase}: ${v.note ?? ''}`);
  }
}

function secondsLeft(v: PrinterView): number | undefined {
  return v.meter.secondsLeft(v.planBytes, Date.now());
}

function bar(fraction: number, cells = 12): string {
  const filled = Math.max(0, Math.min(cells, Math.round(fraction * cells)));
  return `[${'#'.repeat(filled)}${'-'.repeat(cells - filled)}]`;
}

/** m:ss or h:mm:ss */
function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Cut a line to the terminal width so a redraw never wraps (a wrapped line breaks in-place redraws). */
function fit(text: string, width: number): string {
  // Escape sequences take no columns: count visible characters only.
  let visible = 0;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\u001b') {
      const end = text.indexOf('m', i);
      out += text.slice(i, end + 1);
      i = end;
      continue;
    }
    if (visible >= width) continue;
    out += text[i];
    visible++;
  }
  return out;
}
