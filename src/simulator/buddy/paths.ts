// How Buddy turns a request target into a path: raw length limit, its own URL decoding ('+' is a
// space), collapsed slashes, and the fixed-size path buffers that silently truncate.

/** Longest raw request target Buddy accepts (414 beyond). */
export const BUDDY_MAX_URL_BYTES = 168;
/** Longest decoded path, "/usb/" included, that fits the 104-byte buffers. */
export const BUDDY_MAX_PATH_BYTES = 103;

/** Percent-decodes bytes and reads '+' as a space, as the firmware's url_decode does. */
export function buddyUrlDecode(raw: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x2b) bytes.push(0x20);
    else if (c === 0x25 && /^[0-9a-fA-F]{2}$/.test(raw.slice(i + 1, i + 3))) {
      bytes.push(parseInt(raw.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c & 0xff);
  }
  return Buffer.from(bytes).toString('utf8');
}

export interface BuddyPath {
  /** First segment after the prefix, e.g. "usb". */
  storage: string;
  /** Names below the storage, empty for its root. */
  parts: string[];
  /** A ".." segment: the firmware answers 404. */
  escapes: boolean;
}

/** Splits the decoded remainder of a URL ("usb//a/b") into storage and names. */
export function splitBuddyPath(decoded: string): BuddyPath {
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  return { storage: segments[0] ?? '', parts: segments.slice(1), escapes: segments.includes('..') };
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Cuts to at most `maxBytes` UTF-8 bytes without leaving half a character (strlcpy into a buffer). */
export function truncateUtf8(text: string, maxBytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= maxBytes) return text;
  let end = maxBytes;
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}
