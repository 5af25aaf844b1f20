// SHA-256 of local files, streamed (never a whole file in memory): for the record's change test, and
// on the fly while an upload reads the file, so uploading costs no second read.

import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { Transform } from 'node:stream';
import type { UploadBody } from '../printer/api.js';
import type { SourceFile } from '../types.js';
import { createLimiter, type Limiter } from '../source/limit.js';

const CHUNK = 256 * 1024;

/**
 * Hashes the file as scanned. Resolves undefined when it cannot be read or changed since the scan
 * (size or mtime differ before or after reading): a hash of other content than the scan saw would
 * make the record lie. The caller then treats the file as changed, and its upload reports why.
 */
export async function hashSourceFile(file: SourceFile): Promise<string | undefined> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(file.absPath, 'r');
    const before = await handle.stat();
    if (before.size !== file.size || before.mtimeMs !== file.mtimeMs) return undefined;
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(CHUNK);
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, total);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      total += bytesRead;
    }
    const after = await handle.stat();
    if (total !== file.size || after.size !== file.size || after.mtimeMs !== file.mtimeMs) return undefined;
    return hash.digest('hex');
  } catch {
    return undefined;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Hashes shared by every printer of a run: a file is read once however many printers need it. */
export class HashCache {
  /** Files actually read (for --verbose and tests). */
  filesRead = 0;
  private readonly pending = new Map<string, Promise<string | undefined>>();
  private readonly limit: Limiter;

  constructor(concurrency = 4) {
    this.limit = createLimiter(concurrency);
  }

  get(file: SourceFile): Promise<string | undefined> {
    const id = `${file.absPath}\0${file.size}\0${file.mtimeMs}`;
    let promise = this.pending.get(id);
    if (!promise) {
      promise = this.limit(() => {
        this.filesRead++;
        return hashSourceFile(file);
      });
      this.pending.set(id, promise);
    }
    return promise;
  }

  /** Hashes of many files, by relPath; files that could not be hashed are left out. `onEach`: one more file done. */
  async getAll(files: readonly SourceFile[], onEach?: () => void): Promise<Map<string, string>> {
    const hashes = new Map<string, string>();
    await Promise.all(
      files.map(async (file) => {
        const digest = await this.get(file);
        if (digest !== undefined) hashes.set(file.relPath, digest);
        onEach?.();
      }),
    );
    return hashes;
  }
}

export interface HashingBody extends UploadBody {
  /** SHA-256 of the last opening read to its end; undefined until one was. */
  sha256(): string | undefined;
}

/**
 * Wraps an upload body so that each opening hashes the bytes as they are sent. The hash is complete
 * as soon as the last of `size` bytes passes, not at the stream's end: the printer may confirm the
 * upload before the file's end-of-data is even read.
 */
export function hashingBody(body: UploadBody): HashingBody {
  let digest: string | undefined;
  const openInner = body.openReader?.bind(body);
  return {
    size: body.size,
    open() {
      digest = undefined;
      const source = body.open();
      const hash = createHash('sha256');
      let seen = 0;
      let spoiled = false;
      const tap = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          if (!spoiled) {
            seen += chunk.length;
            // More bytes than announced: the upload fails on its length, and no hash may claim it.
            if (seen > body.size) [spoiled, digest] = [true, undefined];
            else {
              hash.update(chunk);
              if (seen === body.size) digest = hash.digest('hex');
            }
          }
          done(null, chunk);
        },
        flush(done) {
          if (!spoiled && seen === 0 && body.size === 0) digest = hash.digest('hex');
          done();
        },
      });
      source.on('error', (error) => tap.destroy(error));
      tap.on('close', () => source.destroy());
      return source.pipe(tap);
    },
    ...(openInner
      ? {
          openReader() {
            digest = undefined;
            const reader = openInner();
            const hash = createHash('sha256');
            let seen = 0;
            let spoiled = false;
            return {
              // Hashes the bytes as they are read, before the caller reuses the buffer.
              async read(into: Buffer) {
                const n = await reader.read(into);
                if (spoiled) return n;
                if (n === 0) {
                  if (seen === 0 && body.size === 0 && digest === undefined) digest = hash.digest('hex');
                  return n;
                }
                seen += n;
                if (seen > body.size) [spoiled, digest] = [true, undefined];
                else {
                  hash.update(into.subarray(0, n));
                  if (seen === body.size) digest = hash.digest('hex');
                }
                return n;
              },
              close: () => reader.close(),
            };
          },
        }
      : {}),
    sha256: () => digest,
  };
}
