// One printer's use of the sync record during a run: load it, prepare the planner's inputs (hashes,
// sizes), follow the changes the printer confirms, and save it atomically. Warnings, never crashes.

import type { PrinterApi } from '../printer/api.js';
import type { ConfirmedChanges } from '../execute/executor.js';
import type { PlanRecord } from '../plan/plan.js';
import { PrinterError } from '../errors.js';
import type { EventSink } from '../report/events.js';
import { ReadingProgress } from '../report/reading-progress.js';
import type { NameRules, RemoteFile, RemoteTree, SourceTree } from '../types.js';
import type { HashCache } from './hash.js';
import { hostName, recordKey } from './keys.js';
import { selectPrepass, withSizes } from './prepass.js';
import { pooled, type PrinterRecord, type StringPool } from './record.js';
import { loadRecord, recordsByHost, saveRecord } from './store.js';
import type { RecordChanges } from './types.js';
import { folderCause } from '../local/folder-words.js';

/** What every printer of one run shares about the record. */
export interface RecordRun {
  /** The state folder holding one record file per printer. */
  dir: string;
  /** Only a run with --go changes the record. */
  go: boolean;
  checksum: boolean;
  force: boolean;
  hashes: HashCache;
  /** Printer keys taken in this run, and the config entry that took each: one printer, one entry. */
  claimed: Map<string, string>;
  /** Paths and hashes read from the records, one copy each for all printers. */
  strings?: StringPool;
  /** Printers holding files that the folder has no record of: said after the run, in one warning. */
  missing?: MissingRecord[];
  /** Each address's latest record in the folder, read once, when a printer has no record. */
  byHost?: Promise<Map<string, string>>;
}

/** A printer that holds files its record does not know, because there is no record for it here. */
export interface MissingRecord {
  printer: string;
  /** Set when the folder's record for the printer's address is of another serial: a different printer answers there. */
  swapped?: { host: string; serial: string; before: string };
}

const SERIAL = 'serial:';

/** How many printers the missing-record warning names before it counts the rest. */
const NAMED_PRINTERS = 5;

/**
 * What the run says about printers that hold files the state folder has no record of: one warning
 * naming them all (in `order`, the config's), and one per printer that replaced another at its address.
 */
export function missingRecordWarnings(run: RecordRun, order: readonly string[]): Array<{ printer?: string; message: string }> {
  const missing = [...(run.missing ?? [])].sort((a, b) => order.indexOf(a.printer) - order.indexOf(b.printer));
  const warnings: Array<{ printer?: string; message: string }> = [];
  for (const { printer, swapped } of missing) {
    if (!swapped) continue;
    warnings.push({
      printer,
      message: `the printer at ${swapped.host} reports serial ${swapped.serial}, but the sync record in ${run.dir} for that address is of serial ${swapped.before}: a different printer answers there now, so it has no record and its files are judged by time`,
    });
  }
  const unexplained = missing.filter((m) => !m.swapped).map((m) => m.printer);
  if (unexplained.length > 0) {
    warnings.unshift({
      message: `no sync record for ${namedList(unexplained)} in ${run.dir}: judging by time; is this the state folder you meant? (set state_dir in the config or --state-dir)`,
    });
  }
  return warnings;
}

/** "a", "a and b", "a, b and c", beyond a handful "a, b, c, d, e and 7 more". */
function namedList(names: readonly string[]): string {
  const shown = names.length > NAMED_PRINTERS ? names.slice(0, NAMED_PRINTERS) : names.slice(0, -1);
  const rest = names.length > NAMED_PRINTERS ? `${names.length - NAMED_PRINTERS} more` : names.at(-1)!;
  return shown.length === 0 ? rest : `${shown.join(', ')} and ${rest}`;
}

/** While uploads are confirmed, save at most this often, so a killed run keeps most of what it did. */
const SAVE_INTERVAL_MS = 10_000;

export class RecordSession {
  private savedRevision: number;
  private lastSave = Date.now();
  private saving: Promise<void> = Promise.resolve();
  private saveWarned = false;

  private constructor(
    private readonly run: RecordRun,
    private readonly record: PrinterRecord,
    /** Absolute path of the record file. */
    readonly file: string,
    private readonly printer: string,
    private readonly emit: EventSink,
    /** The record file was there but could not be used, and a warning said so already. */
    private readonly damaged = false,
    /** The printer's configured address, as records name it. */
    private readonly host?: string,
  ) {
    // A record read from an older format counts as changed, so a run with --go rewrites it.
    this.savedRevision = record.olderFormat ? record.revision - 1 : record.revision;
    // So does one saved from another address: the record names the address it was last synced at.
    if (host !== undefined) record.setHost(host);
  }

  /**
   * Throws when another entry of the config reached the same printer first: two entries for one
   * printer fight (one deletes what the other places, every run), so the second is not synced.
   */
  static async open(run: RecordRun, key: string, printer: string, emit: EventSink, host?: string): Promise<RecordSession> {
    const first = run.claimed.get(key);
    if (first !== undefined && first !== printer) {
      throw new PrinterError(
        printer,
        'rejected',
        `printer ${printer}: it is the same printer as ${first} in the config (${key}); two entries for one printer undo each other's changes, so this one is not synced`,
        { hint: 'keep one entry per printer in the config, with the destination it needs' },
      );
    }
    run.claimed.set(key, printer);
    const loaded = await loadRecord(run.dir, key, run.strings);
    if (loaded.warning) emit({ type: 'warning', printer, message: loaded.warning });
    const at = host === undefined ? undefined : hostName(host);
    return new RecordSession(run, loaded.record, loaded.file, printer, emit, loaded.warning !== undefined, at);
  }

  /** Reads what the decisions need: hashes of local files and sizes the listing lacks. */
  async prepare(
    api: PrinterApi,
    storage: string,
    remote: RemoteTree,
    source: SourceTree,
    rules: NameRules,
    /** Told how many sizes are about to be asked, one request each, before the first is. */
    beforeLookups?: (count: number) => void,
  ): Promise<{ remote: RemoteTree; record: PlanRecord }> {
    const entries = this.record.entries(storage);
    if (entries.size === 0 && remote.files.length > 0 && this.record.size === 0 && !this.damaged) {
      // A wrong state folder (cron's and an interactive run's differ) turns every file into "judge by time".
      // --wait-busy may plan a printer twice in one run: it is named once.
      const missing = await this.missingRecord();
      if (!this.run.missing) this.run.missing = [];
      if (!this.run.missing.some((m) => m.printer === this.printer)) this.run.missing.push(missing);
    }
    const needs = selectPrepass(source, remote, entries, rules, { checksum: this.run.checksum, force: this.run.force, adopt: this.run.go });
    if (needs.statSize.length > 0) beforeLookups?.(needs.statSize.length);
    // A first sync can ask thousands of sizes and read gigabytes: the operator sees it happen.
    const asked = new ReadingProgress(this.emit, this.printer, 'sizes', needs.statSize.length);
    const sizes = new Map<RemoteFile, number>();
    for (const file of needs.statSize) {
      const info = await api.stat(storage, file.urlPath);
      if (info?.size !== undefined) sizes.set(file, info.size);
      asked.advance();
    }
    const hashed = new ReadingProgress(this.emit, this.printer, 'hashes', needs.hash.length);
    const hashes = await this.run.hashes.getAll(needs.hash, () => hashed.advance());
    return { remote: withSizes(remote, sizes), record: { entries, hashes } };
  }

  /** Adoptions, refreshes and drops the planner found; only a run with --go keeps them. */
  applyPlan(storage: string, changes: RecordChanges | undefined): void {
    if (!this.run.go || !changes) return;
    const pool = this.run.strings;
    this.record.apply(
      storage,
      pool ? { drop: changes.drop, set: changes.set.map(({ key, entry }) => ({ key: pooled(pool, key), entry })) } : changes,
    );
  }

  /** What the executor reports back: each confirmed upload and deletion updates the record. */
  confirmations(storage: string, root: string, rules: NameRules, destination?: string): ConfirmedChanges {
    return {
      uploaded: (action, { sha256, remote }) => {
        const key = recordKey(root, action.path, rules);
        const size = action.source.size;
        if (sha256 === undefined || (remote?.size !== undefined && remote.size !== size)) {
          // What the printer holds is not known for sure: let the next run judge it without an entry.
          this.record.delete(storage, key);
          if (remote?.size !== undefined && remote.size !== size) {
            this.emit({
              type: 'warning',
              printer: this.printer,
              message: `${action.path}: the printer reports ${remote.size} bytes after the upload of ${size}; not recorded as synced`,
            });
          }
        } else {
          this.record.set(storage, key, {
            size,
            sha256,
            mtimeMs: action.source.mtimeMs,
            ...(remote?.mTimestamp !== undefined ? { mTimestamp: remote.mTimestamp } : {}),
            ...(destination !== undefined ? { placedUnder: destination } : {}),
          });
        }
        if (Date.now() - this.lastSave >= SAVE_INTERVAL_MS) this.queueSave();
      },
      deleted: (action) => this.record.delete(storage, recordKey(root, action.path, rules)),
    };
  }

  /** This printer, missing from the folder, and whether the folder's record for its address is of another serial. */
  private async missingRecord(): Promise<MissingRecord> {
    const key = this.record.key;
    if (this.host === undefined || !key.startsWith(SERIAL)) return { printer: this.printer };
    this.run.byHost ??= recordsByHost(this.run.dir);
    const before = (await this.run.byHost).get(this.host);
    if (before === undefined || before === key || !before.startsWith(SERIAL)) return { printer: this.printer };
    return { printer: this.printer, swapped: { host: this.host, serial: key.slice(SERIAL.length), before: before.slice(SERIAL.length) } };
  }

  /** Saves what changed (with --go only); waits for any save in progress first. */
  async close(): Promise<void> {
    this.queueSave();
    await this.saving;
  }

  private queueSave(): void {
    if (!this.run.go) return;
    this.lastSave = Date.now();
    this.saving = this.saving.then(() => this.saveNow());
  }

  private async saveNow(): Promise<void> {
    const revision = this.record.revision;
    if (revision === this.savedRevision) return;
    try {
      await saveRecord(this.run.dir, this.record);
      this.savedRevision = revision;
    } catch (error) {
      if (this.saveWarned) return;
      this.saveWarned = true;
      this.emit({
        type: 'warning',
        printer: this.printer,
        message: `could not save the sync record ${this.file} (${folderCause(error)}); the next run judges this printer's files by the time rule where the record is behind`,
      });
    }
  }
}
