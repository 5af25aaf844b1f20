// Where an upload body goes while it arrives: memory, a temp file on disk, or only a running hash.
// Hashing is incremental so a 1 GB upload never sits in memory just to be hashed.

import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { StoredContent } from './volume.js';

export type SinkMode = { kind: 'memory' } | { kind: 'hash' } | { kind: 'disk'; tempPath: string };

export class UploadSink {
  private readonly hash: Hash = createHash('sha256');
  private readonly chunks: Buffer[] = [];
  private readonly stream: WriteStream | undefined;
  private streamError: Error | undefined;
  size = 0;

  constructor(private readonly mode: SinkMode) {
    if (mode.kind === 'disk') {
      mkdirSync(dirname(mode.tempPath), { recursive: true });
      this.stream = createWriteStream(mode.tempPath);
      this.stream.on('error', (err) => {
        this.streamError = err;
      });
    }
  }

  /** False when the caller should wait for `drained()` before writing more. */
  write(chunk: Buffer): boolean {
    this.size += chunk.length;
    this.hash.update(chunk);
    if (this.mode.kind === 'memory') {
      this.chunks.push(chunk);
      return true;
    }
    return this.stream ? this.stream.write(chunk) : true;
  }

  drained(): Promise<void> {
    const stream = this.stream;
    if (!stream?.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        stream.off('drain', done);
        stream.off('error', done);
        resolve();
      };
      stream.on('drain', done);
      stream.on('error', done);
    });
  }

  /** Closes the temp file and describes what was written. */
  async finish(): Promise<StoredContent> {
    const sha256 = this.hash.digest('hex');
    if (this.stream) {
      const stream = this.stream;
      await new Promise<void>((resolve, reject) => {
        if (this.streamError) return reject(this.streamError);
        stream.end(() => (this.streamError ? reject(this.streamError) : resolve()));
      });
      return { size: this.size, sha256, diskPath: (this.mode as { tempPath: string }).tempPath };
    }
    const content: StoredContent = { size: this.size, sha256 };
    if (this.mode.kind === 'memory') content.data = Buffer.concat(this.chunks, this.size);
    this.chunks.length = 0;
    return content;
  }

  /** Drops everything written (Buddy deletes its temp file on any failure). */
  discard(): void {
    this.chunks.length = 0;
    if (this.stream && this.mode.kind === 'disk') {
      const path = this.mode.tempPath;
      // The file may still be opening; remove it again once the stream has closed.
      this.stream.once('close', () => rmSync(path, { force: true }));
      this.stream.destroy();
      rmSync(path, { force: true });
    }
  }
}
