// Streams a download's answer into a sink with backpressure, and tells a body cut short from a
// complete one: fewer bytes than Content-Length is a lost connection, never a finished file. More
// bytes than the listing gave stop the download at once: a broken printer must not fill the disk.

import type { IncomingMessage } from 'node:http';
import type { DownloadSink } from './api.js';
import { DownloadTooLarge, ReceiveFailure, TransportFailure } from './transport.js';

/** Reads the whole body into a freshly opened sink; resolves the byte count. Given `expectedBytes`,
 * no byte past it is written. */
export async function receiveBody(
  res: IncomingMessage,
  open: () => DownloadSink,
  onBytes?: (received: number) => void,
  expectedBytes?: number,
): Promise<number> {
  const announced = Number(res.headers['content-length']);
  if (expectedBytes !== undefined && res.headers['content-length'] !== undefined && announced > expectedBytes) {
    res.destroy();
    throw new DownloadTooLarge(expectedBytes, announced, true);
  }
  let sink: DownloadSink;
  try {
    sink = open();
  } catch (err) {
    res.destroy();
    throw new ReceiveFailure(err);
  }
  let bytes = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      if (expectedBytes !== undefined && bytes + chunk.length > expectedBytes) {
        throw new DownloadTooLarge(expectedBytes, bytes + chunk.length, false);
      }
      try {
        await sink.write(chunk);
      } catch (err) {
        throw new ReceiveFailure(err);
      }
      bytes += chunk.length;
      onBytes?.(bytes);
    }
    if (res.headers['content-length'] !== undefined && Number.isFinite(announced) && bytes !== announced) {
      throw new TransportFailure(`download cut short after ${bytes} of ${announced} bytes`, 'ECONNRESET', true, false, 0);
    }
    try {
      await sink.close();
    } catch (err) {
      throw new ReceiveFailure(err);
    }
    return bytes;
  } catch (err) {
    res.destroy();
    await sink.abort().catch(() => undefined);
    // A body that ended early surfaces as an 'aborted' error without a code: call it a reset.
    if (!(err instanceof ReceiveFailure) && !(err instanceof TransportFailure) && !(err instanceof DownloadTooLarge)) {
      const code = (err as NodeJS.ErrnoException).code ?? 'ECONNRESET';
      throw new TransportFailure(`download cut short after ${bytes} bytes (${code})`, code, true, false, 0, { cause: err });
    }
    throw err;
  }
}
