// Master folders generated at run time: random (incompressible) print files, written in chunks so a
// 1 GB file never sits in memory, and a nested tree of many small files.

import { randomFillSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const CHUNK = 4 * 1024 * 1024;

/** Writes `size` random bytes to `path`, one 4 MiB chunk at a time. */
export async function writeRandomFile(path: string, size: number): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const handle = await open(path, 'w');
  try {
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK, size));
    for (let written = 0; written < size; ) {
      const n = Math.min(buffer.length, size - written);
      randomFillSync(buffer, 0, n);
      await handle.write(buffer, 0, n);
      written += n;
    }
  } finally {
    await handle.close();
  }
}

export interface TreeShape {
  topFolders: number;
  subFolders: number;
  filesPerFolder: number;
  /** Bytes per file. */
  fileSize: number;
}

export interface NestedTree {
  /** Relative paths of every file, "set-01/part-02/model-0003.gcode". */
  files: string[];
  /** Folders below the root. */
  folders: number;
}

/** `top/sub/file` three levels deep; every file gets its own random content. */
export function writeNestedTree(root: string, shape: TreeShape): NestedTree {
  const files: string[] = [];
  const content = Buffer.allocUnsafe(shape.fileSize);
  for (let t = 1; t <= shape.topFolders; t++) {
    for (let s = 1; s <= shape.subFolders; s++) {
      const folder = `set-${pad(t, 2)}/part-${pad(s, 2)}`;
      mkdirSync(join(root, folder), { recursive: true });
      for (let f = 1; f <= shape.filesPerFolder; f++) {
        const rel = `${folder}/model-${pad(f, 4)}.gcode`;
        randomFillSync(content);
        writeFileSync(join(root, rel), content);
        files.push(rel);
      }
    }
  }
  return { files, folders: shape.topFolders * (1 + shape.subFolders) };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
