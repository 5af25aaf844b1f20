// Progress of the reads before a plan: an event at the start, at most one a second, and one at the end.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { READING_EVENT_INTERVAL_MS, ReadingProgress } from '../../src/report/reading-progress.js';
import type { SyncEvent } from '../../src/report/events.js';

function recorder(): { events: SyncEvent[]; emit: (e: SyncEvent) => void } {
  const events: SyncEvent[] = [];
  return { events, emit: (e) => events.push(e) };
}

const dones = (events: SyncEvent[]): number[] => events.map((e) => (e.type === 'printer-reading' ? e.done : -1));

test('nothing to read sends nothing', () => {
  const { events, emit } = recorder();
  new ReadingProgress(emit, 'mk4-1', 'sizes', 0);
  assert.deepEqual(events, []);
});

test('the start, then one event a second at most, and always the end', () => {
  const { events, emit } = recorder();
  let now = 10_000;
  const progress = new ReadingProgress(emit, 'mk4-1', 'sizes', 2000, () => now);
  for (let i = 1; i <= 2000; i++) {
    now += 2; // 2 ms a file: 4 s for all of them
    progress.advance();
  }
  const sent = dones(events);
  assert.equal(sent[0], 0, 'the start says 0 done');
  assert.equal(sent.at(-1), 2000, 'the end says all done');
  // 4 s of reading: the start, one per second, the end.
  assert.ok(sent.length >= 4 && sent.length <= 6, `${sent.length} events: ${sent.join(', ')}`);
  for (let i = 1; i < sent.length; i++) assert.ok(sent[i]! > sent[i - 1]!, 'done only grows');
  const gaps = sent.slice(1, -1).map((d, i) => (d - sent[i]!) * 2);
  for (const gap of gaps) assert.ok(gap >= READING_EVENT_INTERVAL_MS, `events ${gap} ms apart`);
  assert.deepEqual(events[0], { type: 'printer-reading', printer: 'mk4-1', step: 'sizes', done: 0, total: 2000 });
});

test('a fast read of a few files sends the start and the end only', () => {
  const { events, emit } = recorder();
  const progress = new ReadingProgress(emit, 'xl-2', 'hashes', 3, () => 5);
  for (let i = 0; i < 3; i++) progress.advance();
  assert.deepEqual(dones(events), [0, 3]);
  assert.ok(events.every((e) => e.type === 'printer-reading' && e.step === 'hashes' && e.total === 3));
});
