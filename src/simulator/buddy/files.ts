// Buddy's file endpoints other than upload: listing, single-file GET, HEAD, DELETE, POST (print),
// and the raw download under /usb/. GET-style paths go through a 104-byte buffer after the last
// name is shortened, so over-long folder paths are cut (404 or a wrong match, as on the printer).

import { makeShortName, stripTrailingDotsAndSpaces } from '../model/fat-names.js';
import type { FolderNode, VolumeNode } from '../model/volume.js';
import { growEndless } from '../server/endless.js';
import { SimContext } from '../server/context.js';
import { sendContent } from '../server/download.js';
import type { Exchange } from '../server/exchange.js';
import { buddyError } from './errors.js';
import { BUDDY_MAX_PATH_BYTES, splitBuddyPath, truncateUtf8, utf8Length } from './paths.js';
import { folderEtag, isListed, renderChild, renderFile, renderFolderHead, renderPartial } from './render.js';

/** Resolves names as the GET/HEAD/DELETE handlers see them. */
export function lookupBuddy(ctx: SimContext, parts: readonly string[]): VolumeNode | undefined {
  const volume = ctx.main;
  let names = parts;
  if (utf8Length('/usb/' + parts.join('/')) > BUDDY_MAX_PATH_BYTES && parts.length > 0) {
    const last = parts[parts.length - 1] ?? '';
    const parent = volume.resolve(parts.slice(0, -1).map(stripTrailingDotsAndSpaces));
    const hit = parent?.kind === 'folder' ? volume.child(parent, stripTrailingDotsAndSpaces(last)) : undefined;
    const cut = truncateUtf8('/usb/' + [...parts.slice(0, -1), hit ? hit.short : last].join('/'), BUDDY_MAX_PATH_BYTES);
    names = splitBuddyPath(cut.slice(1)).parts;
  }
  return volume.resolve(names.map(stripTrailingDotsAndSpaces));
}

function listFolder(ctx: SimContext, ex: Exchange, folder: FolderNode): void {
  const volume = ctx.main;
  const etag = folderEtag(volume, volume.pathOf(folder), ctx.usbPresent);
  if (ex.header('if-none-match') === etag) return ex.send(304, undefined, { ETag: etag });
  const children: Record<string, unknown>[] = [];
  if (ctx.usbPresent) {
    for (const child of folder.children.values()) if (isListed(child)) children.push(renderChild(volume, child));
    const partial = partialIn(ctx, folder);
    if (partial) children.push(partial);
  }
  ex.sendJson(200, { ...renderFolderHead(folder), children }, { ETag: etag });
}

/** A foreign (Connect) download shows in its folder as a read-only file without a download ref. */
function partialIn(ctx: SimContext, folder: FolderNode): Record<string, unknown> | undefined {
  const t = ctx.state.transfer;
  if (!t?.foreign || !t.path) return undefined;
  const parts = SimContext.parts(t.path);
  const name = parts[parts.length - 1] ?? '';
  if (ctx.main.resolve(parts.slice(0, -1)) !== folder || ctx.main.child(folder, name)) return undefined;
  const short = makeShortName(name, (s) => folder.shorts?.has(s) === true) ?? name;
  return renderPartial(short, name, ctx.clock.fileTimestamp());
}

export function buddyGetFile(ctx: SimContext, ex: Exchange, parts: string[]): void {
  if (!ctx.usbPresent && parts.length === 0) return listFolder(ctx, ex, ctx.main.root);
  const node = ctx.usbPresent ? lookupBuddy(ctx, parts) : undefined;
  if (!node) return buddyError(ex, 404, 'File not found');
  if (node.kind === 'folder') {
    growEndless(ctx, ctx.main, node);
    return listFolder(ctx, ex, node);
  }
  ex.sendJson(200, renderFile(ctx.main, node));
}

export function buddyHeadFile(ctx: SimContext, ex: Exchange, parts: string[]): void {
  const node = ctx.usbPresent ? lookupBuddy(ctx, parts) : undefined;
  if (!node) return ex.send(404, undefined);
  const printing = node.kind === 'file' && ctx.isBusy(node);
  ex.send(200, undefined, { 'Read-Only': 'false', 'Currently-Printing': printing ? 'true' : 'false' });
}

export function buddyDeleteFile(ctx: SimContext, ex: Exchange, parts: string[]): void {
  const volume = ctx.main;
  const node = ctx.usbPresent && parts.length > 0 ? lookupBuddy(ctx, parts) : undefined;
  if (!node) {
    const t = ctx.state.transfer;
    if (t?.foreign && ctx.usbPresent && volume.key(t.path) === volume.key(parts.join('/'))) {
      return buddyError(ex, 409, 'File is being transferred');
    }
    return buddyError(ex, 404, 'File not found');
  }
  const now = ctx.clock.fileTimestamp();
  if (node.kind === 'folder') {
    // FatFS refuses a non-empty folder with FR_DENIED, which the firmware reports as 404.
    if (node.children.size > 0) return buddyError(ex, 404, 'Not Found');
    volume.remove(node, now);
    return ex.send(204, undefined);
  }
  if (ctx.isBusy(node)) return buddyError(ex, 409, 'File is busy');
  if (ctx.jobNode() === node) ctx.state.closeFinishedJob();
  volume.remove(node, now);
  ex.send(204, undefined);
}

/** POST on a file starts printing it when the printer can. */
export function buddyStartPrint(ctx: SimContext, ex: Exchange, parts: string[]): void {
  const node = ctx.usbPresent ? lookupBuddy(ctx, parts) : undefined;
  if (node?.kind !== 'file') return buddyError(ex, 404, 'File not found');
  if (!ctx.state.canPrint()) return buddyError(ex, 409, "Can't print right now");
  ctx.state.startPrint(ctx.main.pathOf(node));
  ex.send(204, undefined);
}

/** GET /usb/<path>: the file's bytes. */
export function buddyDownload(ctx: SimContext, ex: Exchange, parts: string[]): void {
  const node = ctx.usbPresent ? lookupBuddy(ctx, parts) : undefined;
  if (node?.kind !== 'file') return buddyError(ex, 404, 'File not found');
  sendContent(ex, ctx.main, node, ctx.sendOptions(ex.rawPath));
}
