// PrusaLink 0.6 on a Pi: only the legacy API. /api/version without capabilities ("OctoPrint 1.1.0"),
// /api/printer, /api/files (the whole tree), multipart upload, DELETE by tree path, /api/transfer.
// Auth as the current Pi (digest MD5-sess or X-Api-Key). Every /api/v1 path is 404.

import { modelInfo } from '../models.js';
import { PiPersonalityBase } from '../pi/base.js';
import { piError } from '../pi/errors.js';
import { splitPiPath } from '../pi/paths.js';
import type { SimContext } from '../server/context.js';
import type { Exchange } from '../server/exchange.js';
import { sendContent } from '../server/download.js';
import { legacyPrinter } from './printer.js';
import { legacyPiUpload } from './pi-upload.js';
import { LEGACY_PI_ROOTS, legacyPiFile, legacyPiTree } from './render.js';

const VERSION = '0.6.1';

function version(ctx: SimContext, ex: Exchange): void {
  ex.sendJson(200, {
    api: '0.1',
    server: VERSION,
    original: modelInfo(ctx.opts.model).original ?? 'PrusaLink I3MK3S',
    text: 'OctoPrint 1.1.0',
    hostname: ctx.opts.hostname,
    firmware: '3.10.0-4481',
    sdk: '0.5.0',
  });
}

function files(ctx: SimContext, ex: Exchange): void {
  const total = ctx.opts.totalSpace;
  const free = Math.max(0, total - ctx.main.root.bytes);
  const gb = (n: number): string => `${Math.floor(n / 1e9)} GB`;
  ex.sendJson(200, { files: legacyPiTree(ctx.volumes.values()), free: gb(free), total: gb(total) });
}

function transfer(ctx: SimContext, ex: Exchange): void {
  const t = ctx.state.transfer;
  if (!t) return ex.send(204, undefined);
  const path = `/${LEGACY_PI_ROOTS[t.storage] ?? t.storage}/${t.path}`;
  ex.sendJson(200, {
    type: t.foreign ? 'FROM_CONNECT' : 'FROM_CLIENT',
    url: null,
    target: 'local',
    destination: path,
    path,
    size: t.size,
    start_time: Math.floor(t.startedAtMs / 1000),
    progress: t.size > 0 ? Math.round((t.transferred / t.size) * 10000) / 10000 : 0,
    remaining_time: null,
    to_select: false,
    to_print: t.toPrint,
  });
}

/** GET /api/files/<target>/<storage folder>/<path>: one file's (or folder's) info. */
function info(ctx: SimContext, ex: Exchange, rest: string): void {
  const target = splitPiPath(rest);
  if (!target || target.escapes) return piError(ex, 400, 'Bad Request', 'Invalid path.');
  const volume = ctx.volumes.get(target.storage);
  if (!volume) return piError(ex, 404, 'Location Not Found', 'Location not found.');
  const [root, ...parts] = target.parts;
  const node = root === LEGACY_PI_ROOTS[volume.name] && parts.length > 0 ? volume.resolve(parts) : undefined;
  if (!node) return piError(ex, 404, 'File Not Found', 'File not found.');
  const path = `/${root}/${volume.pathOf(node)}`;
  if (node.kind === 'folder') return ex.sendJson(200, { origin: volume.name, name: node.name, path, type: 'folder', typePath: ['folder'] });
  ex.sendJson(200, legacyPiFile(volume, node, path), {
    'Read-Only': volume.readOnly ? 'True' : 'False',
    'Currently-Printed': ctx.isBusy(node) ? 'True' : 'False',
  });
}

/** GET /api/files/<target>/<storage folder>/<path>/raw: the file's bytes (PrusaLink files_legacy.py). */
function raw(ctx: SimContext, ex: Exchange, rest: string): void {
  const target = splitPiPath(rest);
  if (!target || target.escapes) return piError(ex, 400, 'Bad Request', 'Invalid path.');
  const volume = ctx.volumes.get(target.storage);
  const [root, ...parts] = target.parts;
  const node = volume && root === LEGACY_PI_ROOTS[volume.name] && parts.length > 0 ? volume.resolve(parts) : undefined;
  if (!volume || !node || node.kind !== 'file') return piError(ex, 404, 'File Not Found', 'File not found.');
  sendContent(ex, volume, node, ctx.sendOptions(ex.rawPath));
}

/** DELETE /api/files/<target>/<storage folder>/<path>: files, and folders once they are empty. */
function remove(ctx: SimContext, ex: Exchange, rest: string): void {
  const target = splitPiPath(rest);
  if (!target || target.escapes) return piError(ex, 400, 'Bad Request', 'Invalid path.');
  if (target.storage !== 'local' && target.storage !== 'sdcard') return piError(ex, 404, 'Location Not Found', 'Location not found.');
  if (target.storage === 'sdcard') return piError(ex, 409, 'SD Card Read Only', 'SD Card storage is read only.');
  const volume = ctx.main;
  const [root, ...parts] = target.parts;
  const node = root === LEGACY_PI_ROOTS['local'] && parts.length > 0 ? volume.resolve(parts) : undefined;
  if (!node) return piError(ex, 404, 'File Not Found', 'File not found.');
  if (node.kind === 'folder') {
    if (node.children.size > 0) return piError(ex, 409, 'Directory Not Empty', 'Directory is not empty.');
  } else if (ctx.isBusy(node)) {
    return piError(ex, 409, 'File Currently Printed', 'File is currently printed.');
  } else if (ctx.jobNode() === node) {
    ctx.state.closeFinishedJob();
  }
  volume.remove(node, ctx.clock.fileTimestamp());
  ex.send(204, undefined);
}

export class LegacyPiPersonality extends PiPersonalityBase {
  async handle(ex: Exchange): Promise<void> {
    const ctx = this.ctx;
    if (!this.admit(ex)) return;
    const path = ex.rawPath;
    const get = ex.method === 'GET';
    if (path === '/api/version' && get) return version(ctx, ex);
    if (path === '/api/printer' && get) return legacyPrinter(ctx, ex);
    if (path === '/api/transfer' && get) return transfer(ctx, ex);
    if (path === '/api/files' && get) return files(ctx, ex);
    const upload = /^\/api\/files\/([^/]+)\/?$/.exec(path);
    if (upload && ex.method === 'POST') return legacyPiUpload(ctx, ex, decodeURIComponent(upload[1] ?? ''));
    if (path.startsWith('/api/files/') && ex.method === 'DELETE') return remove(ctx, ex, path.slice('/api/files'.length));
    if (path.startsWith('/api/files/') && path.endsWith('/raw') && get)
      return raw(ctx, ex, path.slice('/api/files'.length, -'/raw'.length));
    if (path.startsWith('/api/files/') && get) return info(ctx, ex, path.slice('/api/files'.length));
    return piError(ex, 404, 'Not Found', 'Not found.');
  }
}
