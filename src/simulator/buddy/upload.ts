// Buddy's PUT: Create-Folder, then the upload sequence of the firmware. Before the body: length,
// the single transfer slot, pre-allocation (507). At the first body bytes: name checks. After the
// last byte: parents, overwrite as delete-then-rename, 201 with the file JSON. Any failure drops
// the temp file and leaves the target untouched.

import { BUDDY_PRINT_EXTENSIONS, hasExtension, isInvalidFatName, stripTrailingDotsAndSpaces } from '../model/fat-names.js';
import type { FileNode, FolderNode, StoredContent } from '../model/volume.js';
import { readBody } from '../server/body.js';
import type { SimContext } from '../server/context.js';
import type { Exchange } from '../server/exchange.js';
import { buddyError } from './errors.js';
import { BUDDY_MAX_PATH_BYTES, splitBuddyPath, truncateUtf8 } from './paths.js';
import { renderFile } from './render.js';

interface Failure {
  status: number;
  message: string;
}

const strip = stripTrailingDotsAndSpaces;

/** The path as the firmware's 104-byte PutParams.filepath holds it. */
function putParts(parts: readonly string[]): string[] {
  const full = truncateUtf8('/usb/' + parts.join('/'), BUDDY_MAX_PATH_BYTES);
  return splitBuddyPath(full.slice(1)).parts;
}

export function buddyCreateFolder(ctx: SimContext, ex: Exchange, parts: string[]): void {
  const p = putParts(parts);
  const name = p[p.length - 1];
  if (!ctx.usbPresent || name === undefined || isInvalidFatName(name)) return buddyError(ex, 500, 'Error creating directory');
  const parent = ctx.main.resolve(p.slice(0, -1).map(strip));
  if (parent?.kind !== 'folder') return buddyError(ex, 500, 'Error creating directory');
  if (ctx.main.child(parent, strip(name))) return buddyError(ex, 409, 'Already exists');
  ctx.main.mkdir(parent, strip(name), ctx.clock.fileTimestamp());
  ex.send(201, undefined);
}

/** Step 2: checks made when the first body bytes arrive; skipped below a missing folder. */
function checkTarget(ctx: SimContext, p: readonly string[], overwrite: boolean): Failure | undefined {
  const name = p[p.length - 1];
  if (name === undefined || !hasExtension(name, BUDDY_PRINT_EXTENSIONS)) return { status: 415, message: 'Not a GCODE' };
  let folder: FolderNode = ctx.main.root;
  for (const part of p.slice(0, -1)) {
    const next = ctx.main.child(folder, strip(part));
    if (!next) return undefined;
    if (next.kind === 'file') return { status: 409, message: 'Conflicting upload path' };
    folder = next;
  }
  const existing = ctx.main.child(folder, strip(name));
  if (!existing) return undefined;
  if (!overwrite || existing.kind === 'folder') return { status: 409, message: 'File already exists' };
  if (ctx.isBusy(existing)) return { status: 409, message: 'File is busy' };
  return undefined;
}

export async function buddyUpload(ctx: SimContext, ex: Exchange, parts: string[]): Promise<void> {
  const lengthHeader = ex.header('content-length');
  if (lengthHeader === undefined || ex.header('transfer-encoding') !== undefined) return buddyError(ex, 411, 'Missing Content-Length');
  const size = Number(lengthHeader);
  if (!Number.isSafeInteger(size) || size < 0) return buddyError(ex, 400, 'Bad Content-Length');
  if (size === 0) return buddyError(ex, 501, "0-sized files aren't implemented");
  if (ctx.state.transfer) return buddyError(ex, 409, 'Another transfer in progress');
  if (!ctx.usbPresent) return buddyError(ex, 507, 'Failed to write to location');
  if (ctx.faults.storageFull()) return buddyError(ex, 507, 'USB drive full');

  const p = putParts(parts);
  const overwrite = ex.header('overwrite') === '?1';
  const toPrint = ['true', '1', '?1'].includes(ex.header('print-after-upload') ?? '');
  const transfer = ctx.state.beginTransfer({ path: p.join('/'), storage: 'usb', size, foreign: false, toPrint });
  if (!transfer) return buddyError(ex, 409, 'Another transfer in progress');
  const mTimestamp = ctx.clock.fileTimestamp(); // the temp file's entry is written at upload start
  const sink = ctx.newSink(ctx.main, ctx.nextTempName());
  try {
    let failure: Failure | undefined;
    const outcome = await readBody(ex.req, {
      rateBytesPerSec: ctx.opts.rateBytesPerSec,
      fault: ctx.faults.body(),
      idleTimeoutMs: ctx.opts.uploadIdleTimeoutMs,
      stallGiveUpMs: ctx.opts.uploadIdleTimeoutMs,
      onChunk: (chunk, total) => {
        if (total === chunk.length) {
          failure = checkTarget(ctx, p, overwrite);
          if (failure) return 'stop';
        }
        transfer.transferred = total;
        ex.entry.bytesIn = total;
        return sink.write(chunk);
      },
      drained: () => sink.drained(),
    });
    if (outcome === 'stopped' && failure) {
      sink.discard();
      return buddyError(ex, failure.status, failure.message);
    }
    if (outcome === 'idle-timeout') {
      sink.discard();
      return buddyError(ex, 408, 'Request Timeout', { textOnly: true });
    }
    if (outcome !== 'complete' || sink.size < size) {
      sink.discard();
      return buddyError(ex, 400, outcome === 'complete' ? 'Truncated body' : 'Connection closed by client', { textOnly: true });
    }
    ex.bodyConsumed = true;
    const content = await sink.finish();
    const result = commit(ctx, p, overwrite, content, mTimestamp);
    if ('status' in result) {
      sink.discard();
      return buddyError(ex, result.status, result.message, { textOnly: true });
    }
    if (toPrint) {
      if (!ctx.state.canPrint()) return buddyError(ex, 409, "Can't print right now", { textOnly: true });
      ctx.state.startPrint(ctx.main.pathOf(result.node));
    }
    ex.sendJson(201, renderFile(ctx.main, result.node), {}, { close: true });
  } catch (err) {
    sink.discard();
    throw err;
  } finally {
    ctx.state.endTransfer(transfer);
  }
}

/** Step 4: parents, then (with overwrite) delete the old file, then rename the temp file into place. */
function commit(
  ctx: SimContext,
  p: readonly string[],
  overwrite: boolean,
  content: StoredContent,
  mTimestamp: number,
): Failure | { node: FileNode } {
  if (!ctx.usbPresent) return { status: 507, message: 'Failed to write to location' };
  const volume = ctx.main;
  const folders = p.slice(0, -1);
  const name = p[p.length - 1] ?? '';
  if (folders.some(isInvalidFatName)) return { status: 404, message: 'Destination directory does not exist' };
  let parent: FolderNode;
  try {
    parent = volume.ensureFolder(folders.map(strip), ctx.clock.fileTimestamp());
  } catch {
    return { status: 404, message: 'Destination directory does not exist' };
  }
  if (isInvalidFatName(name)) return { status: 404, message: 'Destination directory does not exist' };
  const existing = volume.child(parent, strip(name));
  if (existing) {
    if (!overwrite || existing.kind === 'folder') return { status: 409, message: 'File already exists' };
    if (ctx.isBusy(existing)) return { status: 409, message: 'File is busy' };
  }
  try {
    return { node: volume.putFile(parent, strip(name), content, mTimestamp) };
  } catch {
    return { status: 422, message: 'Filename contains invalid characters' };
  }
}
