// The local-side guard for names from printers: a table of hostile and ordinary names, and properties
// over generated names (whatever it accepts stays inside the master folder, as one plain name per level).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { checkLocalPath, type LocalNameCode } from '../../src/local/names.js';

const T = { timeout: 10_000 };

const TABLE: Array<[string, NodeJS.Platform, LocalNameCode | 'ok']> = [
  ['benchy.gcode', 'linux', 'ok'],
  ['parts/Benchy 0.4n.bgcode', 'linux', 'ok'],
  ['ünïcødé/日本.gcode', 'linux', 'ok'],
  ['ab:c.gcode', 'linux', 'ok'],
  ['a:b.gcode', 'linux', 'ABSOLUTE'],
  ['..gcode', 'linux', 'ok'],
  ['', 'linux', 'EMPTY'],
  ['parts//a.gcode', 'linux', 'EMPTY'],
  ['parts/', 'linux', 'EMPTY'],
  ['/etc/passwd.gcode', 'linux', 'ABSOLUTE'],
  ['C:evil.gcode', 'linux', 'ABSOLUTE'],
  ['c:/x.gcode', 'win32', 'ABSOLUTE'],
  ['../evil.gcode', 'linux', 'DOT_NAME'],
  ['parts/../../evil.gcode', 'linux', 'DOT_NAME'],
  ['./a.gcode', 'linux', 'DOT_NAME'],
  ['..', 'linux', 'DOT_NAME'],
  ['..\\evil.gcode', 'linux', 'SEPARATOR'],
  ['\\\\server\\share\\x.gcode', 'win32', 'SEPARATOR'],
  ['a\u0000.gcode', 'linux', 'NUL'],
  ['a\nb.gcode', 'linux', 'CONTROL'],
  ['a\rb.gcode', 'linux', 'CONTROL'],
  ['a\u001bb.gcode', 'linux', 'CONTROL'],
  ['a\u007f.gcode', 'linux', 'CONTROL'],
  ['a\u0085.gcode', 'linux', 'CONTROL'],
  [`${'x'.repeat(250)}.gcode`, 'linux', 'TOO_LONG'],
  [`${'é'.repeat(126)}.gcode`, 'linux', 'TOO_LONG'],
  [`${'x/'.repeat(2100)}a.gcode`, 'linux', 'TOO_LONG'],
  ['a<b.gcode', 'win32', 'WINDOWS_NAME'],
  ['a<b.gcode', 'linux', 'ok'],
  ['CON.gcode', 'win32', 'WINDOWS_NAME'],
  ['parts/lpt1', 'win32', 'WINDOWS_NAME'],
  ['CON.gcode', 'linux', 'ok'],
  ['trailing./a.gcode', 'win32', 'WINDOWS_NAME'],
  ['a.gcode ', 'win32', 'WINDOWS_NAME'],
];

describe('checkLocalPath', () => {
  for (const [rel, platform, expected] of TABLE) {
    test(`${JSON.stringify(rel.length > 40 ? `${rel.slice(0, 40)}…` : rel)} on ${platform}: ${expected}`, T, () => {
      const result = checkLocalPath(rel, platform);
      if (expected === 'ok') {
        assert.equal(result.ok, true, JSON.stringify(result));
      } else {
        assert.equal(result.ok, false);
        if (!result.ok) {
          assert.equal(result.code, expected);
          assert.ok(result.reason.length > 0);
        }
      }
    });
  }

  test('property: whatever it accepts resolves strictly inside the master folder, one plain name per level', T, () => {
    // A small fixed-seed generator, so a failure repeats.
    let seed = 0x2f6b1d;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const alphabet = ['a', 'B', '.', '..', '/', '\\', '\u0000', '\n', '\u007f', ' ', ':', 'C:', 'é', '日', '-', '_', '~', '%2e', '\u202e'];
    const master = path.resolve('/srv/farm/master');
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const length = 1 + Math.floor(random() * 8);
      let rel = '';
      for (let j = 0; j < length; j++) rel += alphabet[Math.floor(random() * alphabet.length)];
      for (const platform of ['linux', 'win32'] as const) {
        const result = checkLocalPath(rel, platform);
        if (!result.ok) continue;
        accepted++;
        const target = path.resolve(master, ...result.names);
        assert.ok(target.startsWith(master + path.sep), `${JSON.stringify(rel)} resolved outside: ${target}`);
        assert.equal(path.relative(master, target).split(path.sep).length, result.names.length, JSON.stringify(rel));
        for (const name of result.names) {
          assert.ok(name !== '' && name !== '.' && name !== '..', JSON.stringify(rel));
          assert.ok(!/[\\/\u0000-\u001f]/.test(name), JSON.stringify(rel));
        }
      }
    }
    assert.ok(accepted > 1000, `the generator made enough acceptable names (${accepted})`);
  });

  test('property: a refused path stays refused with any prefix or suffix of ordinary folders', T, () => {
    for (const [rel, platform, expected] of TABLE) {
      if (expected === 'ok' || expected === 'ABSOLUTE' || expected === 'TOO_LONG') continue;
      assert.equal(checkLocalPath(`parts/${rel}`, platform).ok, false, rel);
      assert.equal(checkLocalPath(`${rel}/x.gcode`, platform).ok, false, rel);
    }
  });
});
