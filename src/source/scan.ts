// Scans the master folder: every print file with its size and mtime, and what was left out and why.

import fs, { constants as fsConstants, promises as fsp, type Dirent, type Stats, type BigIntStats } from 'node:fs';
import path from 'node:path';
import { SourceError } from '../errors.js';
import type { IgnoredEntry, SourceFile, SourceTree } from '../types.js';
import { DEFAULT_PRINT_EXTENSIONS, hasPrintExtension, isHiddenName, normalizeExtensions } from './filter.js';
import { createFsCalls, type FsCall } from './fs-calls.js';
import { ancestorsOf, compareCodeUnits } from './paths.js';

export interface ScanOptions {
  /** Extensions to keep, any case, with or without the dot; default DEFAULT_PRINT_EXTENSIONS. */
  extensions?: readonly string[];
  /** A file system call slower than this (ms) counts as slow (see fs-calls.ts); 0 runs every call in the thread pool. */
  slowCallMs?: number;
}

/** File system calls in flight at once: enough to hide latency on network shares, few enough for ulimit. */
const CONCURRENCY = 32;
/** Tens of times a local disk's stat from its cache; a network share or a cold disk takes longer. */
const SLOW_CALL_MS = 0.1;

interface ScanState {
  readonly extensions: ReadonlySet<string>;
  readonly call: FsCall;
  readonly files: SourceFile[];
  readonly ignored: IgnoredEntry[];
  readonly emptyFolders: string[];
  /** Set once the scan has failed, so the branches still running stop descending. */
  failed: boolean;
}

/**
 * Walks `root` recursively, following symbolic links. Hidden names, non-print files, special files and
 * entries that cannot be read are listed in `ignored`; nothing but a bad root or a link loop throws.
 */
export async function scanSource(root: string, options: ScanOptions = {}): Promise<SourceTree> {
  const absRoot = path.resolve(root);
  const rootStat = await statRoot(absRoot);
  const state: ScanState = {
    extensions: normalizeExtensions(options.extensions ?? DEFAULT_PRINT_EXTENSIONS),
    call: createFsCalls({ concurrency: CONCURRENCY, slowCallMs: options.slowCallMs ?? SLOW_CALL_MS }),
    files: [],
    ignored: [],
    emptyFolders: [],
    failed: false,
  };
  try {
    await walkFolder(state, absRoot, '', [folderKey(rootStat)]);
  } catch (error) {
    state.failed = true;
    throw error;
  }
  const files = state.files.sort((a, b) => compareCodeUnits(a.relPath, b.relPath));
  const folders = new Set<string>();
  for (const file of files) for (const folder of ancestorsOf(file.relPath)) folders.add(folder);
  return {
    root: absRoot,
    files,
    folders: [...folders].sort(compareCodeUnits),
    ignored: state.ignored.sort((a, b) => compareCodeUnits(a.relPath, b.relPath)),
    emptyFolders: state.emptyFolders.sort(compareCodeUnits),
  };
}

/** Always through the thread pool: a share that does not answer then holds up a worker, not Ctrl-C. */
async function statRoot(absRoot: string): Promise<BigIntStats> {
  let stats: BigIntStats;
  try {
    stats = await fsp.stat(absRoot, { bigint: true });
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new SourceError(`source folder ${absRoot} does not exist`, {
        hint: 'check the path given as the source folder, or create it',
        cause: error,
      });
    }
    throw unreadableRoot(absRoot, error);
  }
  if (!stats.isDirectory()) {
    throw new SourceError(`source folder ${absRoot} is not a folder`, {
      hint: 'give the folder that holds the print files, not a file in it',
    });
  }
  return stats;
}

function unreadableRoot(absRoot: string, error: unknown): SourceError {
  return new SourceError(`cannot read source folder ${absRoot}: ${describeFsError(error)}`, {
    hint: 'check that this user may read and list the folder',
    cause: error,
  });
}

/** `ancestors` holds the device and inode of every folder from the root down to this one. */
async function walkFolder(state: ScanState, absDir: string, relDir: string, ancestors: string[]): Promise<void> {
  if (state.failed) return;
  let entries: Dirent[];
  try {
    entries = await state.call(
      () => fs.readdirSync(absDir, { withFileTypes: true }),
      () => fsp.readdir(absDir, { withFileTypes: true }),
      false,
    );
  } catch (error) {
    if (relDir === '') throw unreadableRoot(absDir, error);
    state.ignored.push({ relPath: relDir, reason: 'unreadable', detail: describeFsError(error, relDir) });
    return;
  }
  // Nothing at all in it, not even a hidden file: what a share that is not mounted looks like.
  if (entries.length === 0 && relDir !== '') state.emptyFolders.push(relDir);
  await Promise.all(entries.map((entry) => visit(state, entry, absDir, relDir, ancestors)));
}

async function visit(state: ScanState, entry: Dirent, absDir: string, relDir: string, ancestors: string[]): Promise<void> {
  const name = entry.name;
  const relPath = relDir === '' ? name : `${relDir}/${name}`;
  const absPath = path.join(absDir, name);
  if (isHiddenName(name)) {
    state.ignored.push({ relPath, reason: 'hidden' });
    return;
  }
  if (entry.isFile()) {
    if (!hasPrintExtension(name, state.extensions)) {
      state.ignored.push({ relPath, reason: 'not-a-print-file' });
      return;
    }
    const stats = await statOrIgnore(
      state,
      relPath,
      () => fs.statSync(absPath),
      () => fsp.stat(absPath),
    );
    if (stats) await keepReadable(state, relPath, absPath, stats);
    return;
  }
  if (!entry.isDirectory() && !entry.isSymbolicLink()) {
    state.ignored.push({ relPath, reason: 'not-a-regular-file', detail: `it is ${specialKind(entry)}` });
    return;
  }
  // Folders and links: stat (through the link) with bigint inode numbers, which stay exact on Windows.
  const stats = await statOrIgnore(
    state,
    relPath,
    () => fs.statSync(absPath, { bigint: true }),
    () => fsp.stat(absPath, { bigint: true }),
  );
  if (!stats) return;
  if (stats.isDirectory()) {
    const key = folderKey(stats);
    if (ancestors.includes(key)) {
      throw new SourceError(`symbolic link loop in the source folder: ${absPath} leads back to a folder that contains it`, {
        hint: 'remove the link or point it outside the source folder',
      });
    }
    await walkFolder(state, absPath, relPath, [...ancestors, key]);
  } else if (stats.isFile()) {
    if (hasPrintExtension(name, state.extensions)) await keepReadable(state, relPath, absPath, stats);
    else state.ignored.push({ relPath, reason: 'not-a-print-file' });
  } else {
    state.ignored.push({ relPath, reason: 'not-a-regular-file', detail: `it is a link to ${specialKind(stats)}` });
  }
}

/** A print file this user cannot read is found now, not at upload time: the run then stops before any printer. */
async function keepReadable(state: ScanState, relPath: string, absPath: string, stats: Stats | BigIntStats): Promise<void> {
  if (stats.isFile()) {
    try {
      await state.call(
        () => fs.accessSync(absPath, fsConstants.R_OK),
        () => fsp.access(absPath, fsConstants.R_OK),
      );
    } catch (error) {
      state.ignored.push({ relPath, reason: 'unreadable', detail: describeFsError(error, relPath) });
      return;
    }
  }
  keepFile(state, relPath, absPath, stats);
}

/** What a special entry is, in words. */
function specialKind(entry: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (entry.isFIFO()) return 'a FIFO (named pipe)';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice()) return 'a character device';
  if (entry.isBlockDevice()) return 'a block device';
  return 'a special file';
}

function keepFile(state: ScanState, relPath: string, absPath: string, stats: Stats | BigIntStats): void {
  if (!stats.isFile()) {
    state.ignored.push({ relPath, reason: 'not-a-regular-file' });
    return;
  }
  const size = Number(stats.size);
  const mtimeMs = typeof stats.mtimeMs === 'bigint' ? numberMtimeMs((stats as BigIntStats).mtimeNs) : stats.mtimeMs;
  state.files.push({ relPath, absPath, size, mtimeMs });
}

const NS_PER_SEC = 1_000_000_000n;

/**
 * The mtimeMs a plain (number) stat gives for this time, to the last bit: the upload and the hash compare
 * against one, and Node computes it as sec * 1e3 + nsec / 1e6 in doubles, which Number(ns) / 1e6 is not.
 */
function numberMtimeMs(mtimeNs: bigint): number {
  let sec = mtimeNs / NS_PER_SEC;
  let nsec = mtimeNs % NS_PER_SEC;
  // Before 1970 the time is whole seconds down and nanoseconds up, as the file system keeps it.
  if (nsec < 0n) {
    sec -= 1n;
    nsec += NS_PER_SEC;
  }
  return Number(sec) * 1e3 + Number(nsec) / 1e6;
}

/** A stat, one way or the other; a failure is recorded as 'unreadable' and gives undefined. */
async function statOrIgnore<S>(state: ScanState, relPath: string, sync: () => S, inPool: () => Promise<S>): Promise<S | undefined> {
  try {
    return await state.call(sync, inPool);
  } catch (error) {
    // Vanished since the listing, a dangling link, no permission: leave it out, say why, go on.
    state.ignored.push({ relPath, reason: 'unreadable', detail: describeFsError(error, relPath) });
    return undefined;
  }
}

function folderKey(stats: BigIntStats): string {
  return `${stats.dev}:${stats.ino}`;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** `relPath`, when given, lets a name that is not valid UTF-8 be told from one that vanished. */
function describeFsError(error: unknown, relPath?: string): string {
  switch (errorCode(error)) {
    case 'ENOENT':
      // Bytes that are not UTF-8 are read as U+FFFD, a name no file has: it cannot be opened by it.
      if (relPath?.includes('\uFFFD')) return 'its name is not valid UTF-8, so it cannot be opened by name: rename it';
      return 'vanished while scanning, or a link to nothing';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENOTDIR':
      return 'no longer a folder';
    default: {
      const code = errorCode(error);
      return code ?? (error instanceof Error ? error.message : String(error));
    }
  }
}
