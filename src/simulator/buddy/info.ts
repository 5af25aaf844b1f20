// Buddy's read-only endpoints: version, info, status, job, storage, transfer.

import { SimContext } from '../server/context.js';
import type { Exchange } from '../server/exchange.js';
import { jobState, jobTelemetry, printerTelemetry, transferInfo, transferTelemetry } from '../server/telemetry.js';

const STORAGE = { path: '/usb/', name: 'usb', read_only: false };

export function buddyVersion(ctx: SimContext, ex: Exchange): void {
  ex.sendJson(200, {
    api: '2.0.0',
    server: '2.1.2',
    nozzle_diameter: 0.4,
    text: 'PrusaLink',
    hostname: ctx.opts.hostname,
    capabilities: { 'upload-by-put': true },
  });
}

export function buddyInfo(ctx: SimContext, ex: Exchange): void {
  ex.sendJson(200, {
    nozzle_diameter: 0.4,
    mmu: false,
    serial: ctx.opts.serial,
    hostname: ctx.opts.hostname,
    min_extrusion_temp: 170,
  });
}

export function buddyStatus(ctx: SimContext, ex: Exchange): void {
  const body: Record<string, unknown> = {};
  if (ctx.usbPresent) body['storage'] = STORAGE;
  const printer = printerTelemetry(ctx.state);
  // Buddy reports the X and Y position only while no print is running.
  if (!['PRINTING', 'PAUSED'].includes(ctx.state.state)) Object.assign(printer, { axis_x: 241, axis_y: 170 });
  body['printer'] = printer;
  if (ctx.state.job) body['job'] = jobTelemetry(ctx.state.job, ctx.opts.now());
  if (ctx.state.transfer) body['transfer'] = transferTelemetry(ctx.state.transfer, 'transferred', ctx.opts.now());
  ex.sendJson(200, body);
}

export function buddyStorage(ctx: SimContext, ex: Exchange): void {
  ex.sendJson(200, { storage_list: [{ ...STORAGE, type: 'USB', available: ctx.usbPresent }] });
}

export function buddyJob(ctx: SimContext, ex: Exchange): void {
  const job = ctx.state.job;
  if (!job) return ex.send(204, undefined);
  const node = ctx.jobNode();
  const volume = ctx.main;
  const parts = SimContext.parts(job.file);
  const file: Record<string, unknown> = node
    ? {
        name: node.short,
        display_name: node.name,
        path: '/usb' + (node.parent.parent ? '/' + volume.shortPathOf(node.parent) : ''),
        size: node.size,
        m_timestamp: node.mTimestamp,
      }
    : { name: parts[parts.length - 1] ?? '', display_name: parts[parts.length - 1] ?? '', path: '/usb', m_timestamp: 0 };
  const t = jobTelemetry(job, ctx.opts.now());
  ex.sendJson(200, {
    id: job.id,
    state: jobState(ctx.state.state),
    progress: job.progress,
    time_remaining: t['time_remaining'],
    time_printing: t['time_printing'],
    file,
  });
}

export function buddyTransfer(ctx: SimContext, ex: Exchange): void {
  const t = ctx.state.transfer;
  if (!t) return ex.send(204, undefined);
  const parts = SimContext.parts(t.path);
  ex.sendJson(200, transferInfo(t, '/usb/' + parts.slice(0, -1).join('/'), parts[parts.length - 1] ?? '', ctx.opts.now()));
}
