// Tiny builders for planner tests: source and remote trees from paths, and the two printers' rules.

import type { NameRules, RemoteFile, RemoteFolder, RemoteTree, SourceFile, SourceTree, SyncPolicy } from '../../src/types.js';
import { ancestorsOf, compareCodeUnits, joinPath } from '../../src/source/paths.js';

/** A reference time in seconds: 2023-11-14. */
export const T = 1_700_000_000;

/** Buddy as the API notes describe it (FatFS, 103-byte PUT path, 168-byte URL). */
export const BUDDY: NameRules = {
  caseInsensitive: true,
  forbiddenChars: '"*:<>?|\\\u0001\u007f',
  maxPutPathBytes: 103,
  maxUrlBytes: 168,
  maxNameUtf16: 167,
  stripsTrailingDotsAndSpaces: true,
  printExtensions: ['.g', '.gc', '.gco', '.gcode', '.bgc', '.bgcode'],
};

/** Pi as the API notes describe it (ext4, case-sensitive, no bgcode). */
export const PI: NameRules = {
  caseInsensitive: false,
  forbiddenChars: '\\?"%¯°#ˇ',
  maxNameBytes: 248,
  stripsTrailingDotsAndSpaces: false,
  printExtensions: ['.gcode', '.gc', '.g', '.gco'],
};

export const POLICY: SyncPolicy = { modifyWindowSec: 60, deleteExtraneous: true };

/** A local file; by default 100 bytes, modified at T. */
export function local(relPath: string, options: { size?: number; mtimeSec?: number } = {}): SourceFile {
  return {
    relPath,
    absPath: `/master/${relPath}`,
    size: options.size ?? 100,
    mtimeMs: (options.mtimeSec ?? T) * 1000,
  };
}

export function sourceOf(...files: SourceFile[]): SourceTree {
  const sorted = [...files].sort((a, b) => compareCodeUnits(a.relPath, b.relPath));
  const folders = new Set<string>();
  for (const file of sorted) for (const folder of ancestorsOf(file.relPath)) folders.add(folder);
  return { root: '/master', files: sorted, folders: [...folders].sort(compareCodeUnits), ignored: [] };
}

/** A remote file; by default listed at T with the same 100 bytes, urlPath = long path under the root. */
export function remoteFile(path: string, options: Partial<RemoteFile> = {}): RemoteFile {
  return { path, urlPath: path, readOnly: false, mTimestamp: T, size: 100, ...options };
}

export interface RemoteSpec {
  files?: RemoteFile[];
  /** Extra folders (e.g. empty ones), or folders with short urlPaths; others are derived from files. */
  folders?: RemoteFolder[];
  storage?: string;
  root?: string;
  rootUrl?: string;
  rootExists?: boolean;
}

/**
 * The printer's tree. A file's urlPath given without the root is prefixed with rootUrl; folders
 * named by files but not listed in `folders` get urlPath = rootUrl + long path.
 */
export function remoteOf(spec: RemoteSpec = {}): RemoteTree {
  const root = spec.root ?? '';
  const rootUrl = spec.rootUrl ?? root;
  const files = (spec.files ?? []).map((file) => ({ ...file, urlPath: joinPath(rootUrl, file.urlPath) }));
  const folders = new Map<string, RemoteFolder>();
  for (const folder of spec.folders ?? []) folders.set(folder.path, { ...folder, urlPath: joinPath(rootUrl, folder.urlPath) });
  for (const file of spec.files ?? []) {
    for (const folder of ancestorsOf(file.path)) {
      if (!folders.has(folder)) folders.set(folder, { path: folder, urlPath: joinPath(rootUrl, folder) });
    }
  }
  return {
    storage: spec.storage ?? 'usb',
    root,
    rootUrl,
    rootExists: spec.rootExists ?? true,
    files,
    folders: [...folders.values()],
  };
}

export function folder(path: string, urlPath = path): RemoteFolder {
  return { path, urlPath };
}
