// The validated, normalised config: what the rest of link-sync reads. Secrets live only here.

import type { ConfigProblem } from './problems.js';

export type PrinterAuth = { kind: 'digest'; username: string; password: string } | { kind: 'api-key'; apiKey: string };

export interface PrinterConfig {
  /** Name as written in the config (matched case-insensitively by -p/-x). */
  name: string;
  /** Canonical model name, e.g. "MK4S", "XL", "MK3S". */
  printerType: string;
  /** "http://host:port" or "https://host:port", no trailing slash, no credentials. */
  baseUrl: string;
  auth: PrinterAuth;
  /** Folder on the printer from `destination` (the printer's own, else defaults'); -d wins over it. */
  destination?: PrinterDestination;
  /** `source` as written: a sub-folder of the run's source, or an absolute (or ~/) folder. */
  source?: string;
  /** Glob patterns (validated); a file is sent when it matches an include (or there are none) and no exclude. */
  include?: string[];
  exclude?: string[];
  /** Group names, as written; -p/-x accept them. */
  groups?: string[];
  /** Send only files sliced for this printer's model (plus files naming none). */
  matchModel?: boolean;
}

/** A folder within a printer storage; the same shape as the parsed -d option. */
export interface PrinterDestination {
  /** "usb" or "local" when named; undefined means the printer's writable storage. */
  storage?: 'usb' | 'local';
  /** '/'-separated, no leading or trailing slash; '' is the storage root. */
  path: string;
}

export interface FarmConfig {
  /** Absolute path of the file it was read from. */
  path: string;
  printers: PrinterConfig[];
  /** `state_dir` from the file, absolute: the sync records' folder unless --state-dir is given. */
  stateDir?: string;
  /** Things worth fixing that do not stop a run (e.g. a world-readable file holding a password). */
  warnings?: string[];
  /** Valid entries left out of `printers` because a password_env / api_key_env variable is unset or
   * empty here: an error only for a run that selects one (see selectPrinters). */
  unresolved?: UnresolvedPrinter[];
}

/** A printer whose secret is not in the environment: its name and groups for -p/-x, and the problems to raise. */
export interface UnresolvedPrinter {
  name: string;
  groups?: string[];
  /** The config file as errors name it. */
  file: string;
  /** The missing-variable problems, with their lines; never a secret. */
  problems: ConfigProblem[];
}
