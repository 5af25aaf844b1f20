// --backup-dir: the names backups get (suffixed writes them, newestBackup reads them back), the newest
// backup an earlier run made of a printer's file, and whether the printer still holds that same file.
// A replacement whose upload failed is backed up again on the next run; when the newest backup is
// that same file, it is kept instead of a second copy under a new name.

import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp, type Stats } from 'node:fs';
import path from 'node:path';
import { plausibleTimestamp } from '../record/prepass.js';

export interface EarlierBackup {
  path: string;
  stats: Stats;
}

/** "benchy.gcode" → "benchy.20261205T174200Z.gcode" (attempt 1), "benchy.20261205T174200Z-2.gcode" (attempt 2). */
export function suffixed(name: string, now: Date, attempt: number): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const tag = attempt <= 1 ? stamp : `${stamp}-${attempt}`;
  const [stem, ext] = stemAndExtension(name);
  return `${stem}.${tag}${ext}`;
}

/** "benchy.gcode" → ["benchy", ".gcode"]; a name with no dot after its first character has no extension. */
function stemAndExtension(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? [name, ''] : [name.slice(0, dot), name.slice(dot)];
}

/**
 * The newest backup of `name` in `folder`: "benchy.gcode" is the first one made, and
 * "benchy.20261205T174200Z.gcode", "benchy.20261205T174200Z-2.gcode" follow in the order of their
 * suffixes. Undefined when there is none (or the folder cannot be read).
 */
export async function newestBackup(folder: string, name: string): Promise<EarlierBackup | undefined> {
  const names = await fsp.readdir(folder).catch(() => [] as string[]);
  const [stem, ext] = stemAndExtension(name);
  const pattern = new RegExp(`^${literal(stem)}\\.(\\d{8}T\\d{6}Z)(?:-(\\d+))?${literal(ext)}$`);
  let newest: { name: string; key: string } | undefined;
  for (const candidate of names) {
    const match = candidate === name ? undefined : pattern.exec(candidate);
    if (candidate !== name && !match) continue;
    // The plain name sorts first; then by time stamp, then by the "-N" of a second backup in one second.
    const key = match ? `1${match[1]}${(match[2] ?? '1').padStart(6, '0')}` : '0';
    if (!newest || key > newest.key) newest = { name: candidate, key };
  }
  if (!newest) return undefined;
  const file = path.join(folder, newest.name);
  const stats = await fsp.lstat(file).catch(() => undefined);
  return stats?.isFile() ? { path: file, stats } : undefined;
}

/**
 * Whether the backup is the printer's file as it is now, told without downloading it: the same size,
 * and the printer's time stamp as its mtime (a backup gets it when the time is plausible). A printer
 * without a clock writes one time stamp for every file, so an implausible one proves nothing.
 */
export function sameByTime(backup: EarlierBackup, size: number, mTimestamp: number | undefined): boolean {
  return backup.stats.size === size && plausibleTimestamp(mTimestamp) && Math.floor(backup.stats.mtimeMs / 1000) === mTimestamp;
}

/** Whether the backup holds exactly these bytes (by their SHA-256). */
export async function sameContent(backup: EarlierBackup, size: number, sha256: string): Promise<boolean> {
  if (backup.stats.size !== size) return false;
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(backup.path)) hash.update(chunk as Buffer);
  } catch {
    return false; // unreadable: back up again
  }
  return hash.digest('hex') === sha256;
}

/** `text` matched as itself in a RegExp. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
