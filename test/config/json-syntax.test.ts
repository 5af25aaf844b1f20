// Locating JSON syntax errors without quoting the text around them.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findJsonSyntaxError } from '../../src/config/json-syntax.js';

describe('JSON syntax locator', { timeout: 5000 }, () => {
  const valid = ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"]} ', '"s"', '0', '\uFEFF{}'];
  for (const text of valid) {
    it(`finds nothing wrong in ${JSON.stringify(text)}`, () => {
      assert.equal(findJsonSyntaxError(text), undefined);
      assert.doesNotThrow(() => JSON.parse(text.replace(/^\uFEFF/, '')));
    });
  }

  const invalid: Array<[text: string, offset: number, expected: string]> = [
    ['', 0, 'a value'],
    ['{"a": 1,}', 8, 'a property name in double quotes'],
    ['{"a" 1}', 5, "':'"],
    ['{"a": 1 "b": 2}', 8, "',' or '}'"],
    ['[1, 2', 5, "',' or ']'"],
    ['{"a": secret}', 6, 'a value'],
    ['{"a": "x\ny"}', 8, 'no control character inside a string (write \\n, \\t)'],
    ['{"a": "\\q"}', 7, 'a valid escape (\\", \\\\, \\n, \\uXXXX ...)'],
    ['{"a": "open', 11, 'a closing quote'],
    ['{} x', 3, 'the end of the document'],
    ['{"a": 01}', 7, "',' or '}'"],
    ['{"a": tru}', 6, 'a value'],
    ['// comment\n{}', 0, 'a value'],
  ];
  for (const [text, offset, expected] of invalid) {
    it(`stops ${JSON.stringify(text)} at offset ${offset}, expecting ${expected}`, () => {
      assert.throws(() => JSON.parse(text));
      assert.deepEqual(findJsonSyntaxError(text), { offset, expected });
    });
  }
});
