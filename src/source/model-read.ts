// Reads which printer model each source file was sliced for, from the file's first and last
// kilobytes (text G-code) or its first blocks (bgcode), never the whole file.

import { open, type FileHandle } from 'node:fs/promises';
import type { SourceFile } from '../types.js';
import { createLimiter } from './limit.js';
import { endsInsideThumbnail, findGcodeModel } from './model-gcode.js';
import { findBgcodeModel, isBgcode, type ReadAt } from './model-bgcode.js';

export type FileModel =
  | { kind: 'model'; model: string; from: 'printer_model' | 'M862.3' | 'bgcode' }
  | {
      kind: 'unknown';
      why: string;
      /** The file could not be read or is malformed (worth a warning), rather than simply silent. */
      problem?: boolean;
    };

const HEAD_BYTES = 64 * 1024;
// Thumbnails come before the printer check; follow them this far at most.
const HEAD_MAX_BYTES = 512 * 1024;
const TAIL_BYTES = 256 * 1024;
/** Files read at once: each read is small, so this only bounds open handles. */
const DEFAULT_CONCURRENCY = 8;

/** The model one file names, or why none is known. Never throws. */
export async function readFileModel(absPath: string): Promise<FileModel> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(absPath, 'r');
    const size = (await handle.stat()).size;
    const readAt = readerFor(handle);
    const start = await readAt(0, Math.min(HEAD_BYTES, size));
    if (isBgcode(start)) {
      const found = await findBgcodeModel(readAt, size);
      if (found.kind === 'model') return { kind: 'model', model: found.model, from: 'bgcode' };
      return { kind: 'unknown', why: found.why, ...(found.kind === 'bad' ? { problem: true } : {}) };
    }
    let head = start;
    while (head.length < size && head.length < HEAD_MAX_BYTES && endsInsideThumbnail(head.toString('latin1'))) {
      head = Buffer.concat([head, await readAt(head.length, Math.min(HEAD_BYTES, size - head.length))]);
    }
    const tailStart = Math.max(head.length, size - TAIL_BYTES);
    const tail = tailStart >= size ? Buffer.alloc(0) : await readAt(tailStart, size - tailStart);
    // A line cut at either edge of what was read could look like a shorter value: drop it.
    // When the file is small the tail starts where the head ends: search both as one text.
    const contiguous = tailStart === head.length;
    const headText = completeLines(head.toString('latin1'), { atStart: true, atEnd: head.length >= size });
    const tailText = completeLines((contiguous ? Buffer.concat([head, tail]) : tail).toString('latin1'), {
      atStart: contiguous,
      atEnd: true,
    });
    const found = findGcodeModel(headText, tailText);
    return found ? { kind: 'model', ...found } : { kind: 'unknown', why: 'names no printer model' };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { kind: 'unknown', why: `cannot be read (${code ?? (error instanceof Error ? error.message : String(error))})`, problem: true };
  } finally {
    await handle?.close();
  }
}

/**
 * Reads the model of each file once (by absolute path, so a file in several printers' views is
 * read once), a few files at a time.
 */
export async function readFileModels(
  files: readonly SourceFile[],
  options: { concurrency?: number } = {},
): Promise<Map<string, FileModel>> {
  const limit = createLimiter(options.concurrency ?? DEFAULT_CONCURRENCY);
  const paths = [...new Set(files.map((f) => f.absPath))];
  const models = await Promise.all(paths.map((p) => limit(() => readFileModel(p))));
  return new Map(paths.map((p, i) => [p, models[i] as FileModel]));
}

function readerFor(handle: FileHandle): ReadAt {
  return async (position, length) => {
    const buffer = Buffer.alloc(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  };
}

function completeLines(text: string, edges: { atStart: boolean; atEnd: boolean }): string {
  let out = text;
  if (!edges.atStart) {
    const first = out.indexOf('\n');
    out = first === -1 ? '' : out.slice(first + 1);
  }
  if (!edges.atEnd) out = out.slice(0, out.lastIndexOf('\n') + 1);
  return out;
}
