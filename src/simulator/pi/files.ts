// Pi PrusaLink's file endpoints other than upload: GET (with ETag/Last-Modified caching), HEAD
// (no auth), DELETE (Force for folders), POST (print) and the legacy raw download.

import type { Volume, VolumeNode } from '../model/volume.js';
import type { SimContext } from '../server/context.js';
import { sendContent } from '../server/download.js';
import type { Exchange } from '../server/exchange.js';
import { growEndless } from '../server/endless.js';
import { piError } from './errors.js';
import { renderEntry, renderFolder } from './render.js';

function notFound(ex: Exchange): void {
  piError(ex, 404, 'Not Found', 'File not found.');
}

/** Answers 304 when the client's validators still match the storage. */
function cached(ex: Exchange, volume: Volume): { fresh: boolean; headers: Record<string, string> } {
  const etag = `W/"${volume.changes.toString(16)}-${Math.floor(volume.lastChangeMs / 1000).toString(16)}"`;
  const lastModified = new Date(Math.floor(volume.lastChangeMs / 1000) * 1000).toUTCString();
  const headers = { ETag: etag, 'Last-Modified': lastModified };
  const inm = ex.header('if-none-match');
  if (inm !== undefined) return { fresh: inm === etag, headers };
  const ims = ex.header('if-modified-since');
  const since = ims ? Date.parse(ims) : NaN;
  return { fresh: !Number.isNaN(since) && Math.floor(volume.lastChangeMs / 1000) * 1000 <= since, headers };
}

export function piGetFile(ex: Exchange, volume: Volume, parts: string[], ctx?: SimContext): void {
  const lagKey = `${volume.name}/${parts.join('/')}`;
  const lag = ctx?.lagging.get(lagKey);
  if (lag) {
    // The file list has not caught up with an upload yet: it answers what it held before.
    if (--lag.reads <= 0) ctx?.lagging.delete(lagKey);
    return lag.before === undefined ? notFound(ex) : ex.sendJson(200, lag.before);
  }
  const node = volume.resolve(parts);
  if (!node) return notFound(ex);
  if (ctx && node.kind === 'folder') growEndless(ctx, volume, node);
  const cache = cached(ex, volume);
  if (cache.fresh) return ex.send(304, undefined, cache.headers);
  ex.sendJson(200, node.kind === 'folder' ? renderFolder(volume, node) : renderEntry(volume, node), cache.headers);
}

export function piHeadFile(ctx: SimContext, ex: Exchange, volume: Volume, parts: string[]): void {
  const node = volume.resolve(parts);
  if (!node) return ex.send(404, undefined);
  const printed = node.kind === 'file' && volume === ctx.main && ctx.isBusy(node);
  ex.send(200, undefined, { 'Read-Only': volume.readOnly ? 'True' : 'False', 'Currently-Printed': printed ? 'True' : 'False' });
}

function holdsBusyFile(ctx: SimContext, node: VolumeNode): boolean {
  const busy = ctx.state.busyFile() !== undefined ? ctx.jobNode() : undefined;
  for (let n = busy?.parent; busy && n; n = n.parent) if (n === node) return true;
  return false;
}

export function piDeleteFile(ctx: SimContext, ex: Exchange, volume: Volume, parts: string[]): void {
  if (volume.readOnly) return piError(ex, 409, 'SD Card Read Only', 'SD Card storage is read only.');
  const node = parts.length > 0 ? volume.resolve(parts) : undefined;
  if (!node) return notFound(ex);
  const now = ctx.clock.fileTimestamp();
  if (node.kind === 'folder') {
    if (node.children.size > 0 && ex.header('force') !== '?1') {
      return piError(ex, 409, 'Directory Not Empty', 'Directory is not empty.');
    }
    if (holdsBusyFile(ctx, node)) return piError(ex, 409, 'File Currently Printed', 'File is currently printed.');
    volume.remove(node, now);
    return ex.send(204, undefined);
  }
  if (ctx.isBusy(node)) return piError(ex, 409, 'File Currently Printed', 'File is currently printed.');
  if (ctx.jobNode() === node) ctx.state.closeFinishedJob();
  volume.remove(node, now);
  ex.send(204, undefined);
}

export function piStartPrint(ctx: SimContext, ex: Exchange, volume: Volume, parts: string[]): void {
  const node = volume.resolve(parts);
  if (node?.kind !== 'file' || volume !== ctx.main) return notFound(ex);
  if (!ctx.state.canPrint()) return piError(ex, 409, 'Not Ready', 'Printer is not ready to print.');
  ctx.state.startPrint(volume.pathOf(node));
  ex.send(204, undefined);
}

export function piDownload(ctx: SimContext, ex: Exchange, volume: Volume, parts: string[]): void {
  const node = volume.resolve(parts);
  if (node?.kind !== 'file') return notFound(ex);
  sendContent(ex, volume, node, ctx.sendOptions(ex.rawPath));
}
