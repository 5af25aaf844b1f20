// The gate for names from printers: a table of the hostile cases, and generated names (seeded, so a
// failure repeats) checked against what a safe name must be.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_REMOTE_NAME_UTF16, entryNamesProblem, listingNameProblem, remoteNameProblem } from '../../src/printer/remote-name.js';
import { WireError, parseListing } from '../../src/printer/prusalink/wire.js';
import { parseLegacyTree } from '../../src/printer/prusalink/legacy-wire.js';

const T = { timeout: 10_000 };

describe('remoteNameProblem', T, () => {
  const refused: Array<[string, RegExp]> = [
    ['', /empty/],
    ['.', /the name "\."/],
    ['..', /the name "\.\."/],
    ['a/b.gcode', /"\/"/],
    ['/', /"\/"/],
    ['..\\victim2.gcode', /"\\"/],
    ['A\u0000B.GCO', /NUL/],
    ['evil\u001b[2J.gcode', /control character/],
    ['line\nbreak.gcode', /control character/],
    ['cr\r.gcode', /control character/],
    ['del\u007f.gcode', /control character/],
    ['c1\u009b.gcode', /control character/],
    ['bad\ufffd.gcode', /not valid UTF-8/],
    ['lone\ud800.gcode', /not valid Unicode/],
    ['x'.repeat(MAX_REMOTE_NAME_UTF16 + 1), /longer/],
    ['é'.repeat(250) + 'ñ'.repeat(150), /longer/],
  ];
  for (const [name, why] of refused)
    it(`refuses ${JSON.stringify(name.slice(0, 30))}`, () => assert.match(remoteNameProblem(name) ?? 'accepted', why));

  const accepted = [
    'benchy.gcode',
    'BENCHY~1.GCO',
    '.hidden.gcode',
    '...',
    'a..b.gcode',
    'Ünïcödé 部品.bgcode',
    'x'.repeat(MAX_REMOTE_NAME_UTF16),
    'a b+c%20.gcode',
  ];
  for (const name of accepted) it(`accepts ${JSON.stringify(name.slice(0, 30))}`, () => assert.equal(remoteNameProblem(name), undefined));

  it('property: every generated name it accepts is one safe path segment; every one it refuses holds a hazard', () => {
    // xorshift32, seeded: the same names every run.
    let seed = 0x12345678;
    const next = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 0x100000000;
    };
    const alphabet = [
      'a',
      'Z',
      '0',
      '.',
      '.',
      '-',
      '_',
      ' ',
      '~',
      '/',
      '\\',
      '\u0000',
      '\u001b',
      '\n',
      '\r',
      '\u007f',
      '\u0085',
      '\ufffd',
      'é',
      '部',
      '\ud83d\ude00',
      '\ud800',
      '%',
      '+',
    ];
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const length = Math.floor(next() * 8);
      let name = '';
      for (let j = 0; j < length; j++) name += alphabet[Math.floor(next() * alphabet.length)];
      if (next() < 0.01) name += 'x'.repeat(260);
      const problem = remoteNameProblem(name);
      const controls = /[/\\\u0000-\u001f\u007f-\u009f\ufffd]/;
      const hazard =
        name === '' ||
        name === '.' ||
        name === '..' ||
        controls.test(name) ||
        /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(name) ||
        name.length > MAX_REMOTE_NAME_UTF16;
      assert.equal(problem !== undefined, hazard, `${JSON.stringify(name)}: ${problem ?? 'accepted'}`);
      if (problem === undefined) {
        accepted++;
        // A safe name stays one segment through the URL encoding every request uses.
        const segments = `/api/v1/files/usb/farm/${encodeURIComponent(name)}`.split('/').map((s) => decodeURIComponent(s));
        assert.equal(segments.length, 7);
        assert.equal(segments[6], name);
        assert.ok(segments[6] !== '.' && segments[6] !== '..');
      }
    }
    assert.ok(accepted > 1000, `only ${accepted} names accepted: the generator tests too little`);
  });

  it('judges every UTF-16 code unit inside a name, alone and at the length limit', () => {
    const hazard = /[/\\\u0000-\u001f\u007f-\u009f\ufffd\ud800-\udfff]/;
    for (let code = 0; code <= 0xffff; code++) {
      const char = String.fromCharCode(code);
      for (const name of [`a${char}b`, char.padEnd(MAX_REMOTE_NAME_UTF16, 'x'), char.padEnd(MAX_REMOTE_NAME_UTF16 + 1, 'x')]) {
        const refused = hazard.test(char) || name.length > MAX_REMOTE_NAME_UTF16 || Buffer.byteLength(name) > 765;
        assert.equal(remoteNameProblem(name) !== undefined, refused, `U+${code.toString(16)} in a name of ${name.length}`);
      }
    }
  });

  it("checks an entry's two names as the list check does", () => {
    const names = ['OLD-PA~1.GCO', 'old-part.gcode', '..', '.', '', 'a/b', '..\\x', 'ok\u001b', undefined];
    for (const urlName of names) {
      if (urlName === undefined) continue;
      for (const displayName of names) assert.equal(entryNamesProblem(urlName, displayName), listingNameProblem([urlName, displayName]));
    }
  });

  it('checks both names of an entry', () => {
    assert.equal(listingNameProblem(['OLD-PA~1.GCO', 'old-part.gcode']), undefined);
    assert.match(listingNameProblem(['..\\VICTIM.GCO', 'old-part.gcode']) ?? '', /"\\"/);
    assert.match(listingNameProblem(['OLD.GCO', '..']) ?? '', /the name "\.\."/);
  });
});

describe('the gate at the wire', T, () => {
  it('refuses a v1 listing holding a hostile name or display_name', () => {
    const listing = (entry: object) => ({
      type: 'FOLDER',
      children: [{ name: 'A.GCO', display_name: 'a.gcode', type: 'PRINT_FILE' }, entry],
    });
    assert.throws(
      () => parseListing(listing({ name: '..\\victim2.gcode', display_name: 'old-part.gcode', type: 'PRINT_FILE' }), 'l'),
      WireError,
    );
    assert.throws(() => parseListing(listing({ name: 'OK.GCO', display_name: 'x/../y.gcode', type: 'PRINT_FILE' }), 'l'), WireError);
    assert.throws(() => parseListing(listing({ name: '', type: 'FOLDER' }), 'l'), WireError);
    assert.equal(parseListing(listing({ name: '.H.GCO', display_name: '.h.gcode', type: 'PRINT_FILE' }), 'l').length, 2);
  });

  it('refuses a legacy tree holding a hostile name or display', () => {
    const tree = (entry: object) => ({
      files: [{ origin: 'usb', path: '/usb', children: [{ name: 'A.GCO', display: 'a.gcode' }, entry] }],
    });
    assert.throws(() => parseLegacyTree(tree({ name: '..', display: '..' }), 'usb'), WireError);
    assert.throws(() => parseLegacyTree(tree({ name: 'B.GCO', display: 'b\u0000.gcode' }), 'usb'), WireError);
    assert.equal(parseLegacyTree(tree({ name: 'B.GCO', display: 'b.gcode' }), 'usb').entries.length, 2);
  });
});
