// The record-based change decision, one table row per rule, in the order the rules apply.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideChange, type ChangeFacts, type ChangePolicy } from '../../src/plan/decide-record.js';
import type { RecordEntry } from '../../src/record/types.js';
import { local, remoteFile, T } from './builders.js';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);
const POLICY: ChangePolicy = { modifyWindowSec: 60 };

/** What the record says after uploading the builders' default file (100 bytes, mtime T, printer time T + 5). */
const ENTRY: RecordEntry = { size: 100, sha256: HASH_A, mtimeMs: T * 1000, mTimestamp: T + 5 };

interface Row {
  name: string;
  facts: Partial<ChangeFacts>;
  policy?: Partial<ChangePolicy>;
  verdict: 'same' | 'stale';
  reason: RegExp;
  update?: RecordEntry | 'none';
}

const rows: Row[] = [
  {
    name: '--force replaces a file the record says is the same',
    facts: {},
    policy: { force: true },
    verdict: 'stale',
    reason: /^forced by --force$/,
  },
  {
    name: 'no entry, printer copy not older, same size: kept and adopted as unverified',
    facts: { recorded: undefined, localHash: HASH_B, remote: remoteFile('a.gcode', { mTimestamp: T + 30 }) },
    verdict: 'same',
    reason: /^no sync record; .*same size, recorded as adopted \(content unverified\)$/,
    update: { size: 100, sha256: HASH_B, mtimeMs: T * 1000, mTimestamp: T + 30, unverified: true },
  },
  {
    name: 'no entry, printer copy newer but its size unknown: kept, never recorded',
    facts: { recorded: undefined, localHash: HASH_B, remote: remoteFile('a.gcode', { size: undefined, mTimestamp: T + 30 }) },
    verdict: 'same',
    reason: /^no sync record; .*not recorded \(the printer did not give its size\)$/,
    update: 'none',
  },
  {
    name: 'no entry, printer copy newer with another size: replaced',
    facts: { recorded: undefined, localHash: HASH_B, remote: remoteFile('a.gcode', { size: 99, mTimestamp: T + 3000 }) },
    verdict: 'stale',
    reason: /^no sync record; size differs: 100 B here, 99 B on printer$/,
  },
  {
    name: 'adopted, unverified entry: same without --checksum',
    facts: { recorded: { ...ENTRY, unverified: true } },
    verdict: 'same',
    reason: /^same as the last upload$/,
    update: 'none',
  },
  {
    name: 'adopted, unverified entry with --checksum: replaced, whatever the hashes say',
    facts: { recorded: { ...ENTRY, unverified: true }, localHash: HASH_A },
    policy: { checksum: true },
    verdict: 'stale',
    reason: /^adopted from the printer without checking its content; --checksum replaces it$/,
  },
  {
    name: 'no entry and no hash (dry run): kept by the time rule, nothing to adopt',
    facts: { recorded: undefined, localHash: undefined },
    verdict: 'same',
    reason: /^no sync record; same size, not newer$/,
    update: 'none',
  },
  {
    name: 'no entry, local newer beyond the window: replaced by the time rule',
    facts: { recorded: undefined, local: local('a.gcode', { mtimeSec: T + 5 + 3600 }) },
    verdict: 'stale',
    reason: /^no sync record; local copy newer by 1 h$/,
  },
  {
    name: 'no entry, sizes differ where the printer lists them: replaced',
    facts: { recorded: undefined, remote: remoteFile('a.gcode', { size: 90, mTimestamp: T + 9999 }) },
    verdict: 'stale',
    reason: /^no sync record; size differs: 100 B here, 90 B on printer$/,
  },
  {
    name: 'entry matches and the printer shows the recorded timestamp: same, without reading the file',
    facts: { remote: remoteFile('a.gcode', { size: undefined, mTimestamp: T + 5 }) },
    verdict: 'same',
    reason: /^same as the last upload$/,
    update: 'none',
  },
  {
    name: 'printer clock a day behind: the record, not the clock, decides',
    facts: {
      recorded: { ...ENTRY, mTimestamp: T - 86400 },
      remote: remoteFile('a.gcode', { mTimestamp: T - 86400 }),
      local: local('a.gcode', { mtimeSec: T }),
    },
    verdict: 'same',
    reason: /^same as the last upload$/,
  },
  {
    name: 'size changed here: replaced without hashing',
    facts: { local: local('a.gcode', { size: 120 }), localHash: undefined },
    verdict: 'stale',
    reason: /^changed here since the last upload: 120 B now, 100 B then$/,
  },
  {
    name: 'mtime changed, content differs: replaced',
    facts: { local: local('a.gcode', { mtimeSec: T + 10 }), localHash: HASH_B },
    verdict: 'stale',
    reason: /^changed here since the last upload: same size, different content$/,
  },
  {
    name: 'mtime changed, content the same: kept, the entry learns the new mtime',
    facts: { local: local('a.gcode', { mtimeSec: T + 10 }), localHash: HASH_A },
    verdict: 'same',
    reason: /only its modified time changed/,
    update: { ...ENTRY, mtimeMs: (T + 10) * 1000 },
  },
  {
    name: 'mtime changed, file unreadable: replaced (the upload says why it cannot)',
    facts: { local: local('a.gcode', { mtimeSec: T + 10 }), localHash: undefined },
    verdict: 'stale',
    reason: /could not be read to compare/,
  },
  {
    name: '--checksum: same mtime, different content: replaced',
    facts: { localHash: HASH_B },
    policy: { checksum: true },
    verdict: 'stale',
    reason: /same size, different content/,
  },
  {
    name: '--checksum: same content: same',
    facts: { localHash: HASH_A },
    policy: { checksum: true },
    verdict: 'same',
    reason: /^same as the last upload$/,
    update: 'none',
  },
  {
    name: 'the printer lists another size than uploaded: changed on the printer',
    facts: { remote: remoteFile('a.gcode', { size: 80, mTimestamp: T + 5 }) },
    verdict: 'stale',
    reason: /^changed on the printer since the last upload: 80 B there, 100 B uploaded$/,
  },
  {
    name: 'the printer timestamp moved later: replaced on the printer',
    facts: { remote: remoteFile('a.gcode', { size: undefined, mTimestamp: T + 5 + 120 }) },
    verdict: 'stale',
    reason: /^replaced on the printer since the last upload \(its timestamp moved 2 min later\)$/,
  },
  {
    name: 'the printer timestamp moved earlier (clock set back, file rewritten): replaced',
    facts: { remote: remoteFile('a.gcode', { size: undefined, mTimestamp: T + 5 - 3600 }) },
    verdict: 'stale',
    reason: /moved 1 h earlier\)$/,
  },
  {
    name: 'local change wins over a printer change in the reason',
    facts: { local: local('a.gcode', { size: 120 }), remote: remoteFile('a.gcode', { mTimestamp: T + 500 }) },
    verdict: 'stale',
    reason: /^changed here/,
  },
  {
    name: 'entry without a printer timestamp: same, and the entry learns the listed one',
    facts: { recorded: { size: 100, sha256: HASH_A, mtimeMs: T * 1000 }, remote: remoteFile('a.gcode', { mTimestamp: T + 7 }) },
    verdict: 'same',
    reason: /^same as the last upload$/,
    update: { size: 100, sha256: HASH_A, mtimeMs: T * 1000, mTimestamp: T + 7 },
  },
  {
    name: 'printer lists no timestamp: same when the local side is unchanged',
    facts: { remote: remoteFile('a.gcode', { size: undefined, mTimestamp: undefined }) },
    verdict: 'same',
    reason: /^same as the last upload$/,
    update: 'none',
  },
];

describe('decideChange', { timeout: 5000 }, () => {
  for (const row of rows) {
    it(row.name, () => {
      const facts: ChangeFacts = {
        local: local('a.gcode'),
        remote: remoteFile('a.gcode', { mTimestamp: T + 5 }),
        recorded: ENTRY,
        localHash: undefined,
        ...row.facts,
      };
      const decision = decideChange(facts, { ...POLICY, ...row.policy });
      assert.equal(decision.verdict, row.verdict, decision.reason);
      assert.match(decision.reason, row.reason);
      if (row.update === 'none') assert.equal(decision.update, undefined);
      else if (row.update) assert.deepEqual(decision.update, row.update);
      if (row.verdict === 'stale') assert.equal(decision.update, undefined, 'a file to replace is recorded only after its upload');
    });
  }
});
