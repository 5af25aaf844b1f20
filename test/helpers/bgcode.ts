// Writes binary G-code (.bgcode) files following libbgcode's published format, for tests: file
// header, metadata blocks in INI encoding, thumbnails, G-code blocks, optional deflate or heatshrink
// compression, optional CRC32 per block. Independent of the reader in src/ (own CRC, own encoder).

import { crc32, deflateSync } from 'node:zlib';

export type Compression = 0 | 1 | 2 | 3; // none, deflate, heatshrink 11/4, heatshrink 12/4

export const BLOCK_TYPE = { fileMetadata: 0, gcode: 1, slicerMetadata: 2, printerMetadata: 3, printMetadata: 4, thumbnail: 5 } as const;

export interface BlockSpec {
  type: number;
  compression?: Compression;
  /** 2 bytes (encoding) for every block but thumbnails, 6 (format, width, height) for those. */
  params: Buffer;
  data: Buffer;
}

export interface BgcodeOptions {
  /** CRC32 after every block (checksum type 1). Default true, as PrusaSlicer writes. */
  checksum?: boolean;
  fileMetadata?: Record<string, string>;
  /** null leaves the block out (a malformed file). */
  printerMetadata?: Record<string, string> | null;
  printerMetadataCompression?: Compression;
  thumbnails?: Array<{ width: number; height: number; bytes: number }>;
  printMetadata?: Record<string, string>;
  slicerMetadata?: Record<string, string>;
  gcode?: string;
  gcodeCompression?: Compression;
  /** Bytes of G-code per block (PrusaSlicer uses 64 KiB). */
  gcodeBlockBytes?: number;
}

/** The printer metadata PrusaSlicer writes, for a given model. */
export function printerMetadataFor(model: string): Record<string, string> {
  return {
    printer_model: model,
    filament_type: 'PLA',
    nozzle_diameter: '0.4',
    bed_temperature: '60',
    brim_width: '0',
    fill_density: '15%',
    layer_height: '0.2',
    temperature: '215',
    ironing: '0',
    support_material: '0',
    max_layer_z: '18.2',
    extruder_colour: '""',
  };
}

export function bgcodeFile(options: BgcodeOptions): Buffer {
  const checksum = options.checksum ?? true;
  const header = Buffer.alloc(10);
  header.write('GCDE', 0, 'latin1');
  header.writeUInt32LE(1, 4);
  header.writeUInt16LE(checksum ? 1 : 0, 8);
  const blocks: BlockSpec[] = [];
  const encoding = (value: number): Buffer => u16(value);
  if (options.fileMetadata) blocks.push({ type: BLOCK_TYPE.fileMetadata, params: encoding(0), data: ini(options.fileMetadata) });
  if (options.printerMetadata !== null) {
    blocks.push({
      type: BLOCK_TYPE.printerMetadata,
      compression: options.printerMetadataCompression ?? 0,
      params: encoding(0),
      data: ini(options.printerMetadata ?? printerMetadataFor('MK4S')),
    });
  }
  for (const t of options.thumbnails ?? [
    { width: 16, height: 16, bytes: 600 },
    { width: 313, height: 173, bytes: 20_000 },
  ]) {
    blocks.push({ type: BLOCK_TYPE.thumbnail, params: Buffer.concat([u16(0), u16(t.width), u16(t.height)]), data: fakePng(t.bytes) });
  }
  blocks.push({
    type: BLOCK_TYPE.printMetadata,
    params: encoding(0),
    data: ini(options.printMetadata ?? { 'estimated printing time (normal mode)': '1h 2m 3s', 'filament used [g]': '12.34' }),
  });
  blocks.push({
    type: BLOCK_TYPE.slicerMetadata,
    compression: 1,
    params: encoding(0),
    data: ini(options.slicerMetadata ?? { printer_model: 'MK4S', layer_height: '0.2' }),
  });
  const gcode = Buffer.from(options.gcode ?? 'G28\nG1 X10 Y10 E0.5\n'.repeat(200), 'latin1');
  const per = options.gcodeBlockBytes ?? 65536;
  for (let at = 0; at < gcode.length; at += per) {
    blocks.push({
      type: BLOCK_TYPE.gcode,
      compression: options.gcodeCompression ?? 1,
      params: encoding(0),
      data: gcode.subarray(at, at + per),
    });
  }
  return Buffer.concat([header, ...blocks.map((b) => encodeBlock(b, checksum))]);
}

/** One block as bytes: header, parameters, (compressed) data, CRC32 of all three. */
export function encodeBlock(block: BlockSpec, checksum: boolean): Buffer {
  const compression = block.compression ?? 0;
  const stored = compress(block.data, compression);
  const header = Buffer.alloc(compression === 0 ? 8 : 12);
  header.writeUInt16LE(block.type, 0);
  header.writeUInt16LE(compression, 2);
  header.writeUInt32LE(block.data.length, 4);
  if (compression !== 0) header.writeUInt32LE(stored.length, 8);
  const body = Buffer.concat([header, block.params, stored]);
  if (!checksum) return body;
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(crc32(body) >>> 0, 0);
  return Buffer.concat([body, crc]);
}

function compress(data: Buffer, compression: Compression): Buffer {
  if (compression === 0) return data;
  if (compression === 1) return deflateSync(data); // zlib format, as libbgcode's deflateInit writes
  return heatshrinkEncode(data, compression === 2 ? 11 : 12, 4);
}

/**
 * Heatshrink (LZSS) encoding, greedy and naive: tag bit 1 + byte for a literal, tag bit 0 +
 * (distance - 1) in `windowBits` bits + (length - 1) in `lookaheadBits` bits for a back-reference;
 * most significant bit first; the last byte padded with zeros.
 */
export function heatshrinkEncode(data: Uint8Array, windowBits: number, lookaheadBits: number): Buffer {
  const out: number[] = [];
  let current = 0;
  let used = 0;
  const put = (value: number, count: number): void => {
    for (let i = count - 1; i >= 0; i--) {
      current = (current << 1) | ((value >> i) & 1);
      if (++used === 8) {
        out.push(current);
        current = 0;
        used = 0;
      }
    }
  };
  const window = 1 << windowBits;
  const maxLength = 1 << lookaheadBits;
  let i = 0;
  while (i < data.length) {
    let bestLength = 0;
    let bestDistance = 0;
    for (let distance = 1; distance <= Math.min(i, window); distance++) {
      let length = 0;
      while (length < maxLength && i + length < data.length && data[i + length] === data[i + length - distance]) length++;
      if (length > bestLength) {
        bestLength = length;
        bestDistance = distance;
      }
    }
    // A back-reference costs 1 + windowBits + lookaheadBits bits; a literal 9 bits a byte.
    if (bestLength * 9 > 1 + windowBits + lookaheadBits) {
      put(0, 1);
      put(bestDistance - 1, windowBits);
      put(bestLength - 1, lookaheadBits);
      i += bestLength;
    } else {
      put(1, 1);
      put(data[i] as number, 8);
      i++;
    }
  }
  if (used > 0) out.push(current << (8 - used));
  return Buffer.from(out);
}

export function ini(values: Record<string, string>): Buffer {
  return Buffer.from(
    Object.entries(values)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
    'utf8',
  );
}

function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(value, 0);
  return b;
}

/** PNG signature followed by filler: the reader must skip thumbnails, never decode them. */
function fakePng(bytes: number): Buffer {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const filler = Buffer.alloc(Math.max(0, bytes - signature.length));
  for (let i = 0; i < filler.length; i++) filler[i] = (i * 31 + 7) & 0xff;
  return Buffer.concat([signature, filler]);
}
