// A realistic event stream for the reporter tests: two printers, one in sync after an upload and a
// deletion, one that fails an upload; and a dry-run variant.

import type { PrinterResult, RunSummary, SyncEvent } from '../../src/report/events.js';

const counts = (upload = 0, replace = 0, del = 0, rmdir = 0) => ({ upload, replace, delete: del, rmdir });

export function result(printer: string, extra: Partial<PrinterResult> = {}): PrinterResult {
  return {
    printer,
    outcome: 'in-sync',
    planned: counts(),
    done: counts(),
    failed: 0,
    notRun: 0,
    problems: 0,
    held: 0,
    otherModel: 0,
    plannedBytes: 0,
    unchanged: 0,
    bytesSent: 0,
    durationMs: 1500,
    ...extra,
  };
}

export function summary(dryRun: boolean, printers: PrinterResult[]): RunSummary {
  return { dryRun, printers, durationMs: 2500, interrupted: false };
}

const upload = { kind: 'upload' as const, path: 'parts/benchy.gcode', size: 2_000_000, reason: 'missing on printer' };
const remove = { kind: 'delete' as const, path: 'old.gcode', reason: 'not in the source' };

/** --go: mk4-bay1 uploads and deletes; xl-bay2 fails its upload. */
export function goRun(): SyncEvent[] {
  const ok = result('mk4-bay1', { planned: counts(1, 0, 1), done: counts(1, 0, 1), bytesSent: 2_000_000, unchanged: 3 });
  const failed = result('xl-bay2', {
    outcome: 'failed',
    planned: counts(1),
    failed: 1,
    error: { code: 'PRINTER_HTTP', message: 'upload of parts/benchy.gcode failed: 500' },
  });
  return [
    { type: 'run-start', dryRun: false, printers: ['mk4-bay1', 'xl-bay2'], source: '/srv/master', files: 4, bytes: 2_400_000 },
    { type: 'printer-start', printer: 'mk4-bay1' },
    { type: 'printer-start', printer: 'xl-bay2' },
    {
      type: 'plan',
      printer: 'mk4-bay1',
      storage: 'usb',
      root: '',
      actions: [upload, remove],
      problems: [],
      holds: [],
      unchanged: 3,
      uploadBytes: 2_000_000,
    },
    {
      type: 'plan',
      printer: 'xl-bay2',
      storage: 'usb',
      root: 'farm',
      actions: [upload],
      problems: [{ path: 'a-very-long-name.gcode', code: 'NAME_TOO_LONG', message: 'name longer than the printer allows' }],
      holds: [{ path: 'printing.gcode', reason: 'being-printed', wouldHave: 'replace' }],
      unchanged: 2,
      uploadBytes: 2_000_000,
    },
    { type: 'action-start', printer: 'mk4-bay1', action: upload },
    { type: 'action-progress', printer: 'mk4-bay1', path: upload.path, bytes: 1_000_000, total: 2_000_000 },
    { type: 'action-start', printer: 'xl-bay2', action: upload },
    {
      type: 'action-failed',
      printer: 'xl-bay2',
      action: upload,
      error: { code: 'PRINTER_HTTP', message: 'printer xl-bay2: upload of parts/benchy.gcode failed: 500', hint: 'try again' },
    },
    {
      type: 'warning',
      printer: 'xl-bay2',
      message: 'not done (deletions withheld because an action failed on this printer): delete old.gcode',
    },
    { type: 'printer-done', result: failed },
    { type: 'action-done', printer: 'mk4-bay1', action: upload, durationMs: 1000, bytes: 2_000_000 },
    { type: 'action-start', printer: 'mk4-bay1', action: remove },
    { type: 'action-done', printer: 'mk4-bay1', action: remove, durationMs: 20, bytes: 0 },
    { type: 'printer-done', result: ok },
    { type: 'run-done', summary: summary(false, [ok, failed]) },
  ];
}

/** The dry run of the same farm: plans only. */
export function dryRun(): SyncEvent[] {
  const a = result('mk4-bay1', { outcome: 'planned', planned: counts(1, 0, 1), unchanged: 3 });
  const b = result('xl-bay2', { outcome: 'planned', planned: counts(1), unchanged: 2 });
  const plans = goRun().filter((e) => e.type === 'plan');
  return [
    { type: 'run-start', dryRun: true, printers: ['mk4-bay1', 'xl-bay2'], source: '/srv/master', files: 4, bytes: 2_400_000 },
    ...plans,
    { type: 'printer-done', result: a },
    { type: 'printer-done', result: b },
    { type: 'run-done', summary: summary(true, [a, b]) },
  ];
}
