// Pi PrusaLink's JSON for files and folders: real names, `read_only`, sizes everywhere (a folder's
// size is the sum below it), every file listed except dot-files, non-G-code files as type FILE.

import { hasExtension, PI_PRINT_EXTENSIONS } from '../model/fat-names.js';
import type { FileNode, FolderNode, Volume, VolumeNode } from '../model/volume.js';
import { encodePath } from './paths.js';

export const PI_STORAGE_NAMES: Record<string, string> = { local: 'PrusaLink gcodes', sdcard: 'SD Card' };

export function isListed(node: VolumeNode): boolean {
  return node.forceListed === true || !node.name.startsWith('.');
}

function fileEntry(volume: Volume, node: FileNode): Record<string, unknown> {
  const print = hasExtension(node.name, PI_PRINT_EXTENSIONS);
  const download = `/api/files/${volume.name}/${encodePath(volume.pathOf(node).split('/'))}/raw`;
  return {
    type: print ? 'PRINT_FILE' : 'FILE',
    name: node.name,
    read_only: volume.readOnly,
    m_timestamp: node.mTimestamp,
    size: node.size,
    display_name: node.name,
    refs: print ? { download, icon: null, thumbnail: null } : { download },
  };
}

function folderEntry(volume: Volume, node: FolderNode): Record<string, unknown> {
  const root = node.parent === undefined;
  return {
    type: 'FOLDER',
    name: root ? volume.name : node.name,
    read_only: volume.readOnly,
    m_timestamp: node.mTimestamp ?? 0,
    size: node.bytes,
    display_name: root ? (PI_STORAGE_NAMES[volume.name] ?? volume.name) : node.name,
  };
}

export function renderEntry(volume: Volume, node: VolumeNode): Record<string, unknown> {
  return node.kind === 'file' ? fileEntry(volume, node) : folderEntry(volume, node);
}

/** A folder with its first level of children. */
export function renderFolder(volume: Volume, node: FolderNode): Record<string, unknown> {
  const children: Record<string, unknown>[] = [];
  for (const child of node.children.values()) if (isListed(child)) children.push(renderEntry(volume, child));
  return { ...folderEntry(volume, node), children };
}
