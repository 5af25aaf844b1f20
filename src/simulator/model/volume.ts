// One storage of a simulated printer: a folder tree with long and (on FAT) 8.3 short names,
// optionally mirrored on disk. Every operation costs O(depth), never O(files).

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { foldCase, hasExtension, makeShortName } from './fat-names.js';

/** What a file holds: bytes in memory, bytes on disk, or only size and hash. */
export interface StoredContent {
  size: number;
  sha256: string;
  data?: Buffer;
  /** A finished temp file on disk, moved into place when stored. */
  diskPath?: string;
}

export interface FileNode {
  kind: 'file';
  name: string;
  /** 8.3 short name on FAT; the name itself elsewhere. */
  short: string;
  parent: FolderNode;
  size: number;
  sha256: string;
  mTimestamp: number;
  data: Buffer | undefined;
  /** Listed whatever its name (seedNamed: hostile names in listings). */
  forceListed?: boolean;
}

export interface FolderNode {
  kind: 'folder';
  name: string;
  short: string;
  parent: FolderNode | undefined;
  /** Undefined for a FAT root, which has no directory entry. */
  mTimestamp: number | undefined;
  /** Keyed by the (case-folded on FAT) long name. */
  children: Map<string, VolumeNode>;
  /** Keyed by upper-case short name; FAT only. */
  shorts: Map<string, VolumeNode> | undefined;
  /** Sum of file sizes below, at any depth. */
  bytes: number;
  /** Listed whatever its name (seedNamed: hostile names in listings). */
  forceListed?: boolean;
}

export type VolumeNode = FileNode | FolderNode;

export interface VolumeOptions {
  name: string;
  /** FAT: case-insensitive lookups and 8.3 short names. */
  fat: boolean;
  readOnly: boolean;
  /** Mirror files under this folder. */
  diskRoot?: string;
  /** ext4: adding or removing an entry updates the folder's mtime. */
  touchFolderOnChange: boolean;
  rootTimestamp: number | undefined;
  /** The host time in epoch ms behind `lastChangeMs` (the printer's `now` option); default `Date.now`. */
  now?: () => number;
  /** Files with these extensions count towards `printBytes`. */
  printExtensions: readonly string[];
}

export class VolumeError extends Error {
  constructor(
    readonly reason: 'not-a-folder' | 'no-short-name',
    message: string,
  ) {
    super(message);
  }
}

export class Volume {
  readonly name: string;
  readonly fat: boolean;
  readonly readOnly: boolean;
  readonly diskRoot: string | undefined;
  readonly root: FolderNode;
  /** Bumped on every change; feeds ETags. */
  changes = 0;
  lastChangeMs: number;
  fileCount = 0;
  /** Bytes held by print files. */
  printBytes = 0;
  private readonly touchFolders: boolean;
  private readonly printExtensions: readonly string[];
  private readonly now: () => number;

  constructor(options: VolumeOptions) {
    this.now = options.now ?? Date.now;
    this.lastChangeMs = this.now();
    this.name = options.name;
    this.fat = options.fat;
    this.readOnly = options.readOnly;
    this.diskRoot = options.diskRoot;
    this.touchFolders = options.touchFolderOnChange;
    this.printExtensions = options.printExtensions;
    this.root = this.newFolder(options.name, options.name, undefined, options.rootTimestamp);
    if (this.diskRoot) mkdirSync(this.diskRoot, { recursive: true });
  }

  key(name: string): string {
    return this.fat ? foldCase(name) : name;
  }

  /** A child by long name, or on FAT by short name too (FatFS matches either). */
  child(folder: FolderNode, name: string): VolumeNode | undefined {
    const key = this.key(name);
    return folder.children.get(key) ?? folder.shorts?.get(key);
  }

  resolve(parts: readonly string[]): VolumeNode | undefined {
    let node: VolumeNode = this.root;
    for (const part of parts) {
      if (node.kind !== 'folder') return undefined;
      const next = this.child(node, part);
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  /** Creates missing folders (mkdir -p); throws when a part is a file. */
  ensureFolder(parts: readonly string[], mTimestamp: number): FolderNode {
    let folder = this.root;
    for (const part of parts) {
      const next = this.child(folder, part);
      if (!next) folder = this.mkdir(folder, part, mTimestamp);
      else if (next.kind === 'folder') folder = next;
      else throw new VolumeError('not-a-folder', `${this.pathOf(next)} is a file`);
    }
    return folder;
  }

  mkdir(parent: FolderNode, name: string, mTimestamp: number): FolderNode {
    const folder = this.newFolder(name, this.shortFor(parent, name), parent, mTimestamp);
    this.link(parent, folder, mTimestamp);
    if (this.diskRoot) mkdirSync(this.diskPathOf(folder), { recursive: true });
    return folder;
  }

  /** Stores a file, replacing any file of the same name. */
  putFile(parent: FolderNode, name: string, content: StoredContent, mTimestamp: number): FileNode {
    const existing = this.child(parent, name);
    if (existing?.kind === 'file') this.remove(existing, mTimestamp);
    else if (existing) throw new VolumeError('not-a-folder', `${this.pathOf(existing)} is a folder`);
    const node: FileNode = {
      kind: 'file',
      name,
      short: this.shortFor(parent, name),
      parent,
      size: content.size,
      sha256: content.sha256,
      mTimestamp,
      data: this.diskRoot ? undefined : content.data,
    };
    if (this.diskRoot) {
      const target = this.diskPathOf(node);
      mkdirSync(this.diskPathOf(parent), { recursive: true });
      if (content.diskPath) renameSync(content.diskPath, target);
      else writeFileSync(target, content.data ?? Buffer.alloc(0));
    }
    this.link(parent, node, mTimestamp);
    this.fileCount++;
    if (this.isPrint(node)) this.printBytes += node.size;
    this.addBytes(parent, node.size);
    return node;
  }

  /** Removes a file or a whole folder. */
  remove(node: VolumeNode, mTimestamp: number): void {
    const parent = node.parent;
    if (!parent) return;
    if (this.diskRoot) rmSync(this.diskPathOf(node), { recursive: true, force: true });
    parent.children.delete(this.key(node.name));
    parent.shorts?.delete(node.short);
    for (const file of node.kind === 'file' ? [node] : this.walk(node)) {
      if (file.kind !== 'file') continue;
      this.fileCount--;
      if (this.isPrint(file)) this.printBytes -= file.size;
    }
    this.addBytes(parent, node.kind === 'file' ? -node.size : -node.bytes);
    this.touch(parent, mTimestamp);
  }

  /** The file's bytes, when kept. */
  read(node: FileNode): Buffer | undefined {
    if (node.data) return node.data;
    if (!this.diskRoot) return undefined;
    try {
      return readFileSync(this.diskPathOf(node));
    } catch {
      return undefined;
    }
  }

  /** Long path relative to the storage root, '' for the root. */
  pathOf(node: VolumeNode): string {
    return this.chain(node)
      .map((n) => n.name)
      .join('/');
  }

  /** The same path built from short names. */
  shortPathOf(node: VolumeNode): string {
    return this.chain(node)
      .map((n) => n.short)
      .join('/');
  }

  diskPathOf(node: VolumeNode): string {
    if (!this.diskRoot) throw new Error('volume has no disk root');
    return join(this.diskRoot, ...this.chain(node).map((n) => n.name));
  }

  /** Every node below the root, parents before children. */
  *walk(folder: FolderNode = this.root): Generator<VolumeNode> {
    for (const child of folder.children.values()) {
      yield child;
      if (child.kind === 'folder') yield* this.walk(child);
    }
  }

  private isPrint(node: FileNode): boolean {
    return hasExtension(node.name, this.printExtensions);
  }

  private chain(node: VolumeNode): VolumeNode[] {
    const out: VolumeNode[] = [];
    for (let n: VolumeNode | undefined = node; n?.parent; n = n.parent) out.push(n);
    return out.reverse();
  }

  private shortFor(parent: FolderNode, name: string): string {
    if (!parent.shorts) return name;
    const shorts = parent.shorts;
    const sfn = makeShortName(name, (s) => shorts.has(s) || parent.children.has(s));
    if (!sfn) throw new VolumeError('no-short-name', `no free 8.3 name for ${name}`);
    return sfn;
  }

  private newFolder(name: string, short: string, parent: FolderNode | undefined, mTimestamp: number | undefined): FolderNode {
    return {
      kind: 'folder',
      name,
      short,
      parent,
      mTimestamp,
      children: new Map(),
      shorts: this.fat ? new Map() : undefined,
      bytes: 0,
    };
  }

  private link(parent: FolderNode, node: VolumeNode, mTimestamp: number): void {
    parent.children.set(this.key(node.name), node);
    parent.shorts?.set(node.short, node);
    this.touch(parent, mTimestamp);
  }

  private touch(folder: FolderNode, mTimestamp: number): void {
    this.changes++;
    this.lastChangeMs = this.now();
    if (this.touchFolders) folder.mTimestamp = mTimestamp;
  }

  private addBytes(folder: FolderNode, delta: number): void {
    for (let f: FolderNode | undefined = folder; f; f = f.parent) f.bytes += delta;
  }
}
