// Upload bodies read from disk: re-openable (a retry or an auth challenge reads the file again),
// never buffered whole, and refused when the file changed since the scan (the length would lie).

import { createReadStream, statSync } from 'node:fs';
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
  };
}

/** The Content-Length we send is the scanned size: refuse a file that changed since. */
export function assertUnchanged(file: SourceFile): void {
  let now;
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
