// Rebuilds a volume from the files already in its disk folder, so a restarted farm keeps its files.

import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FolderNode, Volume } from './volume.js';

function hashFile(path: string): string {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(path, 'r');
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

export function loadFromDisk(volume: Volume): void {
  if (!volume.diskRoot) return;
  const walk = (dir: string, folder: FolderNode): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, entry.name);
      // On FAT two names that differ only in case are one file: keep the first one seen.
      if (volume.child(folder, entry.name)) continue;
      const st = statSync(abs);
      const mTimestamp = volume.fat ? Math.floor(st.mtimeMs / 2000) * 2 : Math.floor(st.mtimeMs / 1000);
      if (entry.isDirectory()) walk(abs, volume.mkdir(folder, entry.name, mTimestamp));
      else if (entry.isFile()) volume.putFile(folder, entry.name, { size: st.size, sha256: hashFile(abs), diskPath: abs }, mTimestamp);
    }
  };
  walk(volume.diskRoot, volume.root);
}
