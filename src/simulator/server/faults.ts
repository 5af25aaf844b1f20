// Injected faults: each matches some requests and is used up after `times` matches (forever without).

import type { SimFault } from '../types.js';

interface Armed {
  fault: SimFault;
  left: number;
}

export type BodyFault = Extract<SimFault, { kind: 'reset-after-bytes' } | { kind: 'stall' }>;

const KINDS = new Set([
  'reset-after-bytes',
  'stall',
  'status',
  'delay',
  'storage-full',
  'malformed-json',
  'trickle',
  'endless-listing',
  'listing-entries',
  'cut-download',
  'file-list-lag',
]);

export type ListingFault = Extract<SimFault, { kind: 'listing-entries' }>;

/** Checks a fault from outside (the HTTP control path) and throws with a readable message. */
export function validateFault(value: unknown): SimFault {
  if (typeof value !== 'object' || value === null) throw new Error('a fault is an object with a "kind"');
  const f = value as Record<string, unknown>;
  if (typeof f['kind'] !== 'string' || !KINDS.has(f['kind'])) {
    throw new Error(`unknown fault kind ${JSON.stringify(f['kind'])} (one of ${[...KINDS].join(', ')})`);
  }
  const needNumber = (key: string): void => {
    if (typeof f[key] !== 'number' || !Number.isFinite(f[key]) || (f[key] as number) < 0) {
      throw new Error(`fault "${f['kind']}" needs a non-negative number "${key}"`);
    }
  };
  if (f['kind'] === 'reset-after-bytes') needNumber('bytes');
  if (f['kind'] === 'status') needNumber('status');
  if (f['kind'] === 'delay') needNumber('ms');
  if (f['kind'] === 'trickle' && f['intervalMs'] !== undefined) needNumber('intervalMs');
  if (f['kind'] === 'cut-download') needNumber('afterBytes');
  if (f['kind'] === 'file-list-lag') needNumber('reads');
  if (f['times'] !== undefined) needNumber('times');
  if (f['kind'] === 'listing-entries') {
    if (typeof f['path'] !== 'string' || !f['path'].startsWith('/'))
      throw new Error('fault "listing-entries" needs a request "path" starting with "/"');
    const entries = f['entries'];
    if (
      entries !== undefined &&
      (!Array.isArray(entries) || !entries.every((e) => typeof e === 'object' && e !== null && !Array.isArray(e)))
    ) {
      throw new Error('fault "listing-entries": "entries" must be an array of objects');
    }
    const raw = f['raw'];
    if (raw !== undefined && (!Array.isArray(raw) || !raw.every((r) => typeof r === 'string'))) {
      throw new Error('fault "listing-entries": "raw" must be an array of base64 strings');
    }
  }
  return f as unknown as SimFault;
}

export class FaultSet {
  private armed: Armed[] = [];

  add(fault: SimFault): void {
    const times = 'times' in fault && fault.times !== undefined ? fault.times : Infinity;
    if (times > 0) this.armed.push({ fault, left: times });
  }

  clear(): void {
    this.armed = [];
  }

  list(): SimFault[] {
    return this.armed.map((a) => a.fault);
  }

  get empty(): boolean {
    return this.armed.length === 0;
  }

  /** A status fault for this request, used up. */
  status(method: string, path: string): { status: number; message?: string } | undefined {
    const f = this.take((x) => x.kind === 'status' && matches(x, method, path));
    return f?.kind === 'status' ? { status: f.status, ...(f.message !== undefined ? { message: f.message } : {}) } : undefined;
  }

  /** Total delay for this request in ms; every matching delay fault is used once. */
  delay(method: string, path: string): number {
    let ms = 0;
    for (const a of this.armed) {
      if (a.fault.kind === 'delay' && matches(a.fault, method, path)) {
        ms += a.fault.ms;
        a.left--;
      }
    }
    this.armed = this.armed.filter((a) => a.left > 0);
    return ms;
  }

  /** The body fault for the next upload, used up. */
  body(): BodyFault | undefined {
    const f = this.take((x) => x.kind === 'reset-after-bytes' || x.kind === 'stall');
    return f?.kind === 'reset-after-bytes' || f?.kind === 'stall' ? f : undefined;
  }

  /** Where to cut the next raw download of this path, used up; undefined: send it whole. */
  cutDownload(path: string): number | undefined {
    const f = this.take((x) => x.kind === 'cut-download' && (x.pathPrefix === undefined || path.startsWith(x.pathPrefix)));
    return f?.kind === 'cut-download' ? f.afterBytes : undefined;
  }

  /** How many reads of a file just uploaded answer its old entry, used up; undefined: none. */
  fileListLag(): number | undefined {
    const f = this.take((x) => x.kind === 'file-list-lag');
    return f?.kind === 'file-list-lag' ? f.reads : undefined;
  }

  storageFull(): boolean {
    return this.armed.some((a) => a.fault.kind === 'storage-full');
  }

  malformedJson(path: string): boolean {
    return this.take((x) => x.kind === 'malformed-json' && (x.pathPrefix === undefined || path.startsWith(x.pathPrefix))) !== undefined;
  }

  /** The extra entries for this request path, used up. */
  listingEntries(path: string): ListingFault | undefined {
    const want = samePath(path);
    const f = this.take((x) => x.kind === 'listing-entries' && samePath(x.path) === want);
    return f?.kind === 'listing-entries' ? f : undefined;
  }

  /** The byte interval of a trickle fault for this answer, used up; undefined: answer normally. */
  trickle(method: string, path: string): number | undefined {
    const f = this.take((x) => x.kind === 'trickle' && matches(x, method, path));
    return f?.kind === 'trickle' ? (f.intervalMs ?? 1000) : undefined;
  }

  endlessListing(): boolean {
    return this.armed.some((a) => a.fault.kind === 'endless-listing');
  }

  private take(pred: (f: SimFault) => boolean): SimFault | undefined {
    const hit = this.armed.find((a) => pred(a.fault));
    if (!hit) return undefined;
    hit.left--;
    if (hit.left <= 0) this.armed = this.armed.filter((a) => a !== hit);
    return hit.fault;
  }
}

function matches(f: { method?: string; pathPrefix?: string }, method: string, path: string): boolean {
  return (f.method === undefined || f.method.toUpperCase() === method) && (f.pathPrefix === undefined || path.startsWith(f.pathPrefix));
}

/** Request paths compared decoded, without a trailing slash and ignoring case (Buddy's short names are upper case). */
function samePath(path: string): string {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // keep it raw
  }
  return decoded.replace(/\/+$/, '').toLowerCase();
}
