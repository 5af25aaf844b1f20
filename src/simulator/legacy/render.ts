// The legacy `/api/files` JSON. Pi 0.6: the whole tree at once, one folder per storage ("Prusa Link
// gcodes", "SD Card") whose paths start with that folder's name, G-code files and folders only.
// Buddy 4.4: one "USB" folder holding one level of print files, 8.3 `name`, long `display`, no size.

import { hasExtension, PI_PRINT_EXTENSIONS } from '../model/fat-names.js';
import type { FileNode, FolderNode, Volume, VolumeNode } from '../model/volume.js';

/** The folder each Pi storage shows as in the legacy tree (PrusaLink 0.6 spelling). */
export const LEGACY_PI_ROOTS: Record<string, string> = { local: 'Prusa Link gcodes', sdcard: 'SD Card' };

/** Buddy 4.4 predates binary G-code. */
export const LEGACY_BUDDY_EXTENSIONS: readonly string[] = ['.g', '.gc', '.gco', '.gcode'];

type Json = Record<string, unknown>;

/** A file as the Pi 0.6 tree and its single-file answer show it (non-G-code files have no type). */
export function legacyPiFile(volume: Volume, node: FileNode, path: string): Json {
  const local = volume.name === 'local';
  return {
    name: node.name,
    path,
    display: node.name,
    date: node.mTimestamp,
    size: node.size,
    origin: volume.name,
    type: hasExtension(node.name, PI_PRINT_EXTENSIONS) ? 'machinecode' : null,
    typePath: hasExtension(node.name, PI_PRINT_EXTENSIONS) ? ['machinecode', 'gcode'] : null,
    hash: null,
    refs: local
      ? { resource: `/api/files/local${path}`, download: `/api/downloads/local${path}`, thumbnailSmall: null, thumbnailBig: null }
      : { resource: `/api/files/sdcard${path}`, download: null, thumbnailSmall: null, thumbnailBig: null },
    gcodeAnalysis: { estimatedPrintTime: null, material: null, layerHeight: null },
  };
}

function piFolder(volume: Volume, node: FolderNode, name: string, path: string): Json {
  const children: Json[] = [];
  for (const child of node.children.values()) {
    const entry = piEntry(volume, child, `${path}/${child.name}`);
    if (entry) children.push(entry);
  }
  // Folders first, then the newest files first, as PrusaLink sorts them.
  const rank = (e: Json): number => (e['type'] === 'folder' ? 1 : 0);
  children.sort((a, b) => rank(b) - rank(a) || Number(b['date'] ?? 0) - Number(a['date'] ?? 0));
  return {
    name,
    path,
    display: name,
    date: node.mTimestamp ?? null,
    size: node.bytes,
    type: 'folder',
    typePath: ['folder'],
    origin: volume.name,
    refs: { resource: null },
    children,
  };
}

function piEntry(volume: Volume, node: VolumeNode, path: string): Json | undefined {
  if (node.name.startsWith('.')) return undefined;
  if (node.kind === 'folder') return piFolder(volume, node, node.name, path);
  return hasExtension(node.name, PI_PRINT_EXTENSIONS) ? legacyPiFile(volume, node, path) : undefined;
}

/** Pi 0.6 `GET /api/files`: every storage as a top-level folder. */
export function legacyPiTree(volumes: Iterable<Volume>): Json[] {
  const out: Json[] = [];
  for (const volume of volumes) {
    const root = LEGACY_PI_ROOTS[volume.name] ?? volume.name;
    out.push(piFolder(volume, volume.root, root, `/${root}`));
  }
  return out;
}

/** Buddy 4.4 listing of one folder: print files only, one level, under a fixed "USB" folder. */
export function legacyBuddyListing(volume: Volume, folder: FolderNode | undefined): Json {
  const children: Json[] = [];
  const filepath = folder?.parent ? `/usb/${volume.shortPathOf(folder)}` : '/usb';
  const last = filepath.slice(filepath.lastIndexOf('/') + 1);
  for (const child of folder?.children.values() ?? []) {
    if (child.kind !== 'file' || child.name.startsWith('.') || !hasExtension(child.name, LEGACY_BUDDY_EXTENSIONS)) continue;
    children.push({
      name: child.short,
      display: child.name,
      path: `${last}/${child.short}`,
      origin: 'usb',
      refs: {
        resource: `/api/files${filepath}/${child.short}`,
        thumbnailSmall: `/thumb/s${filepath}/${child.short}`,
        thumbnailBig: `/thumb/l${filepath}/${child.short}`,
        download: `${last}/${child.short}`,
      },
    });
  }
  return { files: [{ name: 'USB', path: '/usb', display: 'USB', type: 'folder', origin: 'usb', children }] };
}

/** Buddy 4.4 single-file answer (also the body of a successful upload). */
export function legacyBuddyFile(volume: Volume, node: FileNode): Json {
  const short = `/usb/${volume.shortPathOf(node)}`;
  return {
    name: node.name,
    origin: 'local',
    size: node.size,
    refs: { resource: `/api/files${short}`, thumbnailSmall: `/thumb/s${short}`, thumbnailBig: `/thumb/l${short}`, download: short },
  };
}
