// Sends a stored file's bytes, from memory or streamed from disk, at the printer's rate when it has
// one, and cut short by the cut-download fault (the socket dies after N bytes).

import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { FileNode, Volume } from '../model/volume.js';
import type { Exchange } from './exchange.js';

export interface SendOptions {
  /** Bytes per second; undefined: as fast as the socket takes them. */
  rateBytesPerSec?: number | undefined;
  /** Destroy the connection after this many body bytes. */
  cutAfterBytes?: number | undefined;
}

export function sendContent(ex: Exchange, volume: Volume, node: FileNode, opts: SendOptions = {}): void {
  const headers = { 'Content-Type': 'application/octet-stream' };
  const paced = opts.rateBytesPerSec !== undefined || opts.cutAfterBytes !== undefined;
  if (node.data && !paced) return ex.send(200, node.data, headers);
  if (!node.data && !volume.diskRoot) {
    return ex.send(500, 'The simulator keeps no content for this printer (keepContent: false)\n', { 'Content-Type': 'text/plain' });
  }
  const start = (stream: Readable): void => {
    const res = ex.res;
    res.statusCode = 200;
    res.setHeader('Content-Type', headers['Content-Type']);
    res.setHeader('Content-Length', node.size);
    if (ex.closesAfterEvery) res.setHeader('Connection', 'close');
    if (ex.method === 'HEAD') {
      stream.destroy();
      res.end();
      return;
    }
    ex.entry.bytesOut = 0;
    if (!paced) return void stream.pipe(res);
    void pace(ex, stream, opts);
  };
  if (node.data) return start(memoryStream(node.data));
  const stream = createReadStream(volume.diskPathOf(node));
  stream.once('error', () => ex.send(404, undefined));
  stream.once('open', () => start(stream));
}

/** The bytes in 16 KiB slices, so pacing has chunks to pace. */
function memoryStream(data: Buffer): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += 16_384) chunks.push(data.subarray(i, i + 16_384));
  return Readable.from(chunks, { objectMode: false });
}

/** Writes the body chunk by chunk, holding each until the rate allows it; cuts the socket when told. */
async function pace(ex: Exchange, stream: Readable, opts: SendOptions): Promise<void> {
  const res = ex.res;
  const began = Date.now();
  let sent = 0;
  try {
    for await (const raw of stream) {
      let chunk = raw as Buffer;
      if (res.destroyed) break;
      if (opts.cutAfterBytes !== undefined && sent + chunk.length >= opts.cutAfterBytes) {
        chunk = chunk.subarray(0, Math.max(0, opts.cutAfterBytes - sent));
        if (chunk.length > 0) await write(res, chunk);
        sent += chunk.length;
        ex.entry.bytesOut = sent;
        // Let the bytes reach the client, then drop the connection mid-body.
        setTimeout(() => ex.req.socket.destroy(), 20);
        stream.destroy();
        return;
      }
      if (opts.rateBytesPerSec) {
        const due = began + ((sent + chunk.length) / opts.rateBytesPerSec) * 1000;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      if (res.destroyed) break;
      await write(res, chunk);
      sent += chunk.length;
      ex.entry.bytesOut = sent;
    }
    res.end();
  } catch {
    res.destroy();
  } finally {
    stream.destroy();
  }
}

function write(res: Exchange['res'], chunk: Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (res.write(chunk)) resolve();
    else {
      const done = (): void => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    }
  });
}
