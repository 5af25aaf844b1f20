// Heatshrink (LZSS) decoding, for bgcode metadata blocks compressed with it.
//
// The stream is read most significant bit first. A 1 bit is followed by a literal byte (8 bits);
// a 0 bit by a back-reference: `windowBits` bits of distance - 1, then `lookaheadBits` bits of
// length - 1, copying from the output already produced (the window starts as zeros). The last
// byte is padded with zero bits, which can never complete a token.

/**
 * Decodes `input` until `size` bytes are produced; throws when the stream ends early. bgcode uses
 * window 11 or 12 and lookahead 4.
 */
export function heatshrinkDecode(input: Uint8Array, size: number, windowBits: number, lookaheadBits: number): Buffer {
  const out = Buffer.alloc(size);
  let produced = 0;
  let bitPos = 0;
  const totalBits = input.length * 8;
  const bits = (count: number): number | undefined => {
    if (bitPos + count > totalBits) return undefined;
    let value = 0;
    for (let i = 0; i < count; i++) {
      const byte = input[bitPos >> 3] as number;
      value = (value << 1) | ((byte >> (7 - (bitPos & 7))) & 1);
      bitPos++;
    }
    return value;
  };
  while (produced < size) {
    const tag = bits(1);
    if (tag === undefined) break;
    if (tag === 1) {
      const literal = bits(8);
      if (literal === undefined) break;
      out[produced++] = literal;
      continue;
    }
    const index = bits(windowBits);
    const count = bits(lookaheadBits);
    if (index === undefined || count === undefined) break;
    const distance = index + 1;
    for (let n = 0; n <= count && produced < size; n++) {
      // Reaching before the start reads the zero-filled window, as the reference decoder does.
      out[produced] = produced - distance >= 0 ? (out[produced - distance] as number) : 0;
      produced++;
    }
  }
  if (produced < size) throw new Error(`heatshrink data ends after ${produced} of ${size} bytes`);
  return out;
}
