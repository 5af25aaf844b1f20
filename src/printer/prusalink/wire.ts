// Reads PrusaLink JSON defensively: Buddy and Pi differ from the spec and from each other in field
// names and shapes (ro/read_only, storage object or array, paths with or without slashes, ...).

import type { PrinterKind, StorageInfo } from '../../types.js';
import type { RemoteEntry, RemoteFileInfo } from '../api.js';
import { REMOTE_NAME_HINT, entryNamesProblem } from '../remote-name.js';

/** Thrown when a body has the wrong shape; the caller turns it into a 'protocol' PrinterError. */
export class WireError extends Error {
  constructor(
    message: string,
    /** The fix, when the generic protocol hint would mislead. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'WireError';
  }
}

type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function obj(v: unknown, what: string): Obj {
  if (!isObj(v)) throw new WireError(`${what} is not a JSON object`);
  return v;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** `ro` (Buddy, Pi 0.7.0) or `read_only` (spec, Pi ≥ 0.7.1); booleans or "True"/"false" strings. */
function readOnly(o: Obj): boolean {
  const v = o['read_only'] ?? o['ro'];
  if (typeof v === 'string') return v.toLowerCase() === 'true';
  return v === true;
}

/** "/usb/", "usb", "/local" → "usb", "local". */
export function storageSegment(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

export interface VersionInfo {
  /** undefined when the answer does not tell Buddy from Pi. */
  kind: PrinterKind | undefined;
  hostname: string | undefined;
  uploadByPut: boolean;
}

/** /api/version: Pi has `original`/`firmware` or text "PrusaLink 0.8.1"; Buddy says bare "PrusaLink". */
export function parseVersion(body: unknown): VersionInfo {
  const o = obj(body, '/api/version');
  const text = str(o['text'])?.trim() ?? '';
  let kind: PrinterKind | undefined;
  if ('original' in o || 'firmware' in o || /^PrusaLink \d/i.test(text) || /^OctoPrint\b/i.test(text)) kind = 'pi';
  else if (text === 'PrusaLink' || /^PrusaLink [A-Za-z]/.test(text)) kind = 'buddy';
  const caps = o['capabilities'];
  return {
    kind,
    hostname: str(o['hostname']),
    uploadByPut: isObj(caps) && caps['upload-by-put'] === true,
  };
}

/** /api/v1/info: the serial is the stable identity. */
export function parseInfo(body: unknown): { serial?: string; hostname?: string } {
  const o = obj(body, '/api/v1/info');
  const serial = str(o['serial']) ?? (typeof o['serial'] === 'number' ? String(o['serial']) : undefined);
  const hostname = str(o['hostname']);
  return { ...(serial ? { serial } : {}), ...(hostname ? { hostname } : {}) };
}

function storageEntry(o: Obj): StorageInfo | undefined {
  const path = str(o['path']);
  const name = path !== undefined ? storageSegment(path) : str(o['name'])?.toLowerCase();
  if (!name) return undefined;
  const available = o['available'];
  const free = num(o['free_space']);
  return {
    name,
    available: available === undefined ? true : available === true,
    readOnly: readOnly(o),
    ...(free !== undefined ? { freeSpace: free } : {}),
  };
}

/** /api/v1/storage: `storage_list` entries; the URL segment comes from `path`, not `name`. */
export function parseStorageList(body: unknown): StorageInfo[] {
  const o = obj(body, '/api/v1/storage');
  const list = o['storage_list'];
  if (!Array.isArray(list)) throw new WireError('/api/v1/storage has no storage_list');
  return list.filter(isObj).flatMap((e) => storageEntry(e) ?? []);
}

export interface StatusInfo {
  state: string;
  transferRunning: boolean;
  hasJob: boolean;
  /** The job's progress in percent, when a job exists and the printer tells. */
  jobProgress?: number;
  /** Storage URL segments named in the status (Buddy: one object, Pi: an array). */
  storages: string[];
}

export function parseStatus(body: unknown): StatusInfo {
  const o = obj(body, '/api/v1/status');
  const printer = obj(o['printer'], '/api/v1/status printer');
  const state = str(printer['state'])?.toUpperCase() ?? 'UNKNOWN';
  const rawStorage = o['storage'];
  const storageList = Array.isArray(rawStorage) ? rawStorage : rawStorage === undefined ? [] : [rawStorage];
  const storages = storageList.filter(isObj).flatMap((e) => storageEntry(e)?.name ?? []);
  const job = o['job'];
  const progress = isObj(job) ? num(job['progress']) : undefined;
  return {
    state,
    transferRunning: isObj(o['transfer']),
    hasJob: isObj(job),
    ...(progress !== undefined ? { jobProgress: progress } : {}),
    storages,
  };
}

export interface JobFile {
  /** As the printer wrote it: the folder ("/usb/PARTS") or the full path of the file. */
  path: string | undefined;
  /** Short (8.3 on Buddy) name. */
  name: string | undefined;
  /** Long name. */
  displayName: string | undefined;
}

/** /api/v1/job → the printed file, when the job prints a file. */
export function parseJobFile(body: unknown): JobFile | undefined {
  const o = obj(body, '/api/v1/job');
  const file = o['file'];
  if (!isObj(file)) return undefined;
  return { path: str(file['path']), name: str(file['name']), displayName: str(file['display_name']) };
}

/**
 * Every storage-relative path that may name the printed file: folder+name, folder+display_name,
 * and the path itself when it already ends with the name. The storage segment is stripped.
 */
export function printedPaths(file: JobFile, knownStorages: readonly string[]): string[] {
  const segs = (file.path ?? '').split('/').filter((s) => s !== '');
  const first = segs[0];
  if (first !== undefined && knownStorages.some((s) => s.toLowerCase() === first.toLowerCase())) segs.shift();
  const names = [file.name, file.displayName].filter((n): n is string => n !== undefined && n !== '');
  const last = segs[segs.length - 1];
  const out: string[] = [];
  const isFull = last !== undefined && names.some((n) => n.toLowerCase() === last.toLowerCase());
  const folder = isFull ? segs.slice(0, -1) : segs;
  if (isFull) out.push(segs.join('/'));
  for (const n of names) out.push([...folder, n].join('/'));
  return [...new Set(out)];
}

function entryOf(o: Obj): RemoteEntry | undefined {
  const urlName = str(o['name']);
  const displayName = str(o['display_name']);
  const name = displayName ?? urlName;
  if (urlName === undefined || name === undefined) return undefined;
  const problem = entryNamesProblem(urlName, displayName);
  if (problem) throw new WireError(problem, REMOTE_NAME_HINT);
  const type = str(o['type'])?.toUpperCase();
  const folder = type === 'FOLDER';
  const ro = readOnly(o);
  const refs = o['refs'];
  const download = isObj(refs) ? refs['download'] : undefined;
  const entry: RemoteEntry = { type: folder ? 'folder' : 'file', name, urlName, readOnly: ro };
  const size = num(o['size']);
  if (size !== undefined && !folder) entry.size = size;
  const m = num(o['m_timestamp']);
  if (m !== undefined) entry.mTimestamp = m;
  // Buddy shows a Prusa Connect download in progress as a read-only file without a download link.
  if (!folder && ro && (download === undefined || download === null || download === '')) entry.partial = true;
  return entry;
}

/** A folder listing: its children, one level. A file answer or a missing `children` is a WireError. */
export function parseListing(body: unknown, what: string): RemoteEntry[] {
  const o = obj(body, what);
  const type = str(o['type'])?.toUpperCase();
  const children = o['children'];
  if (type !== undefined && type !== 'FOLDER' && children === undefined) throw new WireError(`${what} is a file, not a folder`);
  if (children === undefined) return [];
  if (!Array.isArray(children)) throw new WireError(`${what} has no children list`);
  const entries: RemoteEntry[] = [];
  for (const child of children) {
    if (!isObj(child)) continue;
    const entry = entryOf(child);
    if (entry) entries.push(entry);
  }
  return entries;
}

/** A single-file GET. */
export function parseFileInfo(body: unknown, what: string): RemoteFileInfo {
  const o = obj(body, what);
  const info: RemoteFileInfo = { readOnly: readOnly(o) };
  const size = num(o['size']);
  if (size !== undefined) info.size = size;
  const m = num(o['m_timestamp']);
  if (m !== undefined) info.mTimestamp = m;
  return info;
}
