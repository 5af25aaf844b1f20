// Which earlier backup of a printer file counts as the newest, and when it counts as the same file:
// real files in a temporary folder, named as backUp names them.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { newestBackup, sameByTime, sameContent } from '../../src/backup/earlier-backup.js';
import { tempDir } from '../helpers/fixtures.js';

const T = { timeout: 10_000 };
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

async function newestOf(names: string[], wanted = 'benchy.gcode'): Promise<string | undefined> {
  const work = tempDir();
  try {
    for (const name of names) writeFileSync(path.join(work.dir, name), name);
    return path.basename((await newestBackup(work.dir, wanted))?.path ?? '') || undefined;
  } finally {
    work.cleanup();
  }
}

describe('the newest earlier backup', T, () => {
  const table: Array<[string, string[], string | undefined, string?]> = [
    ['none', ['other.gcode', 'benchy.gcode.bak'], undefined],
    ['the first backup, under the plain name', ['benchy.gcode', 'benchy.bgcode'], 'benchy.gcode'],
    ['a time suffix after the plain name', ['benchy.gcode', 'benchy.20261205T174200Z.gcode'], 'benchy.20261205T174200Z.gcode'],
    [
      'the later time stamp, and "-10" after "-9" in one second',
      ['benchy.gcode', 'benchy.20261205T174200Z.gcode', 'benchy.20261206T080000Z-9.gcode', 'benchy.20261206T080000Z-10.gcode'],
      'benchy.20261206T080000Z-10.gcode',
    ],
    ['not another file whose name starts the same', ['benchy.gcode', 'benchy.v2.20261205T174200Z.gcode'], 'benchy.gcode'],
    ['a name without an extension', ['notes', 'notes.20261205T174200Z'], 'notes.20261205T174200Z', 'notes'],
  ];
  for (const [label, names, expected, wanted] of table) {
    test(label, async () => {
      assert.equal(await newestOf(names, wanted), expected);
    });
  }

  test('a folder that does not exist has none', async () => {
    assert.equal(await newestBackup('/nonexistent/link-sync/backups', 'benchy.gcode'), undefined);
  });
});

describe('the same file as the printer holds', T, () => {
  test('by the printer time stamp only when it is plausible and the size matches; else by content', async () => {
    const work = tempDir();
    try {
      const file = path.join(work.dir, 'benchy.gcode');
      writeFileSync(file, 'G28\n');
      const stamp = 1_767_225_600; // 2026-01-01
      utimesSync(file, stamp, stamp);
      const backup = (await newestBackup(work.dir, 'benchy.gcode'))!;
      assert.equal(sameByTime(backup, 4, stamp), true);
      assert.equal(sameByTime(backup, 5, stamp), false, 'another size');
      assert.equal(sameByTime(backup, 4, stamp + 2), false, 'another time');
      assert.equal(sameByTime(backup, 4, undefined), false, 'no time');
      utimesSync(file, 315532800, 315532800);
      const unset = (await newestBackup(work.dir, 'benchy.gcode'))!;
      assert.equal(sameByTime(unset, 4, 315532800), false, 'a printer without a clock proves nothing');
      assert.equal(await sameContent(unset, 4, sha256('G28\n')), true);
      assert.equal(await sameContent(unset, 4, sha256('G29\n')), false);
    } finally {
      work.cleanup();
    }
  });
});
