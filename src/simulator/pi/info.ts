// Pi PrusaLink's read-only endpoints: version, info, status, job, storage, transfer.

import { SimContext } from '../server/context.js';
import type { Exchange } from '../server/exchange.js';
import { jobState, jobTelemetry, printerTelemetry, transferInfo, transferTelemetry } from '../server/telemetry.js';
import { modelInfo } from '../models.js';
import { PI_STORAGE_NAMES } from './render.js';

const VERSION = '0.8.1';

export function piVersion(ctx: SimContext, ex: Exchange): void {
  ex.sendJson(200, {
    api: '2.0.0',
    server: VERSION,
    original: modelInfo(ctx.opts.model).original ?? 'PrusaLink I3MK3S',
    text: `PrusaLink ${VERSION}`,
    firmware: '3.14.1-8237',
    sdk: VERSION,
    capabilities: { 'upload-by-put': true },
    hostname: ctx.opts.hostname,
  });
}

export function piInfo(ctx: SimContext, ex: Exchange): void {
  ex.sendJson(200, {
    name: ctx.opts.name,
    location: '',
    farm_mode: false,
    nozzle_diameter: 0.4,
    min_extrusion_temp: 170,
    serial: ctx.opts.serial,
    sd_ready: true,
    active_camera: false,
    hostname: ctx.opts.hostname,
    port: '/dev/ttyAMA0',
    network_error_chime: false,
  });
}

/** Bytes left on the main storage: `totalSpace` less what it holds (hidden leftovers too); none while storage-full is armed. */
export function piFreeSpace(ctx: SimContext): number {
  return ctx.faults.storageFull() ? 0 : Math.max(0, ctx.opts.totalSpace - ctx.main.root.bytes);
}

export function piStatus(ctx: SimContext, ex: Exchange): void {
  const body: Record<string, unknown> = {
    storage: [
      { path: '/local', name: PI_STORAGE_NAMES['local'], read_only: false, free_space: piFreeSpace(ctx) },
      { path: '/sdcard', name: PI_STORAGE_NAMES['sdcard'], read_only: true },
    ],
    printer: printerTelemetry(ctx.state),
  };
  if (ctx.state.job) body['job'] = jobTelemetry(ctx.state.job, ctx.opts.now());
  if (ctx.state.transfer) body['transfer'] = transferTelemetry(ctx.state.transfer, 'data_transferred', ctx.opts.now());
  ex.sendJson(200, body);
}

export function piStorage(ctx: SimContext, ex: Exchange): void {
  const sd = ctx.volumes.get('sdcard');
  ex.sendJson(200, {
    storage_list: [
      {
        type: 'LOCAL',
        path: '/local',
        available: true,
        free_space: piFreeSpace(ctx),
        total_space: ctx.opts.totalSpace,
        read_only: false,
        name: PI_STORAGE_NAMES['local'],
        print_files: ctx.main.printBytes,
        system_files: 0,
      },
      {
        type: 'SDCARD',
        path: '/sdcard',
        available: true,
        read_only: true,
        name: PI_STORAGE_NAMES['sdcard'],
        print_files: sd?.printBytes ?? 0,
      },
    ],
  });
}

export function piJob(ctx: SimContext, ex: Exchange): void {
  const job = ctx.state.job;
  if (!job) return ex.send(204, undefined);
  const node = ctx.jobNode();
  const parts = SimContext.parts(job.file);
  const folder = parts.slice(0, -1).join('/');
  const name = parts[parts.length - 1] ?? '';
  const t = jobTelemetry(job, ctx.opts.now());
  ex.sendJson(200, {
    id: job.id,
    state: jobState(ctx.state.state),
    progress: job.progress,
    time_remaining: t['time_remaining'],
    time_printing: t['time_printing'],
    file: {
      name,
      display_name: name,
      path: '/local' + (folder ? '/' + folder : ''),
      display_path: `/${PI_STORAGE_NAMES['local']}` + (folder ? '/' + folder : ''),
      size: node?.size ?? 0,
      m_timestamp: node?.mTimestamp ?? 0,
    },
  });
}

export function piTransfer(ctx: SimContext, ex: Exchange): void {
  const t = ctx.state.transfer;
  if (!t) return ex.send(204, undefined);
  const parts = SimContext.parts(t.path);
  ex.sendJson(200, transferInfo(t, `/${t.storage}/` + parts.slice(0, -1).join('/'), parts[parts.length - 1] ?? '', ctx.opts.now()));
}
