// The plain YAML reader (no YAML parser) gives exactly the YAML reader's entries, values and lines for
// the texts it accepts, and declines every text it cannot be sure of, which the YAML reader then reads.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readPlainYamlEntries } from '../../src/config/plain-yaml.js';
import { readYamlEntries } from '../../src/config/document.js';
import type { RawEntry } from '../../src/config/values.js';

const T = { timeout: 10_000 };

/** Texts the plain reader must read, as the YAML reader does. */
const ACCEPTED: Array<[name: string, text: string]> = [
  [
    'what link-sync simulate writes',
    '# Written by link-sync simulate: simulated printers\nmk4-1:\n  printer_type: MK4\n  host: http://127.0.0.1:33427\n  username: maker\n  password: _26DEVhign74\nmk4-2:\n  printer_type: MK4S\n  host: 192.168.0.10\n  username: maker\n  password: Bh7hhGsdvvz-\n',
  ],
  [
    'comments, blank lines, trailing spaces, four-space indents',
    '\n# farm\nxl_1:   # the big one\n    host: 10.0.0.2   \n\n    # key below\n    api_key: abc123 # inline\n  # a comment at another indent\n    printer_type: XL\n',
  ],
  ['quoted values', "a:\n  password: 'with spaces # and hash'\n  username: \"maker\"\n  host: 'http://h:80/'  # c\n  api_key: ''\n"],
  [
    'numbers, booleans and nothing',
    'defaults:\n  match_model: true\n  delete: False\n  modify_window: 120\n  retries: -3\n  zero: +007\n  empty:\n  tilde: ~\n  nul: NULL\n  commented:   # nothing here\np:\n  host: h\n',
  ],
  [
    'comments deeper and shallower than the settings, blank lines, an empty setting',
    'p:  \n  host: x\n      # deeper\n# at the edge\n\n\n  api_key:\n  username: y\nq:\n\n  host: z\n  # last',
  ],
  ['a name with no settings', 'a:\nb:\n  host: x\n'],
  [
    'passwords as link-sync simulate draws them',
    'a:\n  password: -c_5y-eCuqcR\nb:\n  password: _x-\nc:\n  password: --\nd:\n  password: -1x\n',
  ],
  [
    'plain text that only looks special',
    'p.1:\n  host: 1.2.3\n  x: 0b101\n  y: 1_000\n  z: yes\n  w: ~abc\n  v: a:b\n  u: "a#b"\n  t: x!y&z*\n',
  ],
];

/** Texts it must leave to the YAML reader (which reads some of them differently than a plain reading would). */
const DECLINED: Array<[name: string, text: string]> = [
  ['a float', 'a:\n  n: 1.5\n'],
  ['a hexadecimal number', 'a:\n  n: 0x1F\n'],
  ['infinity', 'a:\n  n: .inf\n'],
  ['an escaped double-quoted value', 'a:\n  password: "a\\tb"\n'],
  ['an escaped single-quoted value', "a:\n  password: 'it''s'\n"],
  ['an unclosed quote', "a:\n  password: 'abc\n"],
  ['a list', 'a:\n  include:\n    - "*.gcode"\n'],
  ['a list at the key indent', 'a:\n  include:\n  - x\n'],
  ['a flow list', 'a:\n  include: [a, b]\n'],
  ['a nested mapping', 'a:\n  deep:\n    er: 1\n'],
  ['a value on two lines', 'a:\n  password: abc\n    def\n'],
  ['a value with spaces', 'a:\n  printer_type: MK4 S\n'],
  ['a key written twice', 'a:\n  host: one\n  host: two\n'],
  ['a printer written twice', 'a:\n  host: one\na:\n  host: two\n'],
  ['a numeric name', '1:\n  host: one\n'],
  ['a boolean name', 'true:\n  host: one\n'],
  ['a null key', 'a:\n  null: x\n'],
  ['a prototype key', 'a:\n  __proto__: x\n'],
  ['an anchor', 'a: &x\n  host: one\n'],
  ['an alias value', 'a:\n  host: *x\n'],
  ['a tag', 'a:\n  host: !!str 1\n'],
  ['a block scalar', 'a:\n  password: |\n    secret\n'],
  ['a document marker', '---\na:\n  host: one\n'],
  ['a tab', 'a:\n\thost: one\n'],
  ['Windows line ends', 'a:\r\n  host: one\r\n'],
  ['uneven indentation', 'a:\n  host: one\n   api_key: k\n'],
  ['a setting before any name', '  host: one\n'],
  ['a top-level value', 'a: 1\n'],
  ['a key without a space after the colon', 'a:\n  host:one\n'],
  ['a value ending in a colon', 'a:\n  host: one:\n'],
  ['a lone dash', 'a:\n  host: -\n'],
  ['a comment glued to a quote', "a:\n  host: 'x'#c\n"],
  ['a control character in quotes', 'a:\n  host: "x\u0001"\n'],
  ['only comments', '# nothing\n'],
  ['a name over 1024 characters', `${'a'.repeat(1100)}:\n  host: x\n`],
  ['a key over 1024 characters', `p:\n  ${'k'.repeat(1100)}: x\n`],
  ['JSON', '{"a": {"host": "x"}}'],
];

function compare(plain: RawEntry[], yaml: RawEntry[]): void {
  assert.deepEqual(
    plain.map((e) => [e.name, e.value]),
    yaml.map((e) => [e.name, e.value]),
  );
  plain.forEach((entry, i) => {
    const other = yaml[i]!;
    const value = entry.value;
    const keys = value !== null && typeof value === 'object' ? Object.keys(value) : [];
    for (const path of [[], ...keys.map((k) => [k]), ...keys.map((k) => [k, 'deeper']), ['missing'], ['missing', 'deeper']]) {
      assert.equal(entry.lineOf?.(path), other.lineOf?.(path), `${entry.name}: line of ${path.join('.') || '(entry)'}`);
    }
  });
}

describe('plain YAML config reader', () => {
  for (const [name, text] of ACCEPTED) {
    it(`reads ${name} as the YAML reader does`, T, () => {
      const plain = readPlainYamlEntries(text);
      assert.ok(plain, 'the plain reader takes it');
      const yaml = readYamlEntries(text);
      assert.deepEqual(yaml.problems, [], 'the YAML reader finds no problem either');
      compare(plain.entries, yaml.entries ?? []);
    });
  }
  for (const [name, text] of DECLINED) {
    it(`leaves ${name} to the YAML reader`, T, () => {
      assert.equal(readPlainYamlEntries(text), undefined);
    });
  }
  it('agrees with the YAML reader on every value it takes from a mix of odd values', T, () => {
    const values = [
      'abc',
      '192.168.1.10',
      'http://h:8080/x',
      '12',
      '-0',
      '+1',
      '007',
      '1.0',
      '1e3',
      '.5',
      'true',
      'True',
      'TRUE',
      'tRue',
      'false',
      'null',
      'Null',
      'NULL',
      'nUll',
      '~',
      "'q'",
      '"dq"',
      "''",
      '""',
      "'a # b'",
      'a#b',
      'a,b',
      'a?b',
      '(x)',
      '^x',
      '~x',
      '_x',
      '.x',
      './x',
      '/abs',
      '+x',
      'x=y',
      'x@y',
      'x%y',
      'x!y',
      'x&y',
      'x*y',
      'x:y',
      'x:',
      'a b',
      "'it''s'",
      '"a\\"b"',
      '-',
      '-x',
      '--',
      '---',
      '-1',
      '-1.5',
      '-.inf',
      '-_',
      '?x',
      ':x',
      '@x',
      '`x',
      '%x',
      '!x',
      '&x',
      '*x',
      '|',
      '>',
      '[x]',
      '{x}',
      '#x',
      "'x' # c",
      'x # c',
      'x#c',
    ];
    let taken = 0;
    for (const value of values) {
      const text = `p:\n  host: h\n  v: ${value}\n`;
      const plain = readPlainYamlEntries(text);
      if (!plain) continue;
      taken++;
      const yaml = readYamlEntries(text);
      assert.deepEqual(yaml.problems, [], `YAML reads "${value}" without a problem`);
      compare(plain.entries, yaml.entries ?? []);
    }
    assert.ok(taken > values.length / 2, `most of these are plain (${taken} of ${values.length})`);
  });
  it('agrees with the YAML reader on every value it takes from 2,000 drawn values of printable characters', T, () => {
    // A fixed sequence (a linear congruential generator), so a failure can be reproduced.
    let seed = 12345;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const alphabet = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~';
    let taken = 0;
    for (let i = 0; i < 2000; i++) {
      let value = '';
      const length = 1 + next(10);
      for (let j = 0; j < length; j++) value += alphabet[next(alphabet.length)];
      const text = `p-${i}:\n  password: ${value}\n`;
      const plain = readPlainYamlEntries(text);
      if (!plain) continue;
      taken++;
      const yaml = readYamlEntries(text);
      assert.deepEqual(yaml.problems, [], `YAML reads ${JSON.stringify(value)} without a problem`);
      compare(plain.entries, yaml.entries ?? []);
    }
    assert.ok(taken > 100, `enough of them are plain to mean something (${taken})`);
  });
});
