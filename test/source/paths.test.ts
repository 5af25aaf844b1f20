// A printer's name and path rules: limits, forbidden names, URL encoding.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkRemotePath, encodeUrlPath, foldName, joinPath, utf8len, ancestorsOf } from '../../src/source/paths.js';
import { foldCase } from '../../src/simulator/model/fat-names.js';
import { BUDDY, PI } from '../plan/builders.js';

const codes = (path: string, rules = BUDDY, storage = 'usb'): string[] =>
  checkRemotePath(path, storage, rules).map((problem) => problem.code);

/** A print-file name of exactly `bytes` bytes. */
const nameOf = (bytes: number): string => 'a'.repeat(bytes - '.gcode'.length) + '.gcode';

describe('path helpers', { timeout: 5000 }, () => {
  it('joins POSIX parts without empty segments or outer slashes', () => {
    assert.equal(joinPath('farm/', '', '/parts', 'a.gcode'), 'farm/parts/a.gcode');
    assert.equal(joinPath('', ''), '');
    assert.equal(joinPath('/a//b/'), 'a/b');
  });

  it('lists every ancestor folder of a path', () => {
    assert.deepEqual(ancestorsOf('a/b/c.gcode'), ['a', 'a/b']);
    assert.deepEqual(ancestorsOf('c.gcode'), []);
  });

  it('encodes each segment, so "+" cannot be read as a space', () => {
    assert.equal(encodeUrlPath('a b/c+d?.gcode'), 'a%20b/c%2Bd%3F.gcode');
    assert.equal(encodeUrlPath('/é/x#1.gcode'), '%C3%A9/x%231.gcode');
  });

  it('encodes a lone surrogate instead of throwing', () => {
    assert.equal(encodeUrlPath('a\uD800.gcode'), 'a%EF%BF%BD.gcode');
  });

  it('folds case only on a printer that ignores case', () => {
    assert.equal(foldName('Parts/Benchy.GCODE', BUDDY), 'parts/benchy.gcode');
    assert.equal(foldName('Parts/Benchy.GCODE', PI), 'Parts/Benchy.GCODE');
    assert.equal(foldName('Straße/É.gcode', BUDDY), 'straße/é.gcode');
  });

  it('folds as one the names FAT upper-cases alike: final and medial sigma, long s, micro and mu, dotless i', () => {
    for (const [a, b] of [
      ['ας.gcode', 'ασ.gcode'],
      ['ſ.gcode', 's.gcode'],
      ['5µm.gcode', '5μm.gcode'],
      ['ı.gcode', 'I.gcode'],
    ] as const) {
      assert.equal(foldName(a, BUDDY), foldName(b, BUDDY), `${a} and ${b}`);
      assert.notEqual(foldName(a, PI), foldName(b, PI), `${a} and ${b} on a Pi`);
    }
    assert.notEqual(foldName('straße.gcode', BUDDY), foldName('strasse.gcode', BUDDY), 'ß is not SS to FAT');
  });

  it('never keeps apart two characters the simulated FAT volume takes as one (every BMP letter)', () => {
    const byFatKey = new Map<string, string>();
    for (let code = 0x20; code < 0x10000; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const ch = String.fromCharCode(code);
      const fat = foldCase(ch);
      const ours = foldName(ch, BUDDY);
      const first = byFatKey.get(fat);
      if (first === undefined) byFatKey.set(fat, ch);
      else
        assert.equal(ours, foldName(first, BUDDY), `U+${code.toString(16)} and U+${first.charCodeAt(0).toString(16)} are one name on FAT`);
    }
  });
});

describe('checkRemotePath', { timeout: 5000 }, () => {
  it('accepts a 98-byte path on Buddy (103 bytes with "/usb/")', () => {
    const path = `parts/${nameOf(92)}`;
    assert.equal(utf8len(path), 98);
    assert.deepEqual(codes(path), []);
  });

  it('refuses a 99-byte path on Buddy, naming both lengths', () => {
    const path = `parts/${nameOf(93)}`;
    const problems = checkRemotePath(path, 'usb', BUDDY);
    assert.deepEqual(
      problems.map((p) => p.code),
      ['PATH_TOO_LONG'],
    );
    assert.match(problems[0]!.message, /104 bytes; the printer accepts at most 103/);
  });

  it('has no path limit on a Pi', () => {
    assert.deepEqual(codes(`${'d'.repeat(200)}/${nameOf(240)}`, PI, 'local'), []);
  });

  it('refuses a URL over 168 bytes made long by non-ASCII names, though the path fits', () => {
    const fits = `${'é'.repeat(24)}.gcode`; // 18 + 24 × 6 + 6 = 168 URL bytes
    const tooLong = `${'é'.repeat(25)}.gcode`; // 174 URL bytes, but only 61 path bytes
    assert.deepEqual(codes(fits), []);
    const problems = checkRemotePath(tooLong, 'usb', BUDDY);
    assert.deepEqual(
      problems.map((p) => p.code),
      ['URL_TOO_LONG'],
    );
    assert.match(problems[0]!.message, /174 bytes; the printer accepts at most 168/);
  });

  it('gives a file one byte count: the first length limit broken is the one reported', () => {
    // 161 path bytes and 174 URL bytes: only the path's count is said.
    const path = `${'x'.repeat(150)}.gcode`;
    const problems = checkRemotePath(path, 'usb', BUDDY);
    assert.deepEqual(
      problems.map((p) => p.code),
      ['PATH_TOO_LONG'],
    );
    assert.match(problems[0]!.message, /is 161 bytes; the printer accepts at most 103/);
    assert.doesNotMatch(problems.map((p) => p.message).join('; '), /174/);
    // A name over the name limit is the only length reported, though the path is longer still.
    const name = `${'n'.repeat(300)}.gcode`;
    const named = checkRemotePath(`parts/${name}`, 'usb', BUDDY);
    assert.deepEqual(
      named.map((p) => p.code),
      ['NAME_TOO_LONG'],
    );
    assert.match(named[0]!.message, /is 306 characters long; the printer stores names of at most 167$/);
  });

  it('counts a custom request prefix for the URL limit', () => {
    assert.deepEqual(
      checkRemotePath('a.gcode', 'usb', BUDDY, 162).map((p) => p.code),
      ['URL_TOO_LONG'],
    );
  });

  const forbidden: Array<[path: string, shown: RegExp]> = [
    ['a:b.gcode', /"a:b.gcode" contains the character ":"/],
    ['why?/a.gcode', /"why\?" contains the character "\?"/],
    ['a\u0001.gcode', /control character U\+0001/],
    ['a\uD800.gcode', /unpaired surrogate U\+D800/],
  ];
  for (const [path, shown] of forbidden) {
    it(`names the forbidden character in ${JSON.stringify(path)}`, () => {
      const problems = checkRemotePath(path, 'usb', BUDDY);
      assert.deepEqual(
        problems.map((p) => p.code),
        ['FORBIDDEN_CHARACTER'],
      );
      assert.match(problems[0]!.message, shown);
    });
  }

  it('uses the Pi forbidden set on a Pi ("%" refused, ":" allowed)', () => {
    assert.deepEqual(codes('50%.gcode', PI, 'local'), ['FORBIDDEN_CHARACTER']);
    assert.deepEqual(codes('a:b.gcode', PI, 'local'), []);
  });

  it('refuses a trailing dot or space on FAT, in folders and in names', () => {
    assert.deepEqual(codes('v2./a.gcode'), ['TRAILING_DOT_OR_SPACE']);
    assert.match(
      checkRemotePath('v2./a.gcode', 'usb', BUDDY)[0]?.message ?? '',
      /"v2\." ends with a dot, which the printer's FAT file system strips, changing the name: rename it$/,
    );
    assert.ok(codes('a.gcode ').includes('TRAILING_DOT_OR_SPACE'));
    assert.deepEqual(codes('v2./a.gcode', PI, 'local'), []);
  });

  it('refuses a name over 167 UTF-16 units on Buddy and 248 bytes on a Pi', () => {
    assert.ok(codes(nameOf(168)).includes('NAME_TOO_LONG'));
    assert.deepEqual(codes(nameOf(248), PI, 'local'), []);
    assert.deepEqual(codes(nameOf(249), PI, 'local'), ['NAME_TOO_LONG']);
    assert.deepEqual(codes(`${'ü'.repeat(125)}.gcode`, PI, 'local'), ['NAME_TOO_LONG']);
  });

  it('refuses extensions the printer does not take', () => {
    assert.deepEqual(codes('notes.txt'), ['NOT_PRINTABLE']);
    assert.deepEqual(codes('Makefile'), ['NOT_PRINTABLE']);
    assert.deepEqual(codes('a.bgcode', PI, 'local'), ['NOT_PRINTABLE']);
    assert.deepEqual(codes('A.BGCODE'), []);
  });

  it('refuses a file in a folder on a printer that stores files in its root only (Buddy 4.4)', () => {
    const rootOnly = { ...BUDDY, rootOnly: true };
    assert.deepEqual(codes('benchy.gcode', rootOnly), []);
    assert.deepEqual(codes('parts/benchy.gcode', rootOnly), ['FOLDERS_NOT_SUPPORTED']);
    assert.deepEqual(codes('parts/benchy.gcode'), [], 'current Buddy firmware takes folders');
  });
});
