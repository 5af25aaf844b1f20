// Upload bodies read from disk: re-openable (a retry or an auth challenge reads the file again),
// never buffered whole, and refused when the file changed since the scan (the length would lie).

import { closeSync, createReadStream, openSync, read, statSync } from 'node:fs';
import type { UploadBody } from '../printer/api.js';
import type { SourceFile } from '../types.js';
import { SourceError } from '../errors.js';

export function fileBody(file: SourceFile): UploadBody {
  return {
    size: file.size,
    open() {
      assertUnchanged(file);
      return createReadStream(file.absPath, { highWaterMark: 64 * 1024 });
    },
    openReader() {
      assertUnchanged(file);
      const fd = openSync(file.absPath, 'r');
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
      return {
        read: (into) =>
          new Promise<number>((resolve, reject) => {
            if (closing) return resolve(0);
            reading = true;
            read(fd, into, 0, into.length, position, (err, n) => {
              reading = false;
              if (closing) closeNow();
              if (err) return reject(err);
              position += n;
              resolve(n);
            });
          }),
        close: () => {
          closing = true;
          if (!reading) closeNow();
        },
      };
    },
  };
}

/** The Content-Length we send is the scanned size: refuse a file that changed since. */
export function assertUnchanged(file: SourceFile): void {
  let now: ReturnType<typeof statSync>;
  try {
    now = statSync(file.absPath);
  } catch (cause) {
    throw new SourceError(`${file.relPath} vanished from the source folder during the sync`, {
      hint: 'run link-sync again once the folder is stable',
      cause,
    });
  }
  if (now.size !== file.size || now.mtimeMs !== file.mtimeMs) {
    throw new SourceError(`${file.relPath} changed in the source folder during the sync`, {
      hint: 'run link-sync again once the file is complete',
    });
  }
}
