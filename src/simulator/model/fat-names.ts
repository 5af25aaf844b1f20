// FAT naming rules as Buddy's FatFS applies them: case folding, invalid names, and 8.3 short names.

/** Buddy lists and accepts only these (any case). */
export const BUDDY_PRINT_EXTENSIONS = ['.g', '.gc', '.gco', '.gcode', '.bgc', '.bgcode'];
/** Pi's G-code extensions; anything else is a plain FILE. */
export const PI_PRINT_EXTENSIONS = ['.gcode', '.gc', '.g', '.gco'];

/** FatFS rejects these anywhere in a name (plus control characters and DEL). */
const FAT_INVALID = /["*:<>?|\\\u0000-\u001f\u007f]/;
/** Firmware limit on one long name, in UTF-16 units. */
export const FAT_MAX_LFN = 167;

export function hasExtension(name: string, extensions: readonly string[]): boolean {
  const lower = name.toLowerCase();
  const dot = lower.lastIndexOf('.');
  return dot > 0 && extensions.includes(lower.slice(dot));
}

/** Case-insensitive key as FatFS compares names; one UTF-16 unit maps to one unit. */
export function foldCase(name: string): string {
  if (/^[\x20-\x7e]*$/.test(name)) return name.toUpperCase();
  let out = '';
  for (const ch of name) {
    const up = ch.toUpperCase();
    out += up.length === ch.length ? up : ch;
  }
  return out;
}

/** FatFS silently drops trailing spaces and dots ("a.gcode. " is "a.gcode"). */
export function stripTrailingDotsAndSpaces(name: string): string {
  return name.replace(/[ .]+$/, '');
}

/** True when FatFS refuses to create this name (FR_INVALID_NAME). */
export function isInvalidFatName(name: string): boolean {
  const stripped = stripTrailingDotsAndSpaces(name);
  return stripped === '' || FAT_INVALID.test(name) || stripped.length > FAT_MAX_LFN;
}

interface SfnBase {
  /** Upper-case body and extension, up to 8 and 3 characters. */
  body: string;
  ext: string;
  /** Information was lost: a numeric tail (~N) is needed. */
  lossy: boolean;
}

/** The body/extension FatFS derives from a long name before adding a numeric tail. */
function sfnBase(longName: string): SfnBase {
  const name = stripTrailingDotsAndSpaces(longName);
  let start = 0;
  while (name[start] === ' ') start++;
  let lossy = start > 0 || name[start] === '.';
  const lastDot = name.lastIndexOf('.');
  const extStart = lastDot > start ? lastDot : -1;
  const field = (from: number, to: number, max: number): string => {
    let out = '';
    for (let i = from; i < to; i++) {
      let ch = name[i] as string;
      if (ch === ' ' || ch === '.') {
        lossy = true;
        continue;
      }
      if (out.length >= max) {
        lossy = true;
        break;
      }
      // Non-ASCII would go through the OEM code page; folding it to '_' keeps names ASCII.
      if (ch.charCodeAt(0) >= 0x80 || '+,;=[]'.includes(ch)) {
        ch = '_';
        lossy = true;
      }
      out += ch.toUpperCase();
    }
    return out;
  };
  const body = field(start, extStart < 0 ? name.length : extStart, 8);
  const ext = extStart < 0 ? '' : field(extStart + 1, name.length, 3);
  return { body, ext, lossy: lossy || body === '' };
}

/** FatFS's numbered variant: ~1..~5 in sequence, then a CRC of the long name as hex. */
function numberedName(base: SfnBase, longName: string, seq: number): string {
  let n = seq;
  if (seq > 5) {
    let sreg = seq;
    for (let i = 0; i < longName.length; i++) {
      let wc = longName.charCodeAt(i);
      for (let bit = 0; bit < 16; bit++) {
        sreg = (sreg << 1) + (wc & 1);
        wc >>= 1;
        if (sreg & 0x10000) sreg ^= 0x11021;
      }
    }
    n = sreg >>> 0;
  }
  const tail = '~' + n.toString(16).toUpperCase().slice(-7);
  const body = base.body.slice(0, 8 - tail.length) + tail;
  return base.ext ? `${body}.${base.ext}` : body;
}

/**
 * The 8.3 short name FatFS would give `longName` in a folder where `taken(sfn)` tells which
 * short names exist. Undefined when 99 numbered names are all taken (FatFS: FR_DENIED).
 */
export function makeShortName(longName: string, taken: (sfn: string) => boolean): string | undefined {
  const base = sfnBase(longName);
  if (!base.lossy) {
    const plain = base.ext ? `${base.body}.${base.ext}` : base.body;
    if (!taken(plain)) return plain;
  }
  const stripped = stripTrailingDotsAndSpaces(longName);
  for (let seq = 1; seq < 100; seq++) {
    const candidate = numberedName(base, stripped, seq);
    if (!taken(candidate)) return candidate;
  }
  return undefined;
}
