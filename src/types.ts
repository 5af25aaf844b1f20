// Shared domain types: what the scanner, the walker, the planner and the executor exchange.
// Paths are POSIX strings without leading or trailing slash; '' is the root they are relative to.

/** A print file in the master folder. */
export interface SourceFile {
  /** Path relative to the source folder, e.g. "parts/benchy.gcode". */
  relPath: string;
  /** Absolute path on this machine, for reading. */
  absPath: string;
  size: number;
  mtimeMs: number;
}

/** An entry of the master folder that is not synced, and why. */
export interface IgnoredEntry {
  relPath: string;
  reason: 'hidden' | 'not-a-print-file' | 'not-a-regular-file' | 'unreadable';
  /** Why, in words, when the reason alone does not say it ('unreadable': "vanished while scanning"). */
  detail?: string;
}

/** The result of scanning the master folder. */
export interface SourceTree {
  /** Absolute path of the scanned folder. */
  root: string;
  /** Every print file, sorted by relPath. */
  files: SourceFile[];
  /** Every folder that holds a print file at any depth, as relPath, sorted; '' is not listed. */
  folders: string[];
  ignored: IgnoredEntry[];
  /**
   * Folders with nothing in them at all, as relPath, sorted: what an unmounted share looks like. The
   * printer's files under one are not deleted (held) until the folder itself is gone.
   */
  emptyFolders?: string[];
}

/** A file the printer lists under the sync root. */
export interface RemoteFile {
  /** Long (display) path relative to the sync root, e.g. "parts/Benchy.gcode". */
  path: string;
  /** Storage-relative path built from the names the printer resolves best (8.3 short names on
   * Buddy), e.g. "FARM/PARTS/BENCHY~1.GCO". Use it for every request about this file. */
  urlPath: string;
  /** Bytes, when the listing says (Pi does, Buddy does not). */
  size?: number;
  /** Printer clock seconds, when the listing says. */
  mTimestamp?: number;
  readOnly: boolean;
  /** A partial Prusa Connect download shown as a file: never touch it. */
  partial?: boolean;
}

/** A folder the printer lists under the sync root. */
export interface RemoteFolder {
  path: string;
  urlPath: string;
  mTimestamp?: number;
}

/** The printer's files under the sync root, read one folder per request. */
export interface RemoteTree {
  /** Storage segment used in URLs: "usb", "local". */
  storage: string;
  /** Long path of the sync root within the storage ('' for the storage root). */
  root: string;
  /** urlPath of the sync root, or the longest existing ancestor's urlPath joined with the missing long names. */
  rootUrl: string;
  /** False when the sync root folder does not exist on the printer yet. */
  rootExists: boolean;
  /** When the sync root does not exist: how many of its last folders the printer lacks (rootUrl holds their long names). */
  missingRootFolders?: number;
  files: RemoteFile[];
  folders: RemoteFolder[];
}

/** The file a printer is printing, as far as the printer tells. */
export interface PrintedFile {
  /** Candidate storage-relative paths (long and/or short), any of which names the printed file. */
  paths: string[];
  /** The file's long name as the printer shows it, for display only. */
  displayName?: string;
  /** Job progress in percent, as the printer reports it. */
  progress?: number;
}

/** What the printer says about itself right now. */
export interface PrinterStatus {
  /** Upper-case state: IDLE, READY, PRINTING, PAUSED, BUSY, FINISHED, STOPPED, ERROR, ATTENTION, UNKNOWN. */
  state: string;
  /** A transfer (ours, another client's or Prusa Connect's) is running. */
  transferRunning: boolean;
  /** Present while a job exists; paths empty when the printer did not say which file. */
  printing?: PrintedFile;
}

/** One storage of a printer. */
export interface StorageInfo {
  /** URL segment: "usb", "local", "sdcard". */
  name: string;
  available: boolean;
  readOnly: boolean;
  /** Free bytes, when the printer tells (PrusaLink on a Pi does, Buddy does not). */
  freeSpace?: number;
}

/** Which PrusaLink implementation a printer runs. */
export type PrinterKind = 'buddy' | 'pi';

/** What names and paths a printer can store. Violations are planned as per-file errors. */
export interface NameRules {
  /** FAT: names differing only in case are one file. */
  caseInsensitive: boolean;
  /** Characters the file system refuses in a name. */
  forbiddenChars: string;
  /** Bytes of the decoded PUT path including "/<storage>/" (Buddy: 103). */
  maxPutPathBytes?: number;
  /** Bytes of the raw request target including "/api/v1/files/<storage>/" (Buddy: 168). */
  maxUrlBytes?: number;
  /** Bytes of one name (Pi: 248 for a file, 255 for a folder). */
  maxNameBytes?: number;
  /** UTF-16 units of one name (FAT LFN: 167 as the firmware sets it). */
  maxNameUtf16?: number;
  /** FAT silently strips trailing spaces and dots from names. */
  stripsTrailingDotsAndSpaces: boolean;
  /** Lower-case extensions, with dot, that the printer lists and accepts. */
  printExtensions: string[];
  /** Files can only be stored in the storage root (Buddy firmware 4.4's legacy upload). */
  rootOnly?: boolean;
  /** Bytes of the largest file the file system stores (Buddy's FAT32: 4 GiB − 1); none when absent. */
  maxFileBytes?: number;
}

/** One decision of the planner. Names are used verbatim in output, JSON events and tests. */
export type Action =
  | {
      kind: 'upload' | 'replace';
      /** Long path relative to the sync root. */
      path: string;
      /** Storage-relative path to PUT to: existing parents by their urlPath, new parts by long name.
       * With `newFolders`, only where the file goes: the URL sent is built when the folders exist. */
      targetUrl: string;
      source: SourceFile;
      /** Why: "missing on printer", "local copy newer by 3 h", ... */
      reason: string;
      /** Uploads only: folders to create first, because with their long names the path is too long. */
      newFolders?: NewFolders;
    }
  | {
      kind: 'delete';
      path: string;
      /** Storage-relative path to DELETE. */
      targetUrl: string;
      reason: string;
    }
  | {
      /** Remove a folder left empty that is not in the source; planned deepest first. */
      kind: 'rmdir';
      path: string;
      targetUrl: string;
      reason: string;
    };

export type ActionKind = Action['kind'];

/**
 * The folders an upload creates before it is sent, one level at a time, each then addressed by the
 * short (8.3) name the printer lists for it (Buddy copies the PUT path into a 104-byte buffer).
 */
export interface NewFolders {
  /** Storage-relative URL path of the deepest folder the printer has ('' for the storage root). */
  parentUrl: string;
  /** That folder's long path in the storage. */
  parentPath: string;
  /** Long names of the folders to create below it, outermost first. */
  names: string[];
}

/** A file that cannot be synced to this printer, found while planning (shown in the dry run). */
export interface PlanProblem {
  path: string;
  code:
    | 'PATH_TOO_LONG' // decoded PUT path over the printer's limit
    | 'URL_TOO_LONG' // raw request target over the printer's limit
    | 'NAME_TOO_LONG' // one name over the file system's limit
    | 'FORBIDDEN_CHARACTER'
    | 'TRAILING_DOT_OR_SPACE'
    | 'CASE_COLLISION' // two local names that are one name on the printer
    | 'NOT_PRINTABLE' // extension the printer does not accept
    | 'FOLDERS_NOT_SUPPORTED' // a file in a folder, on a printer that stores files in its root only
    | 'FOLDER_IS_FILE' // a local folder where the printer has a file, or the reverse
    | 'EMPTY_FILE' // 0 bytes: printers refuse empty uploads
    | 'FILE_TOO_LARGE'; // over the file system's largest file (Buddy's FAT32)
  message: string;
  /** FOLDER_IS_FILE: the printer's file or folder in the way (its path, as the plan's actions name it). */
  blockedBy?: string;
}

/** A remote file left alone on purpose, and why. */
export interface PlanHold {
  path: string;
  reason:
    | 'being-printed'
    | 'read-only'
    | 'partial-download'
    | 'not-listed-by-printer'
    | 'not-a-print-file'
    | 'hidden' // a hidden name: link-sync never sends one, so never deletes one
    | 'other-destination' // placed by a sync to another destination (-d) that holds this folder
    | 'empty-local-folder' // under a local folder with nothing in it (an unmounted share?)
    // Deletions taken out of the plan by the delete safety (src/plan/safety.ts):
    | 'max-delete'
    | 'deletions-withheld';
  /** What the plan would otherwise have done to it. */
  wouldHave: ActionKind;
  /** For 'other-destination': the destination path (in its storage) of the sync that placed the file. */
  placedBy?: string;
  /** For 'empty-local-folder': that folder, relative to the source folder. */
  localFolder?: string;
}

/** A source file a printer does not get, on purpose: it was sliced for another model (dry run shows it). */
export interface SourceSkip {
  /** Path relative to the printer's source folder. */
  path: string;
  reason: 'other-model';
  /** The model the file names, as written in it, e.g. "XL5IS". */
  model: string;
}

/** Everything the planner decided for one printer. */
export interface PrinterPlan {
  /** Uploads and replacements first, then deletions, then folder removals deepest first. */
  actions: Action[];
  problems: PlanProblem[];
  holds: PlanHold[];
  /** Files already in sync. */
  unchanged: number;
  /** Each file judged in sync, and why (its length is `unchanged`). */
  same?: Array<{ path: string; reason: string }>;
  /** Total bytes the uploads and replacements will send. */
  uploadBytes: number;
  /** Sync record changes that need no upload (adopted, refreshed, dropped entries); with a record only. */
  recordChanges?: RecordChanges;
}

/** How the planner decides. */
export interface SyncPolicy {
  /** Seconds by which the local mtime must be newer than the printer's m_timestamp to count as stale. */
  modifyWindowSec: number;
  /** Plan deletions of remote files and folders that are not in the source. */
  deleteExtraneous: boolean;
  /** Compare every local file's content with the sync record, whatever its mtime says (--checksum). */
  checksum?: boolean;
  /** Replace every file the printer already has (--force). */
  force?: boolean;
  /** Delete files that the record says a sync to another destination placed (--delete-other-destinations). */
  deleteOtherDestinations?: boolean;
}

// The sync record's entries: the planner reads them and returns the changes to make to them.

/** One file as it was when link-sync last put it on a printer (or adopted the printer's copy). */
export interface RecordEntry {
  /** Bytes of the content uploaded. */
  size: number;
  /** SHA-256 (hex) of the content uploaded. */
  sha256: string;
  /** The local file's mtime (ms) when it was uploaded; a different mtime triggers a re-hash. */
  mtimeMs: number;
  /** What the printer reported for the file after the upload; absent when it did not say. */
  mTimestamp?: number;
  /** Adopted on a first run with its size checked but not its content: --checksum replaces it. */
  unverified?: true;
  /** The destination path (-d, within the storage) of the sync that placed or adopted the file. */
  placedUnder?: string;
}

/**
 * Entries keyed by the file's path relative to its storage, folded the way the printer compares
 * names (lower case on a printer that ignores case), e.g. "farm/parts/benchy.gcode".
 */
export type RecordEntries = ReadonlyMap<string, RecordEntry>;

/** What the planner decided to change in the record without an upload (applied only with --go). */
export interface RecordChanges {
  /** Adopted files (judged the same without a record) and refreshed entries. */
  set: Array<{ key: string; entry: RecordEntry }>;
  /** Entries under the sync root for files the printer no longer lists. */
  drop: string[];
}
