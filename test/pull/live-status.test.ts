// pull's status line on a terminal: measured in columns, so a name in a wide script (two columns a
// character) is cut to fit instead of wrapping the line and leaving stale copies behind.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pullLiveReporter } from '../../src/pull/report.js';

const T = { timeout: 5_000 };
/** Columns on a terminal, counted here on their own: CJK characters and kana take two. */
const columnsOf = (line: string) => [...line].reduce((n, c) => n + (/[\u3040-\u30ff\u4e00-\u9fff]/.test(c) ? 2 : 1), 0);

/** The status lines drawn while `name` downloads on a terminal `columns` wide. */
function statusLines(name: string, columns: number): string[] {
  let written = '';
  const stream = { columns, write: (chunk: string) => (written += chunk) };
  const sink = pullLiveReporter(stream, () => {}, true);
  sink({ type: 'download-start', printer: 'mk4-1', path: name, size: 40_000 });
  sink({ type: 'download-progress', printer: 'mk4-1', path: name, bytes: 20_000, total: 40_000 });
  return written
    .split('\r\u001b[2K')
    .map((s) => s.replace(/\n$/, ''))
    .filter((s) => s.startsWith('downloading: '));
}

describe('pull status line', () => {
  it('a long name in a wide script is cut to the terminal width in columns', T, () => {
    const name = 'お客様/ブラケット/とても長い部品の名前の最終版.gcode';
    for (const columns of [40, 60, 80]) {
      const lines = statusLines(name, columns);
      assert.equal(lines.length, 2, JSON.stringify(lines));
      for (const line of lines) {
        assert.ok(columnsOf(line) <= columns - 1, `${columnsOf(line)} columns > ${columns - 1}: ${line}`);
        assert.match(line, /^downloading: mk4-1 お客様\//);
      }
      assert.match(lines[1]!, /…$/, 'cut, and says so');
    }
  });

  it('a name that fits is shown whole', T, () => {
    const [, line] = statusLines('部品.gcode', 80);
    assert.equal(line, 'downloading: mk4-1 部品.gcode 50% (20.0 kB/40.0 kB)');
  });
});
