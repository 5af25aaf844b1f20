// Finds the printer model in a binary G-code (.bgcode) file, reading only its first blocks.
//
// Layout (libbgcode's published specification): a 10-byte file header (magic "GCDE", version u32,
// checksum type u16: 0 none, 1 CRC32), then blocks in a fixed order: file metadata (optional),
// printer metadata, thumbnails, print metadata, slicer metadata, G-code. Each block is a header
// (type u16, compression u16, uncompressed size u32, and compressed size u32 when compressed),
// parameters (2 bytes; 6 for a thumbnail), the data, and a CRC32 of all that when the file has
// checksums. All integers are little-endian. The printer metadata holds `printer_model=MK4S` in
// INI encoding; it comes before any G-code, so thumbnails are skipped by seeking and G-code
// blocks are never read.

import { heatshrinkDecode } from './model-heatshrink.js';
import { zlibModule } from '../lazy-builtin.js';

/** Reads up to `length` bytes at `position`; fewer at the end of the file. */
export type ReadAt = (position: number, length: number) => Promise<Buffer>;

export type BgcodeModel =
  | { kind: 'model'; model: string }
  /** A well-formed file that names no model. */
  | { kind: 'none'; why: string }
  /** Not readable as bgcode: the printer will likely refuse it too. */
  | { kind: 'bad'; why: string };

const MAGIC = 'GCDE';
const BLOCK = { fileMetadata: 0, gcode: 1, slicerMetadata: 2, printerMetadata: 3, printMetadata: 4, thumbnail: 5 } as const;
// Metadata is a few hundred bytes; a larger "metadata" block means the header was misread.
const MAX_METADATA_BYTES = 1024 * 1024;
// Files have a handful of thumbnails; a long walk means the file is not what it claims.
const MAX_BLOCKS_BEFORE_METADATA = 256;

/** True when the buffer starts like a bgcode file, whatever its extension. */
export function isBgcode(start: Buffer): boolean {
  return start.length >= 4 && start.toString('latin1', 0, 4) === MAGIC;
}

export async function findBgcodeModel(read: ReadAt, size: number): Promise<BgcodeModel> {
  const header = await read(0, 10);
  if (header.length < 10 || !isBgcode(header)) return { kind: 'bad', why: 'not a bgcode file (no GCDE header)' };
  const version = header.readUInt32LE(4);
  if (version !== 1) return { kind: 'bad', why: `bgcode version ${version} is not supported` };
  const checksumType = header.readUInt16LE(8);
  if (checksumType > 1) return { kind: 'bad', why: `unknown bgcode checksum type ${checksumType}` };
  const crcBytes = checksumType === 1 ? 4 : 0;

  let position = 10;
  for (let n = 0; n < MAX_BLOCKS_BEFORE_METADATA; n++) {
    if (position >= size) return { kind: 'none', why: 'no printer metadata block' };
    const head = await read(position, 12);
    if (head.length < 8) return { kind: 'bad', why: 'bgcode file ends inside a block header' };
    const type = head.readUInt16LE(0);
    const compression = head.readUInt16LE(2);
    const uncompressedSize = head.readUInt32LE(4);
    if (type > 5) return { kind: 'bad', why: `unknown bgcode block type ${type}` };
    if (compression > 3) return { kind: 'bad', why: `unknown bgcode compression ${compression}` };
    if (compression !== 0 && head.length < 12) return { kind: 'bad', why: 'bgcode file ends inside a block header' };
    const headerSize = compression === 0 ? 8 : 12;
    const dataSize = compression === 0 ? uncompressedSize : head.readUInt32LE(8);
    const paramsSize = type === BLOCK.thumbnail ? 6 : 2;
    const blockSize = headerSize + paramsSize + dataSize + crcBytes;
    if (type === BLOCK.gcode) return { kind: 'none', why: 'no printer metadata before the G-code' };
    if (type === BLOCK.printerMetadata) {
      if (dataSize > MAX_METADATA_BYTES || uncompressedSize > MAX_METADATA_BYTES) {
        return { kind: 'bad', why: 'bgcode printer metadata block is implausibly large' };
      }
      const block = await read(position, blockSize);
      if (block.length < blockSize) return { kind: 'bad', why: 'bgcode file ends inside the printer metadata' };
      return modelFromMetadataBlock(block, { headerSize, dataSize, uncompressedSize, compression, crcBytes });
    }
    position += blockSize;
  }
  return { kind: 'bad', why: 'too many bgcode blocks before the printer metadata' };
}

interface BlockLayout {
  headerSize: number;
  dataSize: number;
  uncompressedSize: number;
  compression: number;
  crcBytes: number;
}

function modelFromMetadataBlock(block: Buffer, layout: BlockLayout): BgcodeModel {
  const { headerSize, dataSize, uncompressedSize, compression, crcBytes } = layout;
  const covered = headerSize + 2 + dataSize;
  if (crcBytes > 0 && crc32(block.subarray(0, covered)) !== block.readUInt32LE(covered)) {
    return { kind: 'bad', why: 'bgcode printer metadata fails its checksum' };
  }
  const encoding = block.readUInt16LE(headerSize);
  if (encoding > 1) return { kind: 'bad', why: `unknown bgcode metadata encoding ${encoding}` };
  const data = block.subarray(headerSize + 2, covered);
  let text: string;
  try {
    text = decompress(data, compression, uncompressedSize).toString('utf8');
  } catch (error) {
    return {
      kind: 'bad',
      why: `bgcode printer metadata cannot be decompressed (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  // Encoding 0 is INI (what slicers write); newer libbgcode also defines 1, a JSON document.
  const model = encoding === 0 ? iniValue(text, 'printer_model') : jsonValue(text, 'printer_model');
  return model === undefined || model === '' ? { kind: 'none', why: 'the printer metadata names no model' } : { kind: 'model', model };
}

function decompress(data: Buffer, compression: number, size: number): Buffer {
  let out: Buffer;
  if (compression === 0) out = data;
  else if (compression === 1) {
    // libbgcode writes zlib streams (deflateInit); raw deflate is accepted as well.
    try {
      out = zlibModule().inflateSync(data, { maxOutputLength: size + 1 });
    } catch {
      out = zlibModule().inflateRawSync(data, { maxOutputLength: size + 1 });
    }
  } else out = heatshrinkDecode(data, size, compression === 2 ? 11 : 12, 4);
  if (out.length !== size) throw new Error(`${out.length} bytes instead of ${size}`);
  return out;
}

/** The value of `key` in `key=value` lines; the first occurrence wins, as libbgcode reads it. */
export function iniValue(text: string, key: string): string | undefined {
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq !== -1 && line.slice(0, eq).trim() === key)
      return line
        .slice(eq + 1)
        .replace(/\r$/, '')
        .trim();
  }
  return undefined;
}

function jsonValue(text: string, key: string): string | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && key in value) {
      const found = (value as Record<string, unknown>)[key];
      return typeof found === 'string' ? found.trim() : undefined;
    }
  } catch {
    // Not JSON after all: no model.
  }
  return undefined;
}

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE, as zlib computes it). node:zlib.crc32 only exists from Node 20.15. */
export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
