// The pure planner: source tree × remote tree × printed file × policy (× sync record) → one printer's plan.

import type {
  Action,
  NameRules,
  PlanHold,
  PlanProblem,
  PrintedFile,
  PrinterPlan,
  RemoteFile,
  RemoteTree,
  SourceFile,
  SourceTree,
  SyncPolicy,
} from '../types.js';
import { checkRemotePath, compareCodeUnits, foldName, joinPath, type PathProblem } from '../source/paths.js';
import { decideFile, type Decision } from './decide.js';
import { decideChange } from './decide-record.js';
import { underRootTest } from '../record/keys.js';
import type { RecordChanges, RecordEntries } from '../record/types.js';
import { formatBytes } from '../report/format.js';
import { matchFiles } from './match.js';
import { filesByRecordKey, forgetRecordKeys, recordKeyer } from './path-keys.js';
import { printedFileTest } from './printed.js';
import { planRemovals } from './remove.js';
import { uploadPlace, uploadTarget } from './target.js';
import { explainNewFolders, foldersToCreate } from './new-folders.js';

export interface PlanInput {
  source: SourceTree;
  remote: RemoteTree;
  rules: NameRules;
  /** Present while the printer has a job, even with --ignore-state. */
  printing?: PrintedFile;
  policy: SyncPolicy;
  /** The sync record for this printer's storage; without it, every file is judged by the time rule. */
  record?: PlanRecord;
  /** Also list every unchanged file with its reason (for --verbose); costly on large trees, so off by default. */
  explainSame?: boolean;
  /** The destination path of this run within the storage ('' for the storage root): recorded with each
   * file placed, and compared with it before a deletion. */
  destination?: string;
}

export interface PlanRecord {
  /** The record's entries for the storage synced (keys: see recordKey). */
  entries: RecordEntries;
  /** SHA-256 of local files the pre-pass read, by source relPath. */
  hashes: ReadonlyMap<string, string>;
}

/**
 * Uploads what the printer lacks, replaces what is stale, and (with deleteExtraneous) deletes what
 * the source lacks. Files the printer cannot store become problems; files it must not touch become
 * holds. No I/O and no clock: the same input always gives the same plan.
 */
export function planPrinter(input: PlanInput): PrinterPlan {
  const { source, remote, rules, policy } = input;
  const match = matchFiles(source, remote, rules);
  const isPrinted = printedFileTest(input.printing, remote, rules);
  const problems: PlanProblem[] = [...match.problems];
  const holds: PlanHold[] = [];
  const transfers: Action[] = [];
  let unchanged = 0;
  const same: Array<{ path: string; reason: string }> | undefined = input.explainSame ? [] : undefined;

  // Checked as requested (short folder names count as sent), reported with the long names.
  const remotePathProblems = (path: string, targetUrl: string): PathProblem[] =>
    checkRemotePath(targetUrl, remote.storage, rules, undefined, joinPath(remote.root, path));
  const pathProblems = (path: string, targetUrl: string): boolean => {
    const found = remotePathProblems(path, targetUrl);
    for (const problem of found) problems.push({ path, ...problem });
    return found.length > 0;
  };

  const keyOf = recordKeyer(remote.root, rules);
  const recordChanges: RecordChanges | undefined = input.record
    ? { set: [], drop: droppedEntries(input.record.entries, remote, rules) }
    : undefined;
  const decide = (file: SourceFile, copy: RemoteFile): Decision => {
    if (!input.record) return policy.force ? { verdict: 'stale', reason: 'forced by --force' } : decideFile(file, copy, policy);
    const key = keyOf(file.relPath);
    const decision = decideChange(
      { local: file, remote: copy, recorded: input.record.entries.get(key), localHash: input.record.hashes.get(file.relPath) },
      policy,
    );
    if (decision.update) {
      const entry =
        decision.update.placedUnder === undefined && input.destination !== undefined
          ? { ...decision.update, placedUnder: input.destination }
          : decision.update;
      recordChanges?.set.push({ key, entry });
    }
    return decision;
  };

  for (const { source: file, remote: copy } of match.pairs) {
    if (file.size === 0) {
      // Buddy answers 501 and a Pi 411 to an empty upload: say so now, send nothing.
      problems.push({
        path: file.relPath,
        code: 'EMPTY_FILE',
        message: 'the file is empty (0 bytes) and printers refuse empty files: export it again, or remove it from the source folder',
      });
      continue;
    }
    if (rules.maxFileBytes !== undefined && file.size > rules.maxFileBytes) {
      // It would fail only after the whole upload (hours over Wi-Fi); the printer's copy is kept, as for any problem.
      problems.push({
        path: file.relPath,
        code: 'FILE_TOO_LARGE',
        message:
          `the file is ${formatBytes(file.size)} (${file.size} bytes) and this printer's FAT32 USB drive stores files of at most ` +
          `${rules.maxFileBytes} bytes (4 GiB − 1): export it smaller (as binary .bgcode), or exclude it for this printer`,
      });
      continue;
    }
    if (!copy) {
      const targetUrl = uploadTarget(file.relPath, remote, match.foldersByKey, rules);
      const found = remotePathProblems(file.relPath, targetUrl);
      const newFolders = onlyTooLong(found)
        ? foldersToCreate(uploadPlace(file.relPath, remote, match.foldersByKey, rules), remote.storage, rules)
        : undefined;
      if (found.length > 0 && !newFolders) {
        for (const problem of found) problems.push({ path: file.relPath, ...problem });
        continue;
      }
      transfers.push({
        kind: 'upload',
        path: file.relPath,
        targetUrl,
        source: file,
        reason: 'missing on printer',
        ...(newFolders ? { newFolders } : {}),
      });
      continue;
    }
    if (copy.partial) {
      // Someone is downloading this name onto the printer; what it will hold is not ours to judge.
      holds.push({ path: copy.path, reason: 'partial-download', wouldHave: 'replace' });
      continue;
    }
    const decision = decide(file, copy);
    if (decision.verdict === 'same') {
      unchanged++;
      same?.push({ path: file.relPath, reason: decision.reason });
      continue;
    }
    if (isPrinted(copy)) {
      holds.push({ path: copy.path, reason: 'being-printed', wouldHave: 'replace' });
      continue;
    }
    if (copy.readOnly) {
      holds.push({ path: copy.path, reason: 'read-only', wouldHave: 'replace' });
      continue;
    }
    // Not the file's own urlPath: Buddy renames the upload to the last name of the PUT path, so a
    // PUT to BENCHY~1.GCO would leave a file called BENCHY~1.GCO. Parents by short name, file by long.
    const targetUrl = uploadTarget(file.relPath, remote, match.foldersByKey, rules);
    if (pathProblems(file.relPath, targetUrl)) continue;
    transfers.push({ kind: 'replace', path: file.relPath, targetUrl, source: file, reason: decision.reason });
  }

  transfers.sort((a, b) => compareCodeUnits(a.path, b.path));
  const ordered = explainNewFolders(transfers, remote.storage, rules);
  const removals = policy.deleteExtraneous
    ? planRemovals(match.unmatched, remote, source, rules, isPrinted, placedElsewhere(input, keyOf))
    : { deletes: [], rmdirs: [], holds: [] };
  holds.push(...removals.holds);

  forgetRecordKeys(remote);
  let uploadBytes = 0;
  for (const action of ordered) if (action.kind === 'upload' || action.kind === 'replace') uploadBytes += action.source.size;

  return {
    actions: [...ordered, ...removals.deletes, ...removals.rmdirs],
    problems: problems.sort((a, b) => compareCodeUnits(a.path, b.path)),
    holds: holds.sort((a, b) => compareCodeUnits(a.path, b.path)),
    unchanged,
    ...(same ? { same } : {}),
    uploadBytes,
    ...(recordChanges ? { recordChanges } : {}),
  };
}

/** Too long as sent, and nothing else: new folders addressed by short names may make it fit. */
function onlyTooLong(found: readonly PathProblem[]): boolean {
  return found.length > 0 && found.every((p) => p.code === 'PATH_TOO_LONG' || p.code === 'URL_TOO_LONG');
}

/** Entries under the sync root for files the printer no longer lists: someone removed them. */
function droppedEntries(entries: RecordEntries, remote: RemoteTree, rules: NameRules): string[] {
  const listed = filesByRecordKey(remote, rules);
  const underRoot = underRootTest(remote.root, rules);
  const dropped: string[] = [];
  for (const key of entries.keys()) {
    if (underRoot(key) && !listed.has(key)) dropped.push(key);
  }
  return dropped.sort(compareCodeUnits);
}

/**
 * The destination of another sync that placed a file, when deleting it now would reach into that
 * sync's folder: the record says it was placed under a destination strictly inside this run's one
 * (e.g. by `-d farm`, and this run has no -d). Off with --delete-other-destinations.
 */
function placedElsewhere(input: PlanInput, keyOf: (path: string) => string): ((file: RemoteFile) => string | undefined) | undefined {
  const { record, destination, policy, rules } = input;
  if (!record || destination === undefined || policy.deleteOtherDestinations) return undefined;
  const fold = (path: string): string => foldName(path, rules);
  const mine = fold(destination);
  return (file) => {
    const placedUnder = record.entries.get(keyOf(file.path))?.placedUnder;
    if (placedUnder === undefined) return undefined;
    const theirs = fold(placedUnder);
    const inside = theirs !== mine && (mine === '' || theirs.startsWith(`${mine}/`));
    return inside ? placedUnder : undefined;
  };
}
