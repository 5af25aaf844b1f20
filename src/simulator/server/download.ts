// Sends a stored file's bytes, from memory or streamed from disk.

import { createReadStream } from 'node:fs';
import type { FileNode, Volume } from '../model/volume.js';
import type { Exchange } from './exchange.js';

export function sendContent(ex: Exchange, volume: Volume, node: FileNode): void {
  const headers = { 'Content-Type': 'application/octet-stream' };
  if (node.data) return ex.send(200, node.data, headers);
  if (!volume.diskRoot) {
    return ex.send(500, 'The simulator keeps no content for this printer (keepContent: false)\n', { 'Content-Type': 'text/plain' });
  }
  const stream = createReadStream(volume.diskPathOf(node));
  stream.once('error', () => ex.send(404, undefined));
  stream.once('open', () => {
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
    stream.pipe(res);
  });
}
