// Watches the master folder for `watch`: folder watchers and a periodic rescan, debounced; a change
// counts only once two scans a settle time apart agree and no file was modified within it, so a
// file still being written is never sent. Events for names the scan skips (a log, an editor's
// hidden swap file) are ignored, and a folder that never stops changing is still looked at after a
// bounded time.

import { watch as fsWatch, promises as fsp, type Dirent, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { RunInputs } from '../run/prepare.js';
import type { EventSink } from '../report/events.js';
import { toErrorInfo } from '../report/error-info.js';
import { DEFAULT_PRINT_EXTENSIONS, hasPrintExtension, isHiddenName, normalizeExtensions } from '../source/filter.js';

/** One settled state of the master folder; the version grows with each change. */
export interface MasterSnapshot {
  version: number;
  inputs: RunInputs;
}

export interface MasterWatchOptions {
  /** Scans the master folder (and every printer's own source) into run inputs; throws for bad input. */
  prepare: () => Promise<RunInputs>;
  /** A change must hold still this long before it is synced (default 3 s). */
  settleMs: number;
  /** Rescan this often even without a folder event (network shares send none). */
  rescanMs: number;
  /** Folder events stop postponing the next look this long after the first one (default 10 × settleMs). */
  maxHoldMs?: number;
  emit: EventSink;
  /** Told when a new snapshot is ready. */
  onSettled: (snapshot: MasterSnapshot) => void;
}

/** Mtimes this far in the future are clock skew, not a write in progress. */
const FUTURE_SLACK_MS = 2000;

/** The scan's own extensions: an event for any other file name cannot change what is synced. */
const PRINT_EXTENSIONS = normalizeExtensions(DEFAULT_PRINT_EXTENSIONS);

export class MasterWatch {
  private current: MasterSnapshot | undefined;
  /** A change was seen and has not settled: no sync may start from the old snapshot. */
  private unsettled = false;
  /** The last scan failed (unreadable or empty source): syncing is paused. */
  private blocked = false;
  private lastSignature: string | undefined;
  private settledSignature: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** When the pending look is due. */
  private dueAt = Infinity;
  /** The first folder event since the master last settled. */
  private heldSince: number | undefined;
  private checking = false;
  private eventDuringCheck = false;
  private stopped = false;
  private readonly watchers = new Map<string, FSWatcher>();

  constructor(private readonly options: MasterWatchOptions) {}

  /** The snapshot printers may be synced from now; undefined while the master is changing or unusable. */
  get snapshot(): MasterSnapshot | undefined {
    return this.unsettled || this.blocked ? undefined : this.current;
  }

  /** The last settled version, also while a newer change settles or the folder is unusable; 0 before the first. */
  get version(): number {
    return this.current?.version ?? 0;
  }

  /** Starts from a first scan (already checked by the caller). */
  async start(first: RunInputs): Promise<void> {
    this.lastSignature = signature(first);
    if (isFresh(first, this.options.settleMs)) {
      this.unsettled = true;
      this.heldSince = Date.now();
      this.schedule(this.options.settleMs);
    } else {
      this.settle(first, this.lastSignature, false);
      this.schedule(this.options.rescanMs);
    }
    await this.watchFolders(first.source.root);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.dueAt = Date.now() + ms;
    this.timer = setTimeout(() => {
      this.dueAt = Infinity;
      void this.check();
    }, ms);
  }

  /** A folder event for `name` in `folder`: counts only when it may change what the scan finds. */
  private async event(folder: string, name: string | null): Promise<void> {
    if (name === null) return this.changed();
    if (isHiddenName(name)) return;
    if (hasPrintExtension(name, PRINT_EXTENSIONS)) return this.changed();
    // Any other name matters only as a folder (or a link to one), also one just removed or renamed
    // away; the watched folder itself gone is news too.
    const full = path.join(folder, name);
    const isFolder = async (p: string) => (await fsp.stat(p).catch(() => undefined))?.isDirectory() ?? false;
    if (this.watchers.has(full) || (await isFolder(full)) || !(await isFolder(folder))) this.changed();
  }

  /**
   * A change: hold syncs, and look again once things may have settled. Each event restarts the wait,
   * but only up to maxHoldMs after the first: a log or an autosave written every second would
   * otherwise hold every sync forever (the two-scan check still keeps half-written files back).
   */
  private changed(): void {
    if (this.stopped) return;
    this.unsettled = true;
    if (this.checking) {
      this.eventDuringCheck = true;
      return;
    }
    const now = Date.now();
    this.heldSince ??= now;
    const cap = this.heldSince + (this.options.maxHoldMs ?? 10 * this.options.settleMs);
    const due = Math.min(now + this.options.settleMs, Math.max(cap, this.dueAt));
    if (due !== this.dueAt) this.schedule(Math.max(0, due - now));
  }

  private async check(): Promise<void> {
    if (this.stopped) return;
    this.checking = true;
    this.eventDuringCheck = false;
    let next = this.options.rescanMs;
    try {
      let inputs: RunInputs;
      try {
        inputs = await this.options.prepare();
      } catch (error) {
        if (!this.blocked) {
          this.options.emit({
            type: 'warning',
            message: `${toErrorInfo(error).message}; syncing is paused until the source folder is usable again`,
          });
        }
        this.blocked = true;
        return;
      }
      if (this.blocked) this.options.emit({ type: 'warning', message: `source folder ${inputs.source.root} is usable again` });
      this.blocked = false;
      const sig = signature(inputs);
      if (isFresh(inputs, this.options.settleMs) || sig !== this.lastSignature) {
        // Still moving: look again after the settle time.
        this.lastSignature = sig;
        this.unsettled = sig !== this.settledSignature || isFresh(inputs, this.options.settleMs);
        next = this.options.settleMs;
        return;
      }
      if (sig !== this.settledSignature) this.settle(inputs, sig, true);
      this.unsettled = false;
      await this.watchFolders(inputs.source.root);
    } finally {
      this.checking = false;
      // A folder event during the scan may not be in it: look again soon.
      if (this.eventDuringCheck) {
        this.eventDuringCheck = false;
        this.unsettled = true;
        next = this.options.settleMs;
      }
      if (!this.unsettled) this.heldSince = undefined;
      this.schedule(next);
    }
  }

  private settle(inputs: RunInputs, sig: string, announce: boolean): void {
    this.settledSignature = sig;
    this.current = { version: (this.current?.version ?? 0) + 1, inputs };
    if (announce) {
      const files = inputs.source.files;
      this.options.emit({
        type: 'source-changed',
        source: inputs.source.root,
        files: files.length,
        bytes: files.reduce((s, f) => s + f.size, 0),
      });
    }
    this.options.onSettled(this.current);
  }

  /** Node 20 cannot watch a tree recursively on Linux: one watcher per folder, kept in step with the tree. */
  private async watchFolders(root: string): Promise<void> {
    const folders = await listFolders(root);
    const wanted = new Set(folders);
    for (const [folder, watcher] of this.watchers) {
      if (!wanted.has(folder)) {
        watcher.close();
        this.watchers.delete(folder);
      }
    }
    for (const folder of folders) {
      if (this.stopped || this.watchers.has(folder)) continue;
      try {
        const watcher = fsWatch(folder, { persistent: false }, (_type, name) => void this.event(folder, name));
        watcher.on('error', () => {
          watcher.close();
          this.watchers.delete(folder);
          this.changed();
        });
        this.watchers.set(folder, watcher);
      } catch {
        // A folder that vanished or cannot be watched: the periodic rescan still sees its changes.
      }
    }
  }
}

/** The root and every folder below it, hidden ones excluded (as the scan excludes them). */
async function listFolders(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    out.push(dir);
    let entries: Dirent[];
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('.')) await walk(path.join(dir, entry.name));
    }
  };
  await walk(root);
  return out;
}

/** Every file each printer would get, with size and mtime: equal signatures mean nothing changed. */
export function signature(inputs: RunInputs): string {
  const trees = [inputs.source, ...inputs.routes.map((r) => r.source)];
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const tree of trees) {
    for (const f of tree.files) {
      if (seen.has(f.absPath)) continue;
      seen.add(f.absPath);
      parts.push(`${f.absPath}\u0000${f.size}\u0000${f.mtimeMs}`);
    }
  }
  return parts.sort().join('\n');
}

/** A file modified within the settle time may still be being written. */
export function isFresh(inputs: RunInputs, settleMs: number, now = Date.now()): boolean {
  const trees = [inputs.source, ...inputs.routes.map((r) => r.source)];
  return trees.some((t) => t.files.some((f) => f.mtimeMs > now - settleMs && f.mtimeMs <= now + FUTURE_SLACK_MS));
}
