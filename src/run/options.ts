// The options of a run (sync, status -s, watch), as the library and the CLI hand them over.

import type { FarmConfig, PrinterConfig } from '../config/types.js';
import type { EventSink } from '../report/events.js';
import type { ConnectionOptions } from '../printer/connection.js';
import type { PrinterApi } from '../printer/api.js';
import type { Destination } from '../config/destination.js';

/** The connection's timeouts, Ctrl-C signal and certificate choice are the printer layer's own (retries are given as counts here). */
export interface SyncOptions extends Pick<ConnectionOptions, 'timeouts' | 'signal' | 'allowSelfSigned'> {
  /** A config file path, or an already loaded config. */
  config: string | FarmConfig;
  /** How to name the config file in messages (default: its path). */
  configDisplayName?: string;
  /** Names to include (case-insensitive); empty means all. */
  printers?: string[];
  /** Names to exclude; ignored (with a warning) when `printers` is given. */
  exclude?: string[];
  /** The master folder. */
  source: string;
  /** Folder within the printer's storage: "/usb/farm", "usb/farm", "farm"; "/" is the storage root ("" is
   * refused). When given it wins over each printer's `destination` in the config; otherwise that, else the storage root. */
  destination?: string | Destination;
  /** Send each printer only the files sliced for its model (and files naming none), whatever the
   * config's match_model says. */
  matchModel?: boolean;
  /** Source paths are taken relative to this ancestor of `source` (default `source` itself). */
  relativeTo?: string;
  /** Apply the plan; without it the run only reads from printers. */
  go?: boolean;
  /** Sync printers that are busy too (never the file being printed). */
  ignoreState?: boolean;
  /** Delete printer files that are not in the source (default true). */
  delete?: boolean;
  /** Seconds of tolerance for the time rule, used for files the sync record does not know (default 60). */
  modifyWindowSec?: number;
  /** Folder of the sync records (default: the config's state_dir, else $XDG_STATE_HOME/link-sync or ~/.local/state/link-sync);
   * false: keep no record and judge every file by the time rule. */
  stateDir?: string | false;
  /** Compare every local file's content with the record, whatever its mtime says. */
  checksum?: boolean;
  /** Replace every file the printers already have. */
  force?: boolean;
  /** Also delete files that the record says a sync to another destination placed (held otherwise). */
  deleteOtherDestinations?: boolean;
  /** Refuse every deletion on a printer whose plan deletes more files than this (default: no limit). */
  maxDelete?: number;
  /** Further attempts of a failed request (default 3); see docs/reliability.md for which are retried. */
  retries?: number;
  /** First backoff ceiling in ms, doubled on each retry (default 1000). */
  retryDelayMs?: number;
  /** Where environment variables named by the config are read (default process.env). */
  env?: Record<string, string | undefined>;
  onEvent?: EventSink;
  /** Also emit every request on the wire and every "in sync" decision with its reason. */
  verbose?: boolean;
  /** Before a file is deleted or replaced on a printer, download its copy to DIR/<printer>/<path>;
   * a failed download holds that action. */
  backupDir?: string;
  /** Builds the PrinterApi for a printer (default: PrusaLink over HTTP); `signal` aborts its requests. */
  connect?: (printer: PrinterConfig, signal?: AbortSignal) => PrinterApi;
  /** --wait-busy: poll busy printers and sync each once it is free, for at most this long. */
  waitBusyMs?: number;
  /** How often a busy printer's state is read while waiting (default 30 s). */
  pollIntervalMs?: number;
}
