// Buddy's JSON for files and folders: 8.3 short `name`, long `display_name`, `ro`, no sizes in
// listings, no m_timestamp on the root; only folders and print files are listed.

import { BUDDY_PRINT_EXTENSIONS, hasExtension } from '../model/fat-names.js';
import type { FileNode, FolderNode, Volume, VolumeNode } from '../model/volume.js';

export function isListed(node: VolumeNode): boolean {
  if (node.forceListed) return true;
  if (node.name.startsWith('.')) return false;
  return node.kind === 'folder' || hasExtension(node.name, BUDDY_PRINT_EXTENSIONS);
}

function refs(shortPath: string): Record<string, string> {
  return { icon: `/thumb/s/usb/${shortPath}`, thumbnail: `/thumb/l/usb/${shortPath}`, download: `/usb/${shortPath}` };
}

function fileType(node: FileNode): string {
  return hasExtension(node.name, BUDDY_PRINT_EXTENSIONS) ? 'PRINT_FILE' : 'FILE';
}

/** An entry of a folder listing. */
export function renderChild(volume: Volume, node: VolumeNode): Record<string, unknown> {
  if (node.kind === 'folder') {
    return { name: node.short, ro: false, type: 'FOLDER', m_timestamp: node.mTimestamp, display_name: node.name };
  }
  return {
    name: node.short,
    ro: false,
    type: fileType(node),
    m_timestamp: node.mTimestamp,
    refs: refs(volume.shortPathOf(node)),
    display_name: node.name,
  };
}

/** A Prusa Connect download in progress: a read-only entry without a download link. */
export function renderPartial(short: string, long: string, mTimestamp: number): Record<string, unknown> {
  return { name: short, ro: true, type: 'PRINT_FILE', m_timestamp: mTimestamp, display_name: long };
}

/** Single-file GET (and the body of a successful upload). */
export function renderFile(volume: Volume, node: FileNode): Record<string, unknown> {
  return {
    name: node.short,
    ro: false,
    type: fileType(node),
    m_timestamp: node.mTimestamp,
    size: node.size,
    refs: refs(volume.shortPathOf(node)),
    display_name: node.name,
  };
}

/** The folder itself, without children. */
export function renderFolderHead(node: FolderNode): Record<string, unknown> {
  const head: Record<string, unknown> = { type: 'FOLDER', ro: false };
  if (node.parent && node.mTimestamp !== undefined) head['m_timestamp'] = node.mTimestamp;
  head['name'] = node.parent ? node.short : 'usb';
  return head;
}

/** Folder ETag: a hash of the change counter and the path, as a quoted decimal. */
export function folderEtag(volume: Volume, path: string, usbPresent: boolean): string {
  let h = 2166136261;
  const text = `${volume.changes}:${usbPresent ? 1 : 0}:${path.toUpperCase()}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return `"${h}"`;
}
