// How Pi PrusaLink reads a request target: standard percent-decoding ('+' stays '+'), real names.

/** Longest request line the Pi's server reads (414 beyond). */
export const PI_MAX_REQUEST_LINE = 2048;
/** Characters the Pi refuses in uploaded names (400). */
export const PI_FORBIDDEN = /[\\?"%¯°#ˇ]/;
export const PI_MAX_NAME_BYTES = 248;
export const PI_MAX_FOLDER_BYTES = 255;

export interface PiPath {
  storage: string;
  parts: string[];
  escapes: boolean;
}

/** Undefined when the percent-encoding is broken. */
export function splitPiPath(rest: string): PiPath | undefined {
  const segments: string[] = [];
  for (const raw of rest.split('/')) {
    if (raw === '' || raw === '.') continue;
    try {
      segments.push(decodeURIComponent(raw));
    } catch {
      return undefined;
    }
  }
  return { storage: segments[0] ?? '', parts: segments.slice(1), escapes: segments.includes('..') };
}

export function encodePath(parts: readonly string[]): string {
  return parts.map(encodeURIComponent).join('/');
}
