// Pi PrusaLink's PUT: checks before the body (400 names, 415 type, 411 length, 409 exists, 500
// busy slot), parents created first, the body streamed into ".<name>.part" in the storage root,
// then an atomic replace (even of the printed file) and 201 with an empty body. A broken upload
// leaves the .part file behind; one that does not fit in the free space is a 500 after its body.

import type { FolderNode, Volume } from '../model/volume.js';
import { readBody } from '../server/body.js';
import type { SimContext } from '../server/context.js';
import type { Exchange } from '../server/exchange.js';
import { piError } from './errors.js';
import { piFreeSpace } from './info.js';
import { renderEntry } from './render.js';
import { PI_FORBIDDEN, PI_MAX_FOLDER_BYTES, PI_MAX_NAME_BYTES } from './paths.js';

const CONTENT_TYPES = ['application/octet-stream', 'text/x.gcode'];

function internal(ex: Exchange): void {
  piError(ex, 500, 'Internal Server Error', 'Internal server error.');
}

export function piCreateFolder(ctx: SimContext, ex: Exchange, volume: Volume, parts: string[]): void {
  try {
    volume.ensureFolder(parts, ctx.clock.fileTimestamp());
  } catch {
    return internal(ex);
  }
  ex.send(201, undefined);
}

export async function piUpload(ctx: SimContext, ex: Exchange, volume: Volume, parts: string[]): Promise<void> {
  if (volume.readOnly) return piError(ex, 409, 'SD Card Read Only', 'SD Card storage is read only.');
  const name = parts[parts.length - 1];
  if (name === undefined || parts.some((p) => PI_FORBIDDEN.test(p))) {
    return piError(ex, 400, 'Forbidden Characters', 'Forbidden characters in file name.');
  }
  if (ex.header('create-folder') === '?1') return piCreateFolder(ctx, ex, volume, parts);
  const mediaType = (ex.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!CONTENT_TYPES.includes(mediaType)) return piError(ex, 415, 'Unsupported Media Type', 'Unsupported Content-Type.');
  const size = Number(ex.header('content-length') ?? 0);
  if (!Number.isSafeInteger(size) || size <= 0) return piError(ex, 411, 'Length Required', 'Missing Content-Length.');
  const overwrite = ex.header('overwrite') === '?1';
  const existing = volume.resolve(parts);
  if (existing && (!overwrite || existing.kind === 'folder')) return piError(ex, 409, 'File Already Exists', 'File already exists.');
  // The SDK raises plain exceptions for these, which the web layer turns into 500.
  if (ctx.state.transfer) return internal(ex);
  if (Buffer.byteLength(name) > PI_MAX_NAME_BYTES || parts.slice(0, -1).some((p) => Buffer.byteLength(p) > PI_MAX_FOLDER_BYTES)) {
    return internal(ex);
  }
  let parent: FolderNode;
  try {
    parent = volume.ensureFolder(parts.slice(0, -1), ctx.clock.fileTimestamp());
  } catch {
    return internal(ex);
  }
  const toPrint = ['?1', 'true', '1'].includes(ex.header('print-after-upload') ?? '');
  const transfer = ctx.state.beginTransfer({ path: parts.join('/'), storage: volume.name, size, foreign: false, toPrint });
  if (!transfer) return internal(ex);
  const partName = `.${name}.part`;
  const stale = volume.child(volume.root, partName);
  if (stale) volume.remove(stale, ctx.clock.fileTimestamp());
  const sink = ctx.newSink(volume, partName);
  try {
    const outcome = await readBody(ex.req, {
      rateBytesPerSec: ctx.opts.rateBytesPerSec,
      fault: ctx.faults.body(),
      stallGiveUpMs: ctx.opts.uploadIdleTimeoutMs,
      onChunk: (chunk, total) => {
        transfer.transferred = total;
        ex.entry.bytesIn = total;
        return sink.write(chunk);
      },
      drained: () => sink.drained(),
    });
    const content = await sink.finish();
    const complete = outcome === 'complete' && content.size >= size;
    if (complete) ex.bodyConsumed = true;
    // No space check before the body: a file that does not fit fails as it is written, in a 500.
    if (!complete || content.size > piFreeSpace(ctx)) {
      volume.putFile(volume.root, partName, content, ctx.clock.fileTimestamp());
      if (!complete) return piError(ex, 400, 'File Upload Failed', 'File upload failed.');
      return internal(ex);
    }
    const lag = ctx.faults.fileListLag();
    if (lag !== undefined && lag > 0) {
      const old = existing?.kind === 'file' ? renderEntry(volume, existing) : undefined;
      ctx.lagging.set(`${volume.name}/${parts.join('/')}`, { before: old, reads: lag });
    }
    const node = volume.putFile(parent, name, content, ctx.clock.fileTimestamp());
    if (toPrint && ctx.state.canPrint()) ctx.state.startPrint(volume.pathOf(node));
    ex.send(201, undefined);
  } catch (err) {
    sink.discard();
    throw err;
  } finally {
    ctx.state.endTransfer(transfer);
  }
}
