// Reads and writes record files: a damaged or foreign file is reported and ignored, and every write
// goes to a temporary file that is renamed over the old one, so a crash never leaves half a record.

import { isAscii } from 'node:buffer';
import { promises as fsp } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { recordFileName } from './keys.js';
import { makeStateFolder } from './state-folder.js';
import { PrinterRecord, RECORD_FORMAT, parseRecord, type StringPool } from './record.js';

export interface LoadedRecord {
  record: PrinterRecord;
  /** Absolute path of the record file. */
  file: string;
  /** Why an existing file was not used (it is replaced by the next save). */
  warning?: string;
}

export function recordPath(dir: string, key: string): string {
  return path.join(dir, recordFileName(key));
}

/** Loads a printer's record; a missing file is an empty record, never an error. `pool` shares strings
 * between the records of one run. */
export async function loadRecord(dir: string, key: string, pool?: StringPool): Promise<LoadedRecord> {
  const file = recordPath(dir, key);
  let text: string;
  try {
    text = recordText(await fsp.readFile(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { record: new PrinterRecord(key), file };
    return { record: new PrinterRecord(key), file, warning: ignored(file, `it cannot be read (${code ?? String(error)})`) };
  }
  const parsed = parseRecord(text, key, pool);
  if (!parsed.ok) return { record: new PrinterRecord(key), file, warning: ignored(file, parsed.problem) };
  return { record: parsed.record, file };
}

/** The file as text: ASCII (the usual record) is decoded as Latin-1, which gives the same text much faster. */
export function recordText(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

function ignored(file: string, problem: string): string {
  return `sync record ${file} ignored: ${problem}; changes are judged by the time rule and the record is rewritten after the next sync with --go`;
}

/**
 * Writes the record atomically: temporary file in the same folder, flushed, then renamed into place.
 * Callers must not run two saves of one record at once (the later rename must carry the later state).
 */
export async function saveRecord(dir: string, record: PrinterRecord, now = new Date()): Promise<string> {
  // Taken before the first await: changes made while the file is written belong to the next save.
  const text = record.serialize(now);
  const file = recordPath(dir, record.key);
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`; // matches RECORD_TEMP
  try {
    const handle = await openTemp(dir, temp);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(temp, file);
  } catch (error) {
    await fsp.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncFolder(dir);
  return file;
}

/** The folder usually exists (the lock lives in it): it is made only when the first open finds it missing. */
async function openTemp(dir: string, temp: string): Promise<fsp.FileHandle> {
  try {
    return await fsp.open(temp, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await makeStateFolder(dir);
    return await fsp.open(temp, 'wx', 0o600);
  }
}

/** A record file as recordFileName names it. */
const RECORD_FILE = /^[A-Za-z0-9._-]+-[0-9a-f]{16}\.json$/;
/** A record's head (format, printer, host, saved) comes first and is far shorter than this. */
const HEAD_BYTES = 4096;

/**
 * The printer key of the record last saved from each address, read from the head of every record
 * file in `dir` (records saved before addresses were kept name none). Unreadable files are passed over.
 */
export async function recordsByHost(dir: string): Promise<Map<string, string>> {
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  const latest = new Map<string, RecordHead>();
  for (const name of names) {
    if (!RECORD_FILE.test(name)) continue;
    const head = await readHead(path.join(dir, name));
    if (head === undefined) continue;
    const known = latest.get(head.host);
    if (known === undefined || head.saved > known.saved) latest.set(head.host, head);
  }
  return new Map([...latest].map(([host, head]) => [host, head.key]));
}

interface RecordHead {
  key: string;
  host: string;
  saved: string;
}

/** The head of a record file without reading its entries, or undefined when it names no address. */
async function readHead(file: string): Promise<RecordHead | undefined> {
  let text: string;
  try {
    const handle = await fsp.open(file, 'r');
    try {
      const buffer = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
      text = buffer.toString('utf8', 0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
  // The entries follow the head; inside a JSON string a quote is escaped, so no value holds this text.
  const end = text.indexOf(',"storages":');
  if (end < 0) return undefined;
  try {
    const doc = JSON.parse(`${text.slice(0, end)}}`) as Record<string, unknown>;
    const { printer, host, saved } = doc;
    if (doc['format'] !== RECORD_FORMAT || typeof printer !== 'string' || typeof host !== 'string') return undefined;
    return { key: printer, host, saved: typeof saved === 'string' ? saved : '' };
  } catch {
    return undefined;
  }
}

/** A record's temporary file as saveRecord names it: `<record>.json.<pid>-<8 hex>.tmp`. */
const RECORD_TEMP = /^[A-Za-z0-9._-]+-[0-9a-f]{16}\.json\.\d+-[0-9a-f]{8}\.tmp$/;

/**
 * Removes the temporary files of saves that never finished (a second Ctrl-C, a crash): they would
 * stay forever. Call only with the state lock held, when no other run can be writing one. Anything
 * not named like a record's temporary file is left alone. Best effort.
 */
export async function removeLeftoverTemps(dir: string): Promise<void> {
  const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.isFile() && RECORD_TEMP.test(entry.name)) await fsp.rm(path.join(dir, entry.name), { force: true }).catch(() => undefined);
  }
}

/** Makes the rename itself durable where the platform allows opening a folder (not on Windows). */
async function syncFolder(dir: string): Promise<void> {
  try {
    const handle = await fsp.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort: the data is already flushed; only the rename's durability is at stake.
  }
}
