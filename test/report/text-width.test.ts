// Terminal columns of names: wide East Asian characters and emoji take two, combining marks none.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { headToWidth, padToWidth, tailToWidth, textWidth } from '../../src/report/text-width.js';

describe('text width in terminal columns', { timeout: 5_000 }, () => {
  it('counts two for CJK, kana, Hangul, fullwidth forms and emoji; one for Latin, Greek and Cyrillic', () => {
    assert.equal(textWidth('benchy.gcode'), 12);
    assert.equal(textWidth('日本語'), 6);
    assert.equal(textWidth('ブラケット'), 10);
    assert.equal(textWidth('한글'), 4);
    assert.equal(textWidth('ＡＢ'), 4);
    assert.equal(textWidth('🚀'), 2);
    assert.equal(textWidth('αβγ абв'), 7);
  });

  it('counts nothing for combining marks', () => {
    assert.equal(textWidth('e\u0301'), 1);
    assert.equal(textWidth('Zu\u0308rich'), 6);
  });

  it('cuts and pads by columns, never halving a wide character', () => {
    assert.equal(headToWidth('日本語.gcode', 5), '日本');
    assert.equal(tailToWidth('部品/日本語', 5), '本語');
    assert.equal(padToWidth('日本', 6), '日本  ');
  });
});
