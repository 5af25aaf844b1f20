// Public types of the simulated PrusaLink printer: options, controls, faults and the request log.

export type SimModel =
  | 'MK4'
  | 'MK4S'
  | 'MK3.9'
  | 'MK3.9S'
  | 'MK3.5'
  | 'MK3.5S'
  | 'XL'
  | 'MINI'
  | 'COREONE'
  | 'MK3'
  | 'MK3S'
  | 'MK2.5'
  | 'MK2.5S';

export type SimPersonality = 'buddy' | 'pi';

/** 'legacy': only the OctoPrint-style API, as Buddy 4.4 (MINI) and PrusaLink 0.6 (Pi models) had. */
export type SimFirmware = 'current' | 'legacy';

export interface SimClockOptions {
  /** Seconds added to the host clock (negative: the printer is behind). */
  skewSec?: number;
  /** The printer never got the time: Buddy writes FAT-epoch garbage, a Pi drifts from an old date. */
  unset?: boolean;
}

export interface SimPrinterOptions {
  /** Default 'MK4'. MK3*, MK2.5* are the Pi personality, the rest Buddy. */
  model?: SimModel;
  /** Default 'current'. 'legacy' exists for MINI (Buddy 4.4) and the Pi models (PrusaLink 0.6). */
  firmware?: SimFirmware;
  name?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Default random. Buddy: digest password and X-Api-Key. */
  password?: string;
  /** Pi only, default 'maker'; Buddy always 'maker'. */
  username?: string;
  /** Pi only; undefined: API-key auth is always refused (403). */
  apiKey?: string;
  /** Default: stable, derived from name and port. */
  serial?: string;
  /** Upload body rate limit in bytes/s; undefined = unlimited. */
  rateBytesPerSec?: number;
  clock?: SimClockOptions;
  /** Keep files on disk under this folder (one sub-folder per storage). */
  storageDir?: string;
  /** Default true; false keeps only size and sha256 (benchmarks with huge files). */
  keepContent?: boolean;
  /** The host time in epoch ms behind the printer clock, nonce ages, the request log's times, the job's
   * and the transfer's times and the Pi's listing ETag. Default `Date.now`; tests pass a `manualClock()`
   * to expire nonces or step file stamps without waiting. Transfer rates and fault delays stay in real time. */
  now?: () => number;
  /** Buddy default 300 s; Pi: the bucket length, default 60 s (a nonce lives one to two buckets). */
  nonceLifetimeSec?: number;
  /** Buddy aborts an upload with 408 after this long without body bytes; also ends a stall fault
   * without `ms` (both personalities). Default 10000. */
  uploadIdleTimeoutMs?: number;
  /** Pi 'local' storage size reported by /api/v1/storage. Default 15 GB. */
  totalSpace?: number;
  /** Entries kept in the request log (oldest dropped first). Default 100000. */
  requestLogLimit?: number;
  /** Buddy: false acts as firmware before 5.1, which knows no `Create-Folder`: such a PUT is an empty
   * upload, answered 501 "0-sized files aren't implemented". Default true. */
  createFolder?: boolean;
}

export interface SimFileSnapshot {
  storage: string;
  /** Long, storage-relative path, e.g. "parts/Benchy.gcode". */
  path: string;
  size: number;
  sha256: string;
  mTimestamp: number;
}

export type SimFault =
  /** Destroy the socket after N body bytes of a PUT. */
  | { kind: 'reset-after-bytes'; bytes: number; times?: number }
  /** Stop reading a PUT body after N bytes (the client sees no progress) for `ms`; without `ms`, until
   * `uploadIdleTimeoutMs` ends the upload (Buddy: 408; Pi: 400, .part kept) and closes the connection. */
  | { kind: 'stall'; afterBytes?: number; ms?: number; times?: number }
  /** Answer N matching requests with this status (and `message` as the printer's error text, if given). */
  | { kind: 'status'; status: number; times?: number; method?: string; pathPrefix?: string; message?: string }
  /** Delay matching responses. */
  | { kind: 'delay'; ms: number; times?: number; method?: string; pathPrefix?: string }
  /** 507 (Buddy) or 500 after the body (Pi) on uploads until cleared. */
  | { kind: 'storage-full' }
  /** Truncated, invalid JSON bodies. */
  | { kind: 'malformed-json'; times?: number; pathPrefix?: string }
  /** Send matching answers' headers at once, then the body one byte every `intervalMs` (default 1000). */
  | { kind: 'trickle'; intervalMs?: number; times?: number; method?: string; pathPrefix?: string }
  /** Every folder listed holds one more folder ("deeper"), created as it is listed: a walk never ends. */
  | { kind: 'endless-listing' }
  /** Extra raw entries in the listing answered for this exact request path (e.g.
   * "/api/v1/files/usb/farm", or "/api/files" for the legacy tree, where they join the storage's
   * root folder): `entries` as JSON objects, `raw` as base64 of bytes spliced in as they are (for
   * names that are not valid UTF-8). The volume itself is not changed: only its listing lies. */
  | { kind: 'listing-entries'; path: string; entries?: Array<Record<string, unknown>>; raw?: string[]; times?: number }
  /** Destroy the socket after N body bytes of a raw file download (GET /usb/..., .../raw). */
  | { kind: 'cut-download'; afterBytes: number; times?: number; pathPrefix?: string }
  /** Pi: after each of the next `times` uploads, the next `reads` GETs of that file answer what the
   * file list held before it (the replaced copy's entry, or 404 for a new file), as PrusaLink does
   * until inotify has told it of the new file. */
  | { kind: 'file-list-lag'; reads: number; times?: number };

export type SimAuthOutcome = 'digest' | 'api-key' | 'none' | 'invalid';

export interface SimRequestLogEntry {
  method: string;
  /** Raw request target as received. */
  target: string;
  /** 0 when the connection died before an answer. */
  status: number;
  auth: SimAuthOutcome;
  /** Key headers only (never credentials): overwrite, content-length, content-type, create-folder,
   * force, user-agent, accept, print-after-upload. */
  headers: Record<string, string>;
  /** Body bytes read. */
  bytesIn: number;
  /** Body bytes of a raw file download sent so far (downloads only). */
  bytesOut?: number;
  /** Epoch ms. */
  startedAt: number;
  durationMs: number;
}

export interface SimStateOptions {
  /** Long path in the main storage of the file being printed (or selected). */
  file?: string;
  /** Job progress in percent. Default 0. */
  progress?: number;
}

export interface SimForeignTransferOptions {
  /** Long path in the main storage; Buddy shows it as a partial download (ro, no download ref). */
  path?: string;
  size?: number;
}

export interface SimPrinter {
  readonly url: string;
  readonly port: number;
  readonly name: string;
  readonly model: SimModel;
  readonly personality: SimPersonality;
  readonly firmware: SimFirmware;
  /** Main writable storage: 'usb' or 'local'. */
  readonly storage: string;
  readonly credentials: { username: string; password: string; apiKey?: string };
  readonly serial: string;
  setState(state: string, opts?: SimStateOptions): void;
  /** As if Prusa Connect were downloading a file. */
  setForeignTransfer(running: boolean, opts?: SimForeignTransferOptions): void;
  /** Buddy only. */
  setUsbPresent(present: boolean): void;
  setClock(clock: SimClockOptions): void;
  /** Uploads and downloads that start from now on run at this rate (bytes/s; undefined: unlimited). */
  setRate(bytesPerSec: number | undefined): void;
  inject(fault: SimFault): void;
  clearFaults(): void;
  /** Creates parents. */
  seed(path: string, content: Buffer | string, opts?: { storage?: string; mTimestamp?: number }): void;
  /** Stores a file under `name` taken verbatim (it may hold "/", "..", control characters) in the
   * folder `folder`: for tests of hostile names in listings. Memory only, not mirrored on disk. */
  seedNamed(folder: string, name: string, content: Buffer | string, opts?: { mTimestamp?: number }): void;
  seedFolder(path: string, opts?: { storage?: string }): void;
  files(): SimFileSnapshot[];
  folders(storage?: string): string[];
  readFile(path: string, storage?: string): Buffer | undefined;
  /** The running transfer as the printer counts it (bytes taken, not bytes the kernel holds). */
  transfer(): { path: string; size: number; transferred: number } | undefined;
  requests(): SimRequestLogEntry[];
  clearRequests(): void;
  close(): Promise<void>;
}

export interface SimFarm {
  printers: SimPrinter[];
  close(): Promise<void>;
}
