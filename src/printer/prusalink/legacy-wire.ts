// Reads the legacy (OctoPrint-style) PrusaLink JSON: the /api/files tree of Pi 0.6 and Buddy 4.4, and
// the state flags of /api/printer. Shapes differ between the two; both are read defensively.

import { PrinterError } from '../../errors.js';
import { hintFor } from '../http-errors.js';
import type { HttpResult } from '../http.js';
import { IDLE_LIKE_STATES } from '../api.js';
import { WireError, isObj } from './wire.js';
import { REMOTE_NAME_HINT, listingNameProblem } from '../remote-name.js';
import { WALK_LIMIT_HINT, countBeyondLimits, pathBeyondLimits } from '../walk.js';

type Obj = Record<string, unknown>;

/** One entry of the legacy tree; folders carry their children (Pi lists the whole tree at once). */
export interface LegacyEntry {
  type: 'file' | 'folder';
  /** Long name (`display`). */
  name: string;
  /** The name to build URLs with (`name`: 8.3 on Buddy, the real name on Pi). */
  urlName: string;
  size?: number;
  mTimestamp?: number;
  children: LegacyEntry[];
}

export interface LegacyTree {
  /** Path segments of the storage's own folder, which Pi 0.6 puts in front of every path. */
  rootSegments: string[];
  /** The storage root's entries. */
  entries: LegacyEntry[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const segments = (path: string): string[] => path.split('/').filter((s) => s !== '');

/** Where a read of the tree stands: the walk's limits hold for the tree too, and keep the recursion shallow. */
interface TreeRead {
  storage: string;
  /** Entries read so far. */
  count: number;
}

function entryOf(o: Obj, parent: string, depth: number, read: TreeRead): LegacyEntry | undefined {
  const urlName = str(o['name']);
  if (urlName === undefined) return undefined;
  const problem = listingNameProblem([urlName, str(o['display']) || undefined]);
  if (problem) throw new WireError(problem, REMOTE_NAME_HINT);
  const children = o['children'];
  const folder = str(o['type'])?.toLowerCase() === 'folder' || Array.isArray(children);
  const entry: LegacyEntry = { type: folder ? 'folder' : 'file', name: str(o['display']) || urlName, urlName, children: [] };
  const size = num(o['size']);
  if (size !== undefined && !folder) entry.size = size;
  const date = num(o['date']);
  if (date !== undefined) entry.mTimestamp = date;
  if (folder) {
    const path = parent === '' ? entry.name : `${parent}/${entry.name}`;
    const beyond = pathBeyondLimits(read.storage, path, depth);
    if (beyond) throw new WireError(beyond, WALK_LIMIT_HINT);
    if (Array.isArray(children)) entry.children = entriesOf(children, path, depth + 1, read);
  }
  return entry;
}

/** The entries of one folder; `depth` is theirs (1 for the storage's own). */
function entriesOf(list: unknown[], parent: string, depth: number, read: TreeRead): LegacyEntry[] {
  read.count += list.length;
  const beyond = countBeyondLimits(read.storage, read.count);
  if (beyond) throw new WireError(beyond, WALK_LIMIT_HINT);
  return list.filter(isObj).flatMap((o) => entryOf(o, parent, depth, read) ?? []);
}

const STORAGE_ORIGINS = new Set(['local', 'sdcard', 'usb']);

/** A top-level folder that stands for a whole storage ("Prusa Link gcodes", "SD Card", "USB"). */
function isStorageFolder(o: Obj): boolean {
  const origin = str(o['origin'])?.toLowerCase();
  const path = str(o['path']) ?? '';
  return origin !== undefined && STORAGE_ORIGINS.has(origin) && Array.isArray(o['children']) && segments(path).length === 1;
}

/**
 * `GET /api/files` → the entries of one storage. Pi 0.6 and Buddy 4.4 wrap each storage in a
 * top-level folder whose `origin` names it; an answer without such folders is the root itself.
 */
export function parseLegacyTree(body: unknown, storage: string): LegacyTree {
  if (!isObj(body) || !Array.isArray(body['files'])) throw new WireError('/api/files has no files list');
  const top = body['files'].filter(isObj);
  const wrappers = top.filter(isStorageFolder);
  const read: TreeRead = { storage, count: 0 };
  if (wrappers.length === 0) return { rootSegments: [], entries: entriesOf(top, '', 1, read) };
  const mine = wrappers.find(
    (w) => str(w['origin'])?.toLowerCase() === storage || segments(str(w['path']) ?? '')[0]?.toLowerCase() === storage,
  );
  if (!mine) throw new WireError(`/api/files lists no ${storage} storage`);
  return { rootSegments: segments(str(mine['path']) ?? ''), entries: entriesOf(mine['children'] as unknown[], '', 1, read) };
}

/** The entry at these URL segments, or undefined. */
export function findEntry(tree: LegacyTree, urlSegments: readonly string[], caseInsensitive: boolean): LegacyEntry | undefined {
  const same = (a: string, b: string): boolean => (caseInsensitive ? a.toLowerCase() === b.toLowerCase() : a === b);
  let entries = tree.entries;
  let found: LegacyEntry | undefined;
  for (const seg of urlSegments) {
    found = entries.find((e) => same(e.urlName, seg)) ?? entries.find((e) => same(e.name, seg));
    if (!found) return undefined;
    entries = found.children;
  }
  return found;
}

export interface LegacyPrinterState {
  /** Upper case, as PrinterStatus.state. */
  state: string;
  /** A print job may hold a file (any state but IDLE, READY, FINISHED, STOPPED). */
  job: boolean;
  /** USB stick / SD present, when the printer says. */
  storageReady?: boolean;
}

const FROM_TEXT: Record<string, string> = { operational: 'IDLE', printing: 'PRINTING', paused: 'PAUSED', busy: 'BUSY', error: 'ERROR' };
const KNOWN = new Set(['IDLE', 'BUSY', 'PRINTING', 'PAUSED', 'FINISHED', 'STOPPED', 'ERROR', 'ATTENTION', 'READY']);

/** `GET /api/printer`: the flags decide whether the printer is busy; `link_state`, when given, names the rest. */
export function parseLegacyPrinter(body: unknown): LegacyPrinterState {
  if (!isObj(body) || !isObj(body['state'])) throw new WireError('/api/printer has no state');
  const st = body['state'];
  const flags: Obj = isObj(st['flags']) ? st['flags'] : {};
  const on = (key: string): boolean => flags[key] === true;
  const link = str(flags['link_state'])?.toUpperCase();
  let state: string;
  if (on('printing')) state = 'PRINTING';
  else if (on('paused') || on('pausing')) state = 'PAUSED';
  else if (on('busy') || on('cancelling')) state = 'BUSY';
  else if (on('error') || on('closedOrError')) state = 'ERROR';
  else if (link !== undefined && KNOWN.has(link)) state = link;
  else if (on('operational') || on('ready')) state = 'IDLE';
  else state = FROM_TEXT[(str(st['text']) ?? '').trim().toLowerCase()] ?? 'UNKNOWN';
  // No job details in this API: any state but an idle one may hold a file open.
  const result: LegacyPrinterState = { state, job: !IDLE_LIKE_STATES.has(state) };
  const sd = isObj(body['sd']) ? body['sd']['ready'] : undefined;
  const ready = typeof flags['sdReady'] === 'boolean' ? flags['sdReady'] : sd;
  if (typeof ready === 'boolean') result.storageReady = ready;
  return result;
}

export interface LegacyFileInfo {
  folder: boolean;
  size?: number;
  mTimestamp?: number;
}

/**
 * A single-file answer, `GET /api/files/<target>/<path>`: Buddy 4.4 `{name, origin, size, refs}`,
 * Pi 0.6 `{name, path, type, size, date, ...}`. A folder is `type: "folder"` (Pi) or a listing (Buddy).
 */
export function parseLegacyFile(body: unknown): LegacyFileInfo {
  if (!isObj(body)) throw new WireError('the file answer is not a JSON object');
  const folder = Array.isArray(body['files']) || str(body['type'])?.toLowerCase() === 'folder';
  const info: LegacyFileInfo = { folder };
  const size = num(body['size']);
  if (size !== undefined && !folder) info.size = size;
  const date = num(body['date']);
  if (date !== undefined && !folder) info.mTimestamp = date;
  return info;
}

/** The JSON body of a response, or a 'protocol' PrinterError. */
export function jsonOf(printer: string, what: string, res: HttpResult): unknown {
  try {
    return JSON.parse(res.body.toString('utf8'));
  } catch (err) {
    throw new PrinterError(printer, 'protocol', `printer ${printer}: ${what} gave an answer that is not JSON (status ${res.status})`, {
      hint: hintFor('protocol'),
      status: res.status,
      cause: err,
    });
  }
}

/** Runs a parser, turning a shape error into a 'protocol' PrinterError. */
export function parsed<T>(printer: string, what: string, parse: (body: unknown) => T, body: unknown): T {
  try {
    return parse(body);
  } catch (err) {
    if (!(err instanceof WireError)) throw err;
    throw new PrinterError(printer, 'protocol', `printer ${printer}: ${what}: ${err.message}`, {
      hint: err.hint ?? hintFor('protocol'),
      cause: err,
    });
  }
}
