// The live view on an 80-column terminal with a stopped clock: every frame fits, every printer has its
// row, results scroll above the live rows, and it stops cleanly. Layout and wording are not pinned here.

import { describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { ttyReporter } from '../../src/report/tty.js';
import type { SyncEvent } from '../../src/report/events.js';
import { dryRun, goRun, result, summary } from './events.js';

const COLUMNS = 80;

/** A terminal 80 columns wide that keeps everything written to it. */
function terminal(): Writable & { isTTY: true; columns: number; text(): string } {
  let written = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString();
      done();
    },
  }) as Writable & { isTTY: true; columns: number; text(): string };
  stream.isTTY = true;
  stream.columns = COLUMNS;
  stream.text = () => written;
  return stream;
}

function play(events: SyncEvent[], quiet = false, rows?: number): string {
  const stream = terminal();
  if (rows !== undefined) Object.assign(stream, { rows });
  mock.timers.enable({ apis: ['Date', 'setInterval'], now: Date.parse('2026-12-05T12:00:00Z') });
  try {
    const view = ttyReporter(stream, { quiet });
    for (const e of events) {
      view.sink(e);
      mock.timers.tick(300);
    }
    view.stop();
  } finally {
    mock.timers.reset();
  }
  return stream.text();
}

/** What the screen shows, line by line, once cursor movements are dropped. */
function visibleLines(raw: string): string[] {
  return stripVTControlCharacters(raw)
    .split('\n')
    .filter((l) => l.trim() !== '');
}

/** The screen (scrollback included) after `raw`: enough of a terminal for the frame's own moves. */
function finalScreen(raw: string): string[] {
  const lines: string[] = [''];
  let row = 0;
  const tokens = raw.match(/\u001b\[[0-9;?]*[A-Za-z]|\r|\n|[^\u001b\r\n]+/g) ?? [];
  for (const token of tokens) {
    if (token === '\n') {
      row++;
      if (row === lines.length) lines.push('');
    } else if (token === '\r') {
      // the frame only returns to the line start before moving up and erasing
    } else if (token.startsWith('\u001b[')) {
      const up = /^\u001b\[(\d+)A$/.exec(token);
      if (up) row = Math.max(0, row - Number(up[1]));
      else if (token === '\u001b[J') {
        lines.length = row + 1;
        lines[row] = '';
      }
    } else {
      lines[row] += token;
    }
  }
  return lines.map((l) => stripVTControlCharacters(l)).filter((l) => l.trim() !== '');
}

describe('live view', () => {
  for (const [name, events] of [
    ['a --go run', goRun()],
    ['a dry run', dryRun()],
  ] as const) {
    // The live rows are redrawn in place, so one that wrapped would break every redraw. The lines
    // scrolled above them are written once and may wrap.
    test(`${name}: every live row (a printer, or overall) fits the terminal`, () => {
      const rows = visibleLines(play(events)).filter((l) => /^(mk4-bay1|xl-bay2|overall)\s/.test(l));
      assert.ok(
        rows.some((l) => l.startsWith('overall')),
        'the overall row was drawn',
      );
      for (const row of rows) assert.ok(row.length <= COLUMNS, `${row.length} columns: ${row}`);
    });

    test(`${name}: every printer appears, and so does the run's source`, () => {
      const text = stripVTControlCharacters(play(events));
      for (const name of ['mk4-bay1', 'xl-bay2']) assert.ok(text.includes(name), name);
      assert.ok(text.includes('/srv/master'));
    });
  }

  test('--go: the result of each action and the failure are written, the failure naming its file', () => {
    const text = stripVTControlCharacters(play(goRun()));
    assert.ok(text.includes('old.gcode'), 'the deletion is reported');
    assert.ok(/xl-bay2.*parts\/benchy\.gcode|parts\/benchy\.gcode.*xl-bay2/.test(text), 'the failed upload is reported');
  });

  test('--quiet writes less, and still the failure', () => {
    const loud = stripVTControlCharacters(play(goRun()));
    const quiet = stripVTControlCharacters(play(goRun(), true));
    assert.ok(quiet.length < loud.length);
    assert.ok(quiet.includes('xl-bay2'));
  });

  test('a stop notice scrolls above the live rows and stays on screen; the rows below it are current', () => {
    const stream = terminal();
    mock.timers.enable({ apis: ['Date', 'setInterval'], now: 0 });
    try {
      const view = ttyReporter(stream);
      const events = goRun();
      const half = Math.floor(events.length / 2);
      for (const e of events.slice(0, half)) {
        view.sink(e);
        mock.timers.tick(300);
      }
      view.notice('link-sync: SIGINT received: stopping cleanly (press Ctrl-C again to quit at once)');
      for (const e of events.slice(half)) {
        view.sink(e);
        mock.timers.tick(300);
      }
      view.stop();
    } finally {
      mock.timers.reset();
    }
    const screen = finalScreen(stream.text());
    const at = screen.findIndex((l) => l.includes('SIGINT received: stopping cleanly'));
    assert.ok(at >= 0, `the notice is on screen:\n${screen.join('\n')}`);
    assert.equal(screen.filter((l) => l.includes('SIGINT received')).length, 1, 'shown once');
    assert.ok(
      screen.slice(at + 1).some((l) => l.startsWith('Summary') || /^mk4-bay1\s/.test(l)),
      'the run goes on below it',
    );
  });

  // The cursor cannot move above the top of the screen: a frame taller than the terminal would be
  // erased only in part, and every redraw would leave a stale copy of its top in the scrollback. The
  // top line stays out of it too (erasing from there clears the screen, which tmux keeps).
  test('a farm taller than the terminal: each frame fits its height, and the printers not shown are counted', () => {
    const ROWS = 12;
    const names = Array.from({ length: 20 }, (_, i) => `mk4-${i + 1}`);
    const upload = { kind: 'upload' as const, path: 'benchy.gcode', size: 1_000_000, reason: 'missing on printer' };
    const done = names.map((name) => result(name, { planned: { upload: 1, replace: 0, delete: 0, rmdir: 0 } }));
    const events: SyncEvent[] = [
      { type: 'run-start', dryRun: false, printers: names, source: '/srv/master', files: 1, bytes: 1_000_000 },
      ...names.map((printer): SyncEvent => ({ type: 'printer-start', printer })),
      ...names.flatMap((printer): SyncEvent[] => [
        {
          type: 'plan',
          printer,
          storage: 'usb',
          root: '',
          actions: [upload],
          problems: [],
          holds: [],
          unchanged: 0,
          uploadBytes: 1_000_000,
        },
        { type: 'action-start', printer, action: upload },
        { type: 'action-progress', printer, path: upload.path, bytes: 500_000, total: 1_000_000 },
      ]),
      ...done.map((r): SyncEvent => ({ type: 'printer-done', result: r })),
      { type: 'run-done', summary: summary(false, done) },
    ];
    const raw = play(events, false, ROWS);
    const ups = [...raw.matchAll(/\u001b\[(\d+)A/g)].map((m) => Number(m[1]));
    assert.ok(ups.length > 0, 'the frame was redrawn');
    for (const up of ups) assert.ok(up <= ROWS - 2, `a frame of ${up} lines on a terminal of ${ROWS}`);
    assert.match(stripVTControlCharacters(raw), /and 12 more printers/, 'the printers not shown are counted');
    const screen = finalScreen(raw);
    for (const name of names)
      assert.ok(
        screen.some((l) => l.startsWith(`${name} `)),
        `${name} is in the summary`,
      );
  });

  test('after stop() nothing more is written, even as time passes', () => {
    const stream = terminal();
    mock.timers.enable({ apis: ['Date', 'setInterval'], now: 0 });
    try {
      const view = ttyReporter(stream);
      for (const e of goRun()) view.sink(e);
      view.stop();
      const after = stream.text().length;
      mock.timers.tick(5_000);
      assert.equal(stream.text().length, after);
    } finally {
      mock.timers.reset();
    }
  });
});
