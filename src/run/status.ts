// `link-sync status`: one read-only look at every printer (state, job, free space, with a source the
// pending changes as a dry run plans them, last sync from the record). Never changes anything.

import type { PrinterConfig } from '../config/types.js';
import { configFrom } from '../config/load.js';
import { selectPrinters } from '../config/select.js';
import type { SyncOptions } from './options.js';
import { prepareRun, type RunInputs } from './prepare.js';
import { defaultConnect, printerJob } from './printers.js';
import { syncPrinter } from './printer/sync-printer.js';
import { defaultStateDir } from '../record/paths.js';
import { HashCache } from '../record/hash.js';
import type { RecordRun } from '../record/session.js';
import type { EventSink } from '../report/events.js';
import { configuredSecrets, mapStrings, redact } from '../report/inert.js';
import { applyPlan, readPrinter, STATUS_SCHEMA_VERSION, type StatusDocument } from './status-row.js';
import { readOnce } from './read-once.js';

export {
  applyPlan,
  blankRow,
  readPrinter,
  STATUS_SCHEMA_VERSION,
  statusExitCode,
  type PendingChanges,
  type PrinterStatusRow,
  type StatusDocument,
  type UploadInfo,
} from './status-row.js';

export interface StatusOptions extends Omit<SyncOptions, 'source' | 'go' | 'onEvent'> {
  /** With a master folder, each row says what a sync would change. */
  source?: string;
}

/** Reads every selected printer at once; a printer's failure is its row's `error`, never a throw. */
export async function farmStatus(options: StatusOptions): Promise<StatusDocument> {
  const env = options.env ?? process.env;
  const { printers, inputs } = await selectForStatus(options, env);
  const stateDir = options.stateDir === false ? undefined : (options.stateDir ?? defaultStateDir({ env }));
  const quiet: EventSink = () => {};
  // A status is a glance: one retry at most, so an unreachable printer does not hold the table up.
  const syncOptions: SyncOptions = {
    ...options,
    source: options.source ?? '',
    go: false,
    ignoreState: true,
    retries: options.retries ?? 1,
  };
  const connect = options.connect ?? defaultConnect(syncOptions, quiet);
  const hashes = new HashCache();
  const claimed = new Map<string, string>();
  const rows = await Promise.all(
    printers.map(async (printer, index) => {
      // The plan's own identify/status/storage reads get the answers the row was made from: one glance, one set of requests.
      const api = readOnce(connect(printer, options.signal));
      try {
        return await readPrinter(
          printer,
          api,
          async (row) => {
            if (!inputs) return;
            const record: RecordRun | undefined =
              stateDir === undefined
                ? undefined
                : { dir: stateDir, go: false, checksum: options.checksum ?? false, force: options.force ?? false, hashes, claimed };
            const result = await syncPrinter(printerJob(syncOptions, inputs, index, api, quiet, record));
            applyPlan(row, result);
          },
          stateDir,
        );
      } finally {
        api.close();
      }
    }),
  );
  const doc: StatusDocument = {
    v: STATUS_SCHEMA_VERSION,
    time: new Date().toISOString(),
    source: inputs?.source.root ?? null,
    printers: rows,
  };
  // A printer or proxy may echo a password in its error text: the document never carries one.
  const secrets = configuredSecrets(printers);
  return mapStrings(doc, (text) => redact(text, secrets));
}

async function selectForStatus(
  options: StatusOptions,
  env: Record<string, string | undefined>,
): Promise<{ printers: PrinterConfig[]; inputs?: RunInputs }> {
  if (options.source !== undefined) {
    const inputs = await prepareRun({ ...options, source: options.source });
    return { printers: inputs.printers, inputs };
  }
  const config = await configFrom(options.config, env, { displayName: options.configDisplayName, selection: options });
  return { printers: selectPrinters(config.printers, options.printers ?? [], options.exclude ?? [], config.unresolved).printers };
}
