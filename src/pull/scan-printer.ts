// One printer's side of a pull: identify it, pick the storage as sync does, list the sync root, and
// keep the print files the master lacks, each with its size (one look-up per file on Buddy, whose
// listings have none). Names that could not be written safely here are refused, never downloaded.

import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { PrinterApi } from '../printer/api.js';
import { walkRemote } from '../printer/walk.js';
import { chooseStorage } from '../run/printer/identify.js';
import { DEFAULT_PRINT_EXTENSIONS, hasPrintExtension, isHiddenName, normalizeExtensions } from '../source/filter.js';
import { foldName, joinPath } from '../source/paths.js';
import type { NameRules, RemoteFile, SourceTree } from '../types.js';
import { checkLocalPath } from '../local/names.js';
import type { PullCandidate, PullRefusal, PullSkip } from './types.js';

export interface PrinterScan {
  printer: string;
  storage: string;
  /** Long path of the sync root in the storage. */
  root: string;
  rules: NameRules;
  /** The printer's key for its sync record (serial, else host). */
  serial?: string;
  candidates: PullCandidate[];
  refused: PullRefusal[];
  skipped: PullSkip[];
}

export interface ScanScope {
  printer: string;
  api: PrinterApi;
  /** -d or the config's destination. */
  destination: { storage?: string; path: string };
  prefix: string;
  /** The whole local folder this printer mirrors (unfiltered), to tell what the master lacks. */
  local: SourceTree;
  signal?: AbortSignal;
}

const PRINT_EXTENSIONS = normalizeExtensions(DEFAULT_PRINT_EXTENSIONS);

export async function scanPrinter(scope: ScanScope): Promise<PrinterScan> {
  const { api, printer } = scope;
  const identity = await api.identify();
  const status = await api.status();
  const storage = chooseStorage(printer, await api.storages(), scope.destination.storage, scope.destination.path);
  const root = joinPath(scope.destination.path, scope.prefix);
  const scan: PrinterScan = {
    printer,
    storage: storage.name,
    root,
    rules: identity.rules,
    ...(identity.serial !== undefined ? { serial: identity.serial } : {}),
    candidates: [],
    refused: [],
    skipped: [],
  };
  const tree = await walkRemote(api, storage.name, root, identity.rules);
  const localKeys = localPathKeys(scope.local, identity.rules);
  const rootDepth = tree.rootUrl === '' ? 0 : tree.rootUrl.split('/').length;
  const needSize: PullCandidate[] = [];
  for (const file of tree.files) {
    const verdict = await judge(file, rootDepth, scope.local.root, localKeys, identity.rules, status.transferRunning);
    if (verdict.kind === 'refuse') scan.refused.push({ printer, path: file.path, reason: verdict.reason });
    else if (verdict.kind === 'skip') scan.skipped.push({ printer, path: file.path, reason: verdict.reason });
    else if (verdict.kind === 'pull') {
      const candidate: PullCandidate = {
        printer,
        storage: storage.name,
        path: file.path,
        urlPath: file.urlPath,
        size: file.size ?? -1,
        localRoot: scope.local.root,
        ...(file.mTimestamp !== undefined ? { mTimestamp: file.mTimestamp } : {}),
      };
      if (file.size === undefined) needSize.push(candidate);
      scan.candidates.push(candidate);
    }
  }
  // Buddy lists no sizes: ask for each candidate (never for files the master already has).
  for (const candidate of needSize) {
    if (scope.signal?.aborted) break;
    const info = await api.stat(storage.name, candidate.urlPath);
    if (info?.size === undefined) {
      scan.candidates.splice(scan.candidates.indexOf(candidate), 1);
      scan.skipped.push({
        printer,
        path: candidate.path,
        reason: info ? 'the printer does not tell its size' : 'it vanished from the printer while it was listed',
      });
      continue;
    }
    candidate.size = info.size;
    if (info.mTimestamp !== undefined) candidate.mTimestamp = info.mTimestamp;
  }
  return scan;
}

type Verdict = { kind: 'pull' } | { kind: 'ignore' } | { kind: 'skip'; reason: string } | { kind: 'refuse'; reason: string };

async function judge(
  file: RemoteFile,
  rootDepth: number,
  localRoot: string,
  localKeys: ReadonlySet<string>,
  rules: NameRules,
  transferRunning: boolean,
): Promise<Verdict> {
  const check = checkLocalPath(file.path);
  if (!check.ok) return { kind: 'refuse', reason: `${check.reason}; it is not written here` };
  // A name that holds "/" reads as several names: the listing's URL names tell how many there were.
  const urlNames = file.urlPath.split('/').length - rootDepth;
  if (urlNames !== check.names.length) return { kind: 'refuse', reason: 'a name holds "/"; it is not written here' };
  if (check.names.some(isHiddenName)) return { kind: 'ignore' };
  if (!hasPrintExtension(check.names[check.names.length - 1]!, PRINT_EXTENSIONS)) return { kind: 'ignore' };
  if (localKeys.has(foldName(file.path, rules))) return { kind: 'ignore' };
  try {
    await fsp.lstat(path.join(localRoot, ...check.names));
    return { kind: 'ignore' }; // something is there already (another type, another case): never overwritten
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return { kind: 'skip', reason: 'a local file stands where its folder would be' };
    if (code !== 'ENOENT') return { kind: 'skip', reason: `the local path cannot be checked (${code ?? String(error)})` };
  }
  if (file.partial) return { kind: 'skip', reason: 'a Prusa Connect download still in progress' };
  if (transferRunning)
    return { kind: 'skip', reason: 'a transfer is running on the printer: it may still be receiving this file; pull again when it ends' };
  return { kind: 'pull' };
}

/** Every local path the printer would see as the same name (folded on a printer that ignores case). */
function localPathKeys(local: SourceTree, rules: NameRules): Set<string> {
  const keys = new Set<string>();
  for (const f of local.files) keys.add(foldName(f.relPath, rules));
  for (const f of local.ignored) keys.add(foldName(f.relPath, rules));
  return keys;
}
