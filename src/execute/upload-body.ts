// Upload bodies read from disk: re-openable (a retry or an auth challenge reads the file again),
// never buffered whole, and refused when the file changed since the scan (the length would lie) or
// while it was being sent (the printer would get a mix of two versions).

import { closeSync, fstat, fstatSync, openSync, read, type Stats } from 'node:fs';
import { Readable } from 'node:stream';
import type { BodyReader, UploadBody } from '../printer/api.js';
import type { SourceFile } from '../types.js';
import { SourceError } from '../errors.js';

/** Bytes read at a time when the body is streamed (the legacy multipart upload). */
const STREAM_CHUNK = 64 * 1024;

export function fileBody(file: SourceFile): UploadBody {
  const openReader = (): BodyReader => readerOf(file);
  return {
    size: file.size,
    open() {
      const reader = openReader();
      return Readable.from(chunksOf(reader), { objectMode: false });
    },
    openReader,
  };
}

async function* chunksOf(reader: BodyReader): AsyncGenerator<Buffer> {
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(STREAM_CHUNK);
      const n = await reader.read(buffer);
      if (n === 0) return;
      yield buffer.subarray(0, n);
    }
  } finally {
    reader.close();
  }
}

/**
 * Reads the file from its start. Before the read that completes the scanned size is handed over,
 * the open file is looked at again: a file rewritten in place while it was sent (same size, new
 * content) fails here, and the printer never gets the last bytes of a mixed file.
 */
function readerOf(file: SourceFile): BodyReader {
  const fd = openSource(file);
  let opened: Stats;
  try {
    opened = fstatSync(fd);
    // The Content-Length we send is the scanned size: refuse a file that changed since the scan.
    if (opened.size !== file.size || opened.mtimeMs !== file.mtimeMs) throw changedError(file);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  let position = 0;
  let reading = false;
  let closing = false;
  let closed = false;
  // The descriptor is closed only once no read is using it: a number reused mid-read would be read.
  const closeNow = (): void => {
    if (closed) return;
    closed = true;
    closeSync(fd);
  };
  const settle = (): void => {
    reading = false;
    if (closing) closeNow();
  };
  return {
    read: (into) =>
      new Promise<number>((resolve, reject) => {
        if (closing) return resolve(0);
        reading = true;
        read(fd, into, 0, into.length, position, (err, n) => {
          if (err || closing) {
            settle();
            return err ? reject(err) : resolve(0);
          }
          position += n;
          if (position < file.size || n === 0) {
            settle();
            return resolve(n);
          }
          fstat(fd, (statErr, now) => {
            settle();
            if (statErr) return reject(statErr);
            if (changedWhileOpen(file, opened, now)) return reject(changedError(file));
            resolve(n);
          });
        });
      }),
    close: () => {
      closing = true;
      if (!reading) closeNow();
    },
  };
}

/** Any write since the file was opened moves its ctime, which no tool can set back. */
function changedWhileOpen(file: SourceFile, opened: Stats, now: Stats): boolean {
  return now.size !== file.size || now.mtimeMs !== file.mtimeMs || now.ctimeMs !== opened.ctimeMs;
}

function changedError(file: SourceFile): SourceError {
  return new SourceError(`${file.relPath} changed in the source folder during the sync`, {
    hint: 'run link-sync again once the file is complete',
  });
}

/** Opens the file to send; one gone since the scan says so. */
function openSource(file: SourceFile): number {
  try {
    return openSync(file.absPath, 'r');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw cause;
    throw new SourceError(`${file.relPath} vanished from the source folder during the sync`, {
      hint: 'run link-sync again once the folder is stable',
      cause,
    });
  }
}
