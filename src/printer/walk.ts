// Reads a printer's files under the sync root into a RemoteTree: one folder per request, one
// request at a time, descending by the names the printer resolves best (8.3 short names on Buddy).

import { PrinterError } from '../errors.js';
import type { NameRules, RemoteFile, RemoteFolder, RemoteTree } from '../types.js';
import type { PrinterApi, RemoteEntry } from './api.js';
import { childPathsOf, joinListed as join } from './child-paths.js';
import { hintFor } from './http-errors.js';
import { foldName } from '../source/paths.js';

/** No printer holds folders nested deeper than this (Buddy's 104-byte path buffer stops near 50). */
export const MAX_WALK_DEPTH = 64;
/** Nor a path longer than this (Linux PATH_MAX on a Pi; far beyond what Buddy can address). */
export const MAX_WALK_PATH_BYTES = 4096;
/** Nor more entries in all (a USB stick of prints holds thousands): each answer is capped in size, their number is not. */
export const MAX_WALK_ENTRIES = 200_000;

export const WALK_LIMIT_HINT =
  "check the printer's storage (a damaged USB stick can list folders without end); nothing was changed on this printer";

/** Why a folder this deep or long is a broken answer, not a folder to follow; undefined when it is fine. */
export function pathBeyondLimits(storage: string, path: string, depth: number): string | undefined {
  const tooDeep = depth > MAX_WALK_DEPTH;
  if (!tooDeep && Buffer.byteLength(path) <= MAX_WALK_PATH_BYTES) return undefined;
  const shown = path.length > 80 ? `${path.slice(0, 40)}…${path.slice(-30)}` : path;
  const why = tooDeep ? `more than ${MAX_WALK_DEPTH} folders deep` : `longer than ${MAX_WALK_PATH_BYTES} bytes`;
  return `its file listing goes on ${why} (${storage}/${shown}), which no printer can hold; not syncing it`;
}

/** Why this many listed entries is a broken answer (and would exhaust memory); undefined when it is fine. */
export function countBeyondLimits(storage: string, count: number): string | undefined {
  if (count <= MAX_WALK_ENTRIES) return undefined;
  return `its file listing goes on past ${MAX_WALK_ENTRIES} entries (${count} listed on ${storage}), which no printer can hold; not syncing it`;
}

function checkWalkable(printer: string, problem: string | undefined): void {
  if (problem === undefined) return;
  throw new PrinterError(printer, 'protocol', `printer ${printer}: ${problem}`, { hint: WALK_LIMIT_HINT });
}

function sameName(rules: NameRules, a: string, b: string): boolean {
  return foldName(a, rules) === foldName(b, rules);
}

/** The entry a long name refers to: folders first (by long, then URL name, as Buddy accepts either). */
function findEntry(entries: RemoteEntry[], name: string, rules: NameRules): RemoteEntry | undefined {
  const match = (e: RemoteEntry): boolean => sameName(rules, e.name, name) || sameName(rules, e.urlName, name);
  return entries.find((e) => e.type === 'folder' && match(e)) ?? entries.find(match);
}

/**
 * Lists everything under `rootPath` (long names, storage-relative, '' for the storage root).
 * A listing error propagates: a partial tree must never be used to plan deletions.
 */
export async function walkRemote(
  api: PrinterApi,
  storage: string,
  rootPath: string,
  rules: NameRules,
  /** One copy of each path for all printers of a run (many printers hold the same files). */
  pool?: Map<string, string>,
): Promise<RemoteTree> {
  const children = pool ? childPathsOf(pool) : undefined;
  const child = (parent: string, name: string): string => (children ? children.child(parent, name) : join(parent, name));
  const rootSegs = rootPath.split('/').filter((s) => s !== '');
  const root = rootSegs.join('/');
  const missing = (what: string): PrinterError =>
    new PrinterError(api.name, 'not-found', `printer ${api.name}: ${what} vanished while it was being listed`, {
      hint: hintFor('not-found'),
    });

  let entries = await api.list(storage, '');
  if (entries === undefined) {
    throw new PrinterError(api.name, 'not-found', `printer ${api.name}: storage ${storage} not found`, {
      hint: 'check the storage name; Buddy printers use "usb", PrusaLink on a Pi uses "local"',
    });
  }
  let rootUrl = '';
  for (let i = 0; i < rootSegs.length; i++) {
    const seg = rootSegs[i] as string;
    const found = findEntry(entries, seg, rules);
    if (found === undefined || found.type !== 'folder') {
      if (found !== undefined) {
        throw new PrinterError(
          api.name,
          'rejected',
          `printer ${api.name}: ${join(storage, rootSegs.slice(0, i + 1).join('/'))} is a file, not a folder`,
          {
            hint: 'rename or remove that file on the printer, or sync into another folder',
          },
        );
      }
      const rest = rootSegs.slice(i).join('/');
      return {
        storage,
        root,
        rootUrl: join(rootUrl, rest),
        rootExists: false,
        missingRootFolders: rootSegs.length - i,
        files: [],
        folders: [],
      };
    }
    rootUrl = join(rootUrl, found.urlName);
    const next = await api.list(storage, rootUrl);
    if (next === undefined) throw missing(join(storage, rootUrl));
    entries = next;
  }

  // Counted as each answer comes: a printer may list folder after folder until memory runs out.
  let listed = 0;
  const count = (n: number): void => {
    listed += n;
    checkWalkable(api.name, countBeyondLimits(storage, listed));
  };
  count(entries.length);
  const files: RemoteFile[] = [];
  const folders: RemoteFolder[] = [];
  // Depth-first with an explicit stack; each folder is listed exactly once.
  const stack: Array<{ path: string; urlPath: string; depth: number; entries: RemoteEntry[] }> = [
    { path: '', urlPath: rootUrl, depth: rootSegs.length, entries },
  ];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    // A listing that names one entry twice gets one action for it, never two requests.
    const seenNames = new Set<string>();
    const seenUrls = new Set<string>();
    for (const e of dir.entries) {
      const longKey = foldName(e.name, rules);
      const urlKey = foldName(e.urlName, rules);
      if (seenNames.has(longKey) || seenUrls.has(urlKey)) continue;
      seenNames.add(longKey);
      seenUrls.add(urlKey);
      const path = child(dir.path, e.name);
      const urlPath = child(dir.urlPath, e.urlName);
      if (e.type === 'folder') {
        folders.push({ path, urlPath, ...(e.mTimestamp !== undefined ? { mTimestamp: e.mTimestamp } : {}) });
        checkWalkable(api.name, pathBeyondLimits(storage, join(root, path), dir.depth + 1));
        const inside = await api.list(storage, urlPath);
        if (inside === undefined) throw missing(join(storage, urlPath));
        count(inside.length);
        stack.push({ path, urlPath, depth: dir.depth + 1, entries: inside });
      } else {
        const file: RemoteFile = { path, urlPath, readOnly: e.readOnly };
        if (e.size !== undefined) file.size = e.size;
        if (e.mTimestamp !== undefined) file.mTimestamp = e.mTimestamp;
        if (e.partial) file.partial = true;
        files.push(file);
      }
    }
  }
  const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  files.sort(byPath);
  folders.sort(byPath);
  return { storage, root, rootUrl, rootExists: true, files, folders };
}
