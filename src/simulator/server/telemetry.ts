// The parts of /api/v1/status and /api/v1/job that both personalities render the same way.

import type { Job, PrinterState, Transfer } from '../model/printer-state.js';

const PRINTING_LIKE = new Set(['PRINTING', 'PAUSED', 'ATTENTION', 'BUSY']);

export function printerTelemetry(state: PrinterState): Record<string, unknown> {
  const hot = PRINTING_LIKE.has(state.state);
  return {
    state: state.state,
    temp_nozzle: hot ? 214.8 : 24.6,
    target_nozzle: hot ? 215 : 0,
    temp_bed: hot ? 59.9 : 23.9,
    target_bed: hot ? 60 : 0,
    axis_z: hot ? 2.4 : 10,
    flow: 100,
    speed: 100,
    fan_hotend: hot ? 4800 : 0,
    fan_print: hot ? 3900 : 0,
  };
}

/** `nowMs`: the printer's host time (its `now` option), so a manual clock drives the job's times. */
export function jobTelemetry(job: Job, nowMs: number): Record<string, unknown> {
  const timePrinting = Math.floor((nowMs - job.startedAtMs) / 1000);
  return {
    id: job.id,
    progress: job.progress,
    time_remaining: Math.max(0, 3600 - timePrinting),
    time_printing: timePrinting,
  };
}

/** Job state as the job endpoint names it (a subset of printer states). */
export function jobState(printerState: string): string {
  if (printerState === 'ATTENTION') return 'PAUSED';
  return ['PRINTING', 'PAUSED', 'FINISHED', 'STOPPED', 'ERROR'].includes(printerState) ? printerState : 'PRINTING';
}

/** Buddy names the byte count `transferred`, Pi `data_transferred`. */
export function transferTelemetry(t: Transfer, bytesKey: 'transferred' | 'data_transferred', nowMs: number): Record<string, unknown> {
  return {
    id: t.id,
    time_transferring: Math.floor((nowMs - t.startedAtMs) / 1000),
    progress: t.size > 0 ? Math.round((t.transferred / t.size) * 10000) / 100 : 0,
    [bytesKey]: t.transferred,
  };
}

/** GET /api/v1/transfer body. */
export function transferInfo(t: Transfer, storagePath: string, displayName: string, nowMs: number): Record<string, unknown> {
  const elapsed = (nowMs - t.startedAtMs) / 1000;
  const rate = elapsed > 0 ? t.transferred / elapsed : 0;
  return {
    id: t.id,
    type: t.foreign ? 'FROM_CONNECT' : 'FROM_CLIENT',
    display_name: displayName,
    path: storagePath,
    size: t.size,
    progress: t.size > 0 ? Math.round((t.transferred / t.size) * 10000) / 100 : 0,
    transferred: t.transferred,
    time_remaining: rate > 0 ? Math.ceil((t.size - t.transferred) / rate) : 0,
    time_transferring: Math.floor(elapsed),
    to_print: t.toPrint,
  };
}
