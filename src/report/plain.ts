// Plain reporter: stable, greppable lines, no escape codes. For cron logs and pipes; the live view
// scrolls the same lines above its progress area.

import type { EventSink, JobInfo, PrinterResult, ReadingStep, SyncEvent } from './events.js';
import { formatBytes, formatDuration, formatSpeed, plural } from './format.js';
import { dryRunLines, planLines, type PlanEvent } from './dry-run.js';
import { summaryLines } from './summary.js';
import { about, closingReason, DONE, holdWords, labelled, OUTCOME_WORDS, ownReason, VERB } from './words.js';

export { about } from './words.js';
export { summaryLines } from './summary.js';

export interface PlainReporterOptions {
  /** Normal lines. */
  out: (line: string) => void;
  /** Warnings and failures. */
  err: (line: string) => void;
  quiet?: boolean;
  /** Every planned action, every file for another model, every request. */
  verbose?: boolean;
}

export function plainReporter(options: PlainReporterOptions): EventSink {
  const lines = lineMaker({ verbose: options.verbose ?? false });
  return (event: SyncEvent) => {
    for (const line of lines(event)) {
      if (line.error) options.err(line.text);
      // --quiet keeps problems and the closing summary only.
      else if (!options.quiet || line.summary) options.out(line.text);
    }
  };
}

export interface Line {
  text: string;
  error?: boolean;
  /** One planned action or detail: a live view under --go shows results instead. */
  planned?: boolean;
  /** Part of the closing summary (kept by --quiet). */
  summary?: boolean;
  /** A warning (the live view colours it). */
  warning?: boolean;
}

/**
 * Turns events into lines. Keeps a little state: a dry run's plans wait for the end of the run, so
 * printers with the same plan are shown once.
 */
export function lineMaker(options: { verbose: boolean; width?: () => number }): (event: SyncEvent) => Line[] {
  let dryRun = false;
  let order = new Map<string, number>();
  const plans: PlanEvent[] = [];
  return (event) => {
    switch (event.type) {
      case 'run-start':
        dryRun = event.dryRun;
        order = new Map(event.printers.map((name, i) => [name, i]));
        return [
          ...linesFor(event),
          ...(options.verbose && event.stateDir ? [{ text: `Sync record: ${event.stateDir} (one file per printer)` }] : []),
        ];
      case 'plan': {
        const own = perFileLines(event);
        if (dryRun) {
          plans.push(event);
          return own;
        }
        // With --go each action reports its result as it ends: the plan lists them only with --verbose.
        return [...planLines(event.printer, event, options.verbose, `${event.printer}: `, 0), ...own];
      }
      case 'run-done': {
        // Printers plan in parallel; show them in the config's order, whichever answered first.
        plans.sort((a, b) => (order.get(a.printer) ?? 0) - (order.get(b.printer) ?? 0));
        const plan = dryRun ? dryRunLines(plans, options.verbose) : [];
        plans.length = 0;
        return [...plan, ...['', ...summaryLines(event.summary, options.width?.() ?? Infinity)].map((text) => ({ text, summary: true }))];
      }
      default:
        return linesFor(event);
    }
  };
}

/** Problems and held files: always in full, one line each, under the printer's own name. */
function perFileLines(event: PlanEvent): Line[] {
  const lines: Line[] = [];
  const byPath = new Map<string, string[]>();
  for (const problem of event.problems) byPath.set(problem.path, [...(byPath.get(problem.path) ?? []), problem.message]);
  // A file with two problems is one file: one line, both reasons.
  for (const [path, messages] of byPath) lines.push({ text: `${event.printer}: cannot sync ${path}: ${messages.join('; ')}`, error: true });
  for (const hold of event.holds) {
    lines.push({ text: `${event.printer}: leaving ${hold.path} alone (${holdWords(hold.reason)}; it would ${VERB[hold.wouldHave]} it)` });
  }
  return lines;
}

/** The lines of one event on its own (a dry run's plans are grouped by lineMaker). */
export function linesFor(event: SyncEvent): Line[] {
  switch (event.type) {
    case 'run-start':
      return [
        {
          text: event.dryRun
            ? `Dry run: nothing will be changed (add -g/--go to apply). Source: ${event.source}, ${plural(event.files, 'print file')} (${formatBytes(event.bytes)}), ${plural(event.printers.length, 'printer')}.`
            : `Syncing ${event.source}: ${plural(event.files, 'print file')} (${formatBytes(event.bytes)}) to ${plural(event.printers.length, 'printer')}.`,
        },
      ];
    case 'printer-start':
    case 'action-progress':
    case 'action-start':
      return [];
    case 'request':
      return [{ text: `${event.printer}: ${event.method} ${event.target} → ${event.status} (${formatDuration(event.durationMs)})` }];
    case 'plan':
      return [...planLines(event.printer, event, true), ...perFileLines(event)];
    case 'action-done': {
      const speed = event.bytes > 0 ? ` (${formatSpeed(event.bytes, event.durationMs)})` : '';
      const size = event.bytes > 0 ? ` ${formatBytes(event.bytes)}` : '';
      return [
        { text: `${event.printer}: ${DONE[event.action.kind]} ${event.action.path}${size} in ${formatDuration(event.durationMs)}${speed}` },
      ];
    }
    case 'action-failed':
      return [
        {
          text: `${event.printer}: FAILED to ${VERB[event.action.kind]} ${event.action.path}: ${about(event.printer, event.error.message)}${event.error.hint ? ` (${event.error.hint})` : ''}`,
          error: true,
        },
      ];
    case 'printer-reading':
      // The start only: a cron log says why the plan is slow to come, not each file.
      return event.done === 0 ? [{ text: `${event.printer}: ${readingText(event.step, event.total)}` }] : [];
    case 'backup-done':
      return [
        {
          text: event.kept
            ? `${event.printer}: kept the backup of ${event.path} from an earlier run: ${event.localPath} (the printer's copy is the same file)`
            : `${event.printer}: backed up ${event.path} ${formatBytes(event.bytes)} to ${event.localPath} in ${formatDuration(event.durationMs)}`,
        },
      ];
    case 'warning':
      return [{ text: `warning: ${event.printer ? `${event.printer}: ` : ''}${event.message}`, error: true, warning: true }];
    case 'printer-done':
      return printerLines(event.result);
    case 'printer-state':
      return [stateLine(event)];
    case 'source-changed':
      return [{ text: `Source changed: ${event.source} now holds ${plural(event.files, 'print file')} (${formatBytes(event.bytes)}).` }];
    case 'run-done':
      return ['', ...summaryLines(event.summary)].map((text) => ({ text, summary: true }));
  }
}

/** "asking the printer for the size of 2,000 files (its listing gives none; one request each)". */
export function readingText(step: ReadingStep, total: number): string {
  return step === 'sizes'
    ? `asking the printer for the size of ${plural(total, 'file')} (its listing gives none; one request each)`
    : `reading the content of ${plural(total, 'local file')} for the sync record`;
}

function stateLine(event: Extract<SyncEvent, { type: 'printer-state' }>): Line {
  const was = event.previous ? `${event.previous} → ` : '';
  if (event.error) return { text: `${event.printer}: ${was}${event.state}: ${about(event.printer, event.error.message)}`, error: true };
  return { text: `${event.printer}: ${was}${event.state}${jobSuffix(event.job)}` };
}

/** " benchy.gcode (45%)": the job a printer reports, as far as it tells. */
export function jobSuffix(job: JobInfo | undefined): string {
  const file = job?.file ? ` ${job.file}` : '';
  const progress = job?.progress !== undefined ? ` (${Math.round(job.progress)}%)` : '';
  return file + progress;
}

/** How one printer ended, with its reason; a planned printer says nothing (the summary has it). */
export function printerLines(r: PrinterResult): Line[] {
  switch (r.outcome) {
    case 'planned':
      return [];
    case 'in-sync':
      return [{ text: `${r.printer}: in sync: ${doneText(r)} in ${formatDuration(r.durationMs)}` }];
    case 'skipped':
      return [{ text: `${r.printer}: skipped: ${closingReason(r)}` }];
    case 'held':
      return [{ text: `${r.printer}: held: ${closingReason(r)}; ${doneText(r)} in ${formatDuration(r.durationMs)}` }];
    default:
      return [{ text: `${r.printer}: ${closingText(r)}`, error: true }];
  }
}

/** "CREDENTIALS REFUSED when reading the storage list (401 Unauthorized) (check the username and password ...)". */
export function closingText(r: PrinterResult): string {
  const label = OUTCOME_WORDS[r.outcome].toUpperCase();
  const partly = r.outcome === 'failed' || r.outcome === 'interrupted' || r.outcome === 'went-offline';
  const counts = `${doneText(r)}${r.failed > 0 ? `, ${r.failed} failed` : ''}${r.notRun > 0 ? `, ${r.notRun} not run` : ''}`;
  const own = ownReason(r);
  if (own === undefined) return partly ? `${label}: ${counts}` : labelled(label, closingReason(r));
  const hint = r.error?.hint && about(r.printer, r.error.message) === own ? ` (${r.error.hint})` : '';
  return `${labelled(label, own)}${hint}${partly ? `; ${counts}` : ''}`;
}

function doneText(r: PrinterResult): string {
  const parts: string[] = [];
  if (r.done.upload > 0) parts.push(`${r.done.upload} uploaded`);
  if (r.done.replace > 0) parts.push(`${r.done.replace} replaced`);
  if (r.done.delete > 0) parts.push(`${r.done.delete} deleted`);
  if (r.done.rmdir > 0) parts.push(`${plural(r.done.rmdir, 'folder')} removed`);
  if (parts.length === 0) return 'nothing changed';
  return `${parts.join(', ')}, ${formatBytes(r.bytesSent)} sent`;
}
