// PrusaLink 0.6's upload: POST /api/files/local, multipart. The name is checked when the file part
// starts (400 characters, 415 not G-code, 413 no room, 409 another transfer); the bytes go to
// ".<name>.part"; then the file replaces any file of that name silently, unless it is being printed
// (409), with parents created. 201, with the whole tree when JSON is accepted.

import { hasExtension, PI_PRINT_EXTENSIONS } from '../model/fat-names.js';
import type { Transfer } from '../model/printer-state.js';
import type { FolderNode } from '../model/volume.js';
import { SimContext } from '../server/context.js';
import type { Exchange } from '../server/exchange.js';
import { piError } from '../pi/errors.js';
import { PI_FORBIDDEN, PI_MAX_FOLDER_BYTES, PI_MAX_NAME_BYTES } from '../pi/paths.js';
import { readFormUpload, type Refusal } from './form-upload.js';
import { boundaryOf } from './multipart.js';
import { legacyPiTree } from './render.js';

function refuse(ex: Exchange, r: Refusal): void {
  piError(ex, r.status, r.title, r.message);
}

function checkName(ctx: SimContext, name: string): Refusal | undefined {
  if (PI_FORBIDDEN.test(name) || name.includes('/'))
    return { status: 400, title: 'Forbidden Characters', message: 'Forbidden characters in file name.' };
  if (Buffer.byteLength(name) > PI_MAX_NAME_BYTES)
    return { status: 400, title: 'Filename Too Long', message: 'File name length is too long.' };
  if (name.startsWith('.') || !hasExtension(name, PI_PRINT_EXTENSIONS))
    return { status: 415, title: 'Unsupported Media Type', message: 'Unsupported file type.' };
  if (ctx.faults.storageFull()) return { status: 413, title: 'Entity Too Large', message: 'Not enough space in storage.' };
  return undefined;
}

export async function legacyPiUpload(ctx: SimContext, ex: Exchange, target: string): Promise<void> {
  if (target === 'sdcard') return piError(ex, 409, 'SD Card Read Only', 'SD Card storage is read only.');
  if (target !== 'local') return piError(ex, 404, 'Location Not Found', 'Location not found.');
  const size = Number(ex.header('content-length') ?? 0);
  if (!Number.isSafeInteger(size) || size <= 0) return piError(ex, 411, 'Length Required', 'Missing Content-Length.');
  const boundary = boundaryOf(ex.header('content-type'));
  if (!boundary) return piError(ex, 400, 'Bad Request', 'Expected multipart/form-data.');
  const volume = ctx.main;
  let transfer: Transfer | undefined;
  let partName = '';
  try {
    const result = await readFormUpload(ctx, ex, {
      boundary,
      checkFile: (name) => {
        const refusal = checkName(ctx, name);
        if (refusal) return refusal;
        transfer = ctx.state.beginTransfer({ path: name, storage: volume.name, size, foreign: false, toPrint: false });
        return transfer ? undefined : { status: 409, title: 'Transfer Conflict', message: 'Another transfer in progress.' };
      },
      sink: (name) => {
        partName = `.${name}.part`;
        const stale = volume.child(volume.root, partName);
        if (stale) volume.remove(stale, ctx.clock.fileTimestamp());
        return ctx.newSink(volume, partName);
      },
      onBytes: (total) => {
        if (transfer) transfer.transferred = total;
      },
    });
    if (result.kind === 'refused') return refuse(ex, result.refusal);
    if (result.kind === 'incomplete') {
      // A broken upload leaves its .part file behind, as PrusaLink does.
      if (result.sink) volume.putFile(volume.root, partName, await result.sink.finish(), ctx.clock.fileTimestamp());
      if (result.outcome === 'idle-timeout') return piError(ex, 408, 'Request Timeout', 'Upload timed out.');
      return piError(ex, 400, 'File Size Mismatch', 'File upload not complete.');
    }
    const folder = SimContext.parts(result.fields.get('path') ?? '/');
    if (folder.includes('..') || folder.some((p) => PI_FORBIDDEN.test(p) || Buffer.byteLength(p) > PI_MAX_FOLDER_BYTES)) {
      result.sink.discard();
      return piError(ex, 400, 'Forbidden Characters', 'Forbidden characters in folder name.');
    }
    const parts = [...folder, result.filename];
    if (transfer) transfer.path = parts.join('/');
    const existing = volume.resolve(parts);
    if (existing?.kind === 'file' && ctx.isBusy(existing)) {
      result.sink.discard();
      return piError(ex, 409, 'File Currently Printed', 'File is currently printed.');
    }
    let parent: FolderNode;
    try {
      if (existing?.kind === 'folder') throw new Error('a folder has that name');
      parent = volume.ensureFolder(folder, ctx.clock.fileTimestamp());
    } catch {
      result.sink.discard();
      return piError(ex, 500, 'Internal Server Error', 'Internal server error.');
    }
    const node = volume.putFile(parent, result.filename, await result.sink.finish(), ctx.clock.fileTimestamp());
    if (result.fields.get('print') === 'true' && ctx.state.canPrint()) ctx.state.startPrint(volume.pathOf(node));
    if (!ex.acceptsJson()) return ex.send(201, undefined);
    ex.sendJson(201, { done: true, files: legacyPiTree(ctx.volumes.values()), free: 0, total: 0 });
  } finally {
    if (transfer) ctx.state.endTransfer(transfer);
  }
}
