// Has a file changed since link-sync last put it on this printer? The record-based decision table,
// falling back to the time rule for files the record does not know. Pure.

import type { RecordEntry } from '../record/types.js';
import type { RemoteFile, SourceFile, SyncPolicy } from '../types.js';
import { decideFile, formatDuration, formatSizePair } from './decide.js';

export interface ChangeFacts {
  local: SourceFile;
  remote: RemoteFile;
  /** The record's entry for this file; undefined when the record does not know it. */
  recorded: RecordEntry | undefined;
  /** SHA-256 of the local file, when the pre-pass read it. */
  localHash: string | undefined;
}

export type ChangePolicy = Pick<SyncPolicy, 'modifyWindowSec' | 'checksum' | 'force'>;

export interface ChangeDecision {
  verdict: 'same' | 'stale';
  reason: string;
  /** For 'same': the entry the record should hold from now on, when it differs from the recorded one. */
  update?: RecordEntry;
}

/**
 * In order, first match wins:
 * 1. --force: stale.
 * 2. No entry: the time rule (size first). A file judged the same is adopted only when the printer's
 *    size is known and equal and the local hash is known, and then as "unverified": the printer's
 *    content was never compared. Without the printer's size nothing is recorded.
 * 2b. --checksum and an unverified entry: changed (the only way to know the content is to send it).
 * 3. Size differs from the entry: changed here.
 * 4. --checksum, or mtime differs from the entry: compare content hashes; differ (or unreadable): changed here.
 * 5. The printer lists a size other than the entry's: changed on the printer.
 * 6. The printer's timestamp differs from the entry's: replaced on the printer.
 * 7. Otherwise the same; refresh the entry's mtime or timestamp when they were learned just now.
 */
export function decideChange(facts: ChangeFacts, policy: ChangePolicy): ChangeDecision {
  const { local, remote, recorded, localHash } = facts;
  if (policy.force) return { verdict: 'stale', reason: 'forced by --force' };
  if (!recorded) return byTimeRule(facts, policy);
  if (policy.checksum && recorded.unverified) {
    return { verdict: 'stale', reason: 'adopted from the printer without checking its content; --checksum replaces it' };
  }

  if (local.size !== recorded.size) {
    const [now, then] = formatSizePair(local.size, recorded.size);
    return { verdict: 'stale', reason: `changed here since the last upload: ${now} now, ${then} then` };
  }
  const mtimeMoved = local.mtimeMs !== recorded.mtimeMs;
  if (policy.checksum || mtimeMoved) {
    if (localHash === undefined) {
      return { verdict: 'stale', reason: 'changed here since the last upload: its content could not be read to compare' };
    }
    if (localHash !== recorded.sha256) {
      return { verdict: 'stale', reason: 'changed here since the last upload: same size, different content' };
    }
  }
  if (remote.size !== undefined && remote.size !== recorded.size) {
    const [there, uploaded] = formatSizePair(remote.size, recorded.size);
    return { verdict: 'stale', reason: `changed on the printer since the last upload: ${there} there, ${uploaded} uploaded` };
  }
  if (remote.mTimestamp !== undefined && recorded.mTimestamp !== undefined && remote.mTimestamp !== recorded.mTimestamp) {
    const moved = remote.mTimestamp - recorded.mTimestamp;
    const direction = moved > 0 ? 'later' : 'earlier';
    return {
      verdict: 'stale',
      reason: `replaced on the printer since the last upload (its timestamp moved ${formatDuration(Math.abs(moved))} ${direction})`,
    };
  }
  const learnTimestamp = recorded.mTimestamp === undefined && remote.mTimestamp !== undefined;
  if (!mtimeMoved && !learnTimestamp) return { verdict: 'same', reason: 'same as the last upload' };
  const update: RecordEntry = { ...recorded, mtimeMs: local.mtimeMs };
  if (learnTimestamp) update.mTimestamp = remote.mTimestamp;
  return {
    verdict: 'same',
    reason: mtimeMoved ? 'same content as the last upload (only its modified time changed)' : 'same as the last upload',
    update,
  };
}

function byTimeRule(facts: ChangeFacts, policy: ChangePolicy): ChangeDecision {
  const { local, remote, localHash } = facts;
  const decision = decideFile(local, remote, policy);
  const reason = `no sync record; ${decision.reason}`;
  if (decision.verdict === 'stale') return { verdict: decision.verdict, reason };
  // Only a size the printer confirmed makes a copy worth recording; its content stays unknown.
  if (remote.size !== local.size) return { verdict: 'same', reason: `${reason}; not recorded (the printer did not give its size)` };
  if (localHash === undefined) return { verdict: 'same', reason };
  const update: RecordEntry = { size: local.size, sha256: localHash, mtimeMs: local.mtimeMs, unverified: true };
  if (remote.mTimestamp !== undefined) update.mTimestamp = remote.mTimestamp;
  return { verdict: 'same', reason: `${reason}; same size, recorded as adopted (content unverified)`, update };
}
