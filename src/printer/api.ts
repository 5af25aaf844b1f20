// The PrinterApi seam: the only way the rest of link-sync touches a printer.
// One implementation per dialect (PrusaLink v1 and legacy); every one passes the same contract suite.

import type { Readable } from 'node:stream';
import type { NameRules, PrinterKind, PrinterStatus, StorageInfo } from '../types.js';
import type { TransferProgress } from './upload-watch.js';

export type { TransferProgress } from './upload-watch.js';

/** Who the printer is. */
/**
 * States in which no print job holds a file open. They are also the states in which link-sync
 * changes a printer: Buddy accepts a new print in exactly these.
 */
export const IDLE_LIKE_STATES: ReadonlySet<string> = new Set(['IDLE', 'READY', 'FINISHED', 'STOPPED']);

export interface PrinterIdentity {
  kind: PrinterKind;
  /** Stable identity from /api/v1/info; undefined when the printer does not tell. */
  serial?: string;
  hostname?: string;
  /** What names and paths this printer can store. */
  rules: NameRules;
}

/** One entry of a folder listing. */
export interface RemoteEntry {
  type: 'file' | 'folder';
  /** Long, case-preserved name (display_name). */
  name: string;
  /** The name to build URLs with: the 8.3 short name on Buddy, the real name on Pi. */
  urlName: string;
  size?: number;
  mTimestamp?: number;
  readOnly: boolean;
  /** A partial Prusa Connect download (Buddy: ro and no download ref). */
  partial?: boolean;
}

/** A file body that can be read again from the start (for retries and auth challenges). */
export interface UploadBody {
  size: number;
  open(): Readable;
  /** The same bytes read into buffers the caller owns and reuses, so sending makes no garbage. */
  openReader?(): BodyReader;
}

export interface BodyReader {
  /** Fills `into` from where the last read stopped; resolves the bytes read, 0 at the end. */
  read(into: Buffer): Promise<number>;
  close(): void;
}

export interface UploadOptions {
  /** Send `Overwrite: ?1`. */
  overwrite: boolean;
  signal?: AbortSignal;
  /** Called as body bytes are handed to the socket, with the running total (not what the printer took). */
  onBytes?: (sent: number) => void;
  /** Called with the bytes the printer reports it has taken, as they grow (never on legacy printers). */
  onTaken?: (taken: number) => void;
}

/** Where downloaded bytes go. Opened afresh for every attempt, so a retried download starts over. */
export interface DownloadSink {
  write(chunk: Buffer): Promise<void>;
  /** All bytes arrived: flush and close. */
  close(): Promise<void>;
  /** The attempt failed: close without keeping anything. */
  abort(): Promise<void>;
}

export interface DownloadOptions {
  /** Opens the sink for one attempt. */
  open: () => DownloadSink;
  signal?: AbortSignal;
  /** Called as body bytes arrive, with the running total of this attempt. */
  onBytes?: (received: number) => void;
  /** The size the listing gave: the download's time limit grows with it, and a byte past it stops the download. */
  expectedBytes?: number;
}

export interface DownloadResult {
  /** Bytes received and written to the sink. */
  bytes: number;
}

/** What the printer reports for one file (single-file GET). */
export interface RemoteFileInfo {
  size?: number;
  mTimestamp?: number;
  readOnly: boolean;
}

export interface PrinterApi {
  /** The printer's name in the config, used in every error. */
  readonly name: string;
  /** /api/version and /api/v1/info. */
  identify(): Promise<PrinterIdentity>;
  /** /api/v1/status (and /api/v1/job while a job exists). */
  status(): Promise<PrinterStatus>;
  /** /api/v1/storage. */
  storages(): Promise<StorageInfo[]>;
  /** One folder level. `dirUrl` is storage-relative ('' for the storage root), built from urlNames.
   * Resolves undefined when the folder does not exist (404). The legacy dialect reads the whole
   * tree when the root is listed and answers deeper levels from it, so a walk starts at ''. */
  list(storage: string, dirUrl: string): Promise<RemoteEntry[] | undefined>;
  /** Single-file GET; undefined on 404. */
  stat(storage: string, fileUrl: string): Promise<RemoteFileInfo | undefined>;
  /** PUT the body to the storage-relative path; parents are created by the printer. */
  upload(storage: string, fileUrl: string, body: UploadBody, options: UploadOptions): Promise<RemoteFileInfo | undefined>;
  /** Streams a file's bytes into `options.open()`; resolves undefined on 404. A body cut short
   * (fewer bytes than announced) is a failed attempt, retried like any lost connection. Throws a
   * 'rejected' PrinterError on printers that serve no downloads. */
  download(storage: string, fileUrl: string, options: DownloadOptions): Promise<DownloadResult | undefined>;
  /** The printer's running transfer (an upload or a Connect download): undefined when none runs,
   * null when this printer cannot report one (legacy API). */
  transfer(): Promise<TransferProgress | undefined | null>;
  /** Creates one folder (`Create-Folder: ?1`) whose parent exists: 'exists' when it was there already.
   * Throws a PrinterError when the printer refuses (firmware without Create-Folder, a missing parent). */
  createFolder(storage: string, folderUrl: string): Promise<'created' | 'exists'>;
  /** DELETE a file or an empty folder. */
  remove(storage: string, url: string): Promise<void>;
  /** Free sockets. */
  close(): void;
}
