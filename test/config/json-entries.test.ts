// The JSON reader (no YAML parser) finds the same entries, values, key lines and keys written twice
// as the YAML reader does when it reads the same JSON text.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readJsonEntries } from '../../src/config/json-entries.js';
import { readYamlEntries } from '../../src/config/document.js';

const TEXTS: Array<[name: string, text: string]> = [
  [
    'one printer on several lines',
    '{\n  "mk4-1": {\n    "printer_type": "MK4S",\n    "host": "192.168.0.10",\n    "username": "maker",\n    "password": "p"\n  }\n}\n',
  ],
  ['everything on one line', '{"a": {"printer_type": "MK4", "host": "a", "api_key": "k"}, "b": {"host": "b"}}'],
  [
    'lists, nesting, escapes and odd values',
    '{\n "defaults": {"username": "maker",\n  "include": ["*.bgcode", "x\\"y/**"]},\n "p\\u00e9": {\n  "host": "h", "match_model": true, "groups": [],\n  "extra": {"deep":\n   {"er": null}}, "n": -1.5e3\n },\n "empty": {}, "list": [1, {"k": 2}], "nothing": null\n}',
  ],
  ['a key written twice', '{\n "a": {\n  "host": "one",\n  "host": "two",\n  "api_key": "k"\n }\n}'],
  ['a printer written twice', '{"a": {"host": "1"},\n"a": {"host": "2"}}'],
  ['an empty object', '{ }'],
];

describe('JSON config reader', () => {
  for (const [name, text] of TEXTS) {
    it(`reads ${name} as the YAML reader does`, () => {
      const json = readJsonEntries(text);
      const yaml = readYamlEntries(text);
      assert.deepEqual(json.problems, yaml.problems);
      const entries = yaml.entries ?? [];
      assert.deepEqual(
        json.entries.map((e) => [e.name, e.value]),
        entries.map((e) => [e.name, e.value]),
      );
      json.entries.forEach((entry, i) => {
        const other = entries[i]!;
        const value = entry.value;
        const keys = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
        for (const path of [[], ...keys.map((k) => [k]), ['extra', 'deep', 'er'], ['missing'], ['include', 'nope']]) {
          assert.equal(entry.lineOf?.(path), other.lineOf?.(path), `${entry.name}: line of ${path.join('.') || '(entry)'}`);
        }
      });
    });
  }
});
