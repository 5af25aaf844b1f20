// Buddy 4.4's upload: POST /api/files/local (or /sdcard, or /api/files), multipart. Files go to the
// root of the USB stick whatever `path` says; an existing name is refused (409), never overwritten.

import { hasExtension, isInvalidFatName, stripTrailingDotsAndSpaces } from '../model/fat-names.js';
import type { Transfer } from '../model/printer-state.js';
import type { SimContext } from '../server/context.js';
import type { Exchange } from '../server/exchange.js';
import { buddyError } from '../buddy/errors.js';
import { readFormUpload, type Refusal } from './form-upload.js';
import { boundaryOf } from './multipart.js';
import { LEGACY_BUDDY_EXTENSIONS, legacyBuddyFile } from './render.js';

function exists(ctx: SimContext, name: string): boolean {
  return ctx.main.child(ctx.main.root, stripTrailingDotsAndSpaces(name)) !== undefined;
}

function checkName(ctx: SimContext, name: string): Refusal | undefined {
  const refusal = (status: number, message: string): Refusal => ({ status, title: '', message });
  if (!hasExtension(name, LEGACY_BUDDY_EXTENSIONS)) return refusal(415, 'Not a GCODE');
  if (name.includes('/') || isInvalidFatName(name)) return refusal(400, 'Invalid file name');
  if (exists(ctx, name)) return refusal(409, 'File already exists');
  return undefined;
}

export async function legacyBuddyUpload(ctx: SimContext, ex: Exchange): Promise<void> {
  const lengthHeader = ex.header('content-length');
  if (lengthHeader === undefined || ex.header('transfer-encoding') !== undefined) return buddyError(ex, 411, 'Missing Content-Length');
  const size = Number(lengthHeader);
  const boundary = boundaryOf(ex.header('content-type'));
  if (!Number.isSafeInteger(size) || size <= 0 || !boundary) return buddyError(ex, 400, 'Bad Request');
  if (ctx.state.transfer) return buddyError(ex, 409, 'Another transfer in progress');
  if (!ctx.usbPresent) return buddyError(ex, 507, 'Failed to write to location');
  if (ctx.faults.storageFull()) return buddyError(ex, 507, 'USB drive full');
  let transfer: Transfer | undefined;
  try {
    const result = await readFormUpload(ctx, ex, {
      boundary,
      idleTimeoutMs: ctx.opts.uploadIdleTimeoutMs,
      checkFile: (name) => {
        const refusal = checkName(ctx, name);
        if (refusal) return refusal;
        transfer = ctx.state.beginTransfer({ path: name, storage: 'usb', size, foreign: false, toPrint: false });
        return transfer ? undefined : { status: 409, title: '', message: 'Another transfer in progress' };
      },
      sink: () => ctx.newSink(ctx.main, ctx.nextTempName()),
      onBytes: (total) => {
        if (transfer) transfer.transferred = total;
      },
    });
    if (result.kind === 'refused') return buddyError(ex, result.refusal.status, result.refusal.message);
    if (result.kind === 'incomplete') {
      result.sink?.discard();
      if (result.outcome === 'idle-timeout') return buddyError(ex, 408, 'Request Timeout', { textOnly: true });
      return buddyError(ex, 400, 'Connection closed by client', { textOnly: true });
    }
    // Another upload may have taken the name while this one was arriving.
    if (exists(ctx, result.filename)) {
      result.sink.discard();
      return buddyError(ex, 409, 'File already exists', { textOnly: true });
    }
    const name = stripTrailingDotsAndSpaces(result.filename);
    const node = ctx.main.putFile(ctx.main.root, name, await result.sink.finish(), ctx.clock.fileTimestamp());
    if (result.fields.get('print') === 'true' && ctx.state.canPrint()) ctx.state.startPrint(ctx.main.pathOf(node));
    ex.sendJson(201, legacyBuddyFile(ctx.main, node), {}, { close: true });
  } finally {
    if (transfer) ctx.state.endTransfer(transfer);
  }
}
