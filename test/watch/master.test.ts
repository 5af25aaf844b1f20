// The master folder's watch on a real folder, with short settle times and no periodic rescan, so
// only folder events move it: names the scan skips are ignored, a folder still counts, and a folder
// that never stops changing is looked at after a bounded time without sending a half-written file.

import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MasterWatch, type MasterSnapshot } from '../../src/watch/master.js';
import { prepareRun } from '../../src/run/prepare.js';
import type { FarmConfig } from '../../src/config/types.js';
import { gcode, tempDir, writeTree } from '../helpers/fixtures.js';

/** Never contacted: the watch only scans. */
const config: FarmConfig = {
  path: '/nonexistent/printers.yml',
  printers: [
    { name: 'a', printerType: 'MK4S', baseUrl: 'http://127.0.0.1:9', auth: { kind: 'digest', username: 'maker', password: 'pw' } },
  ],
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await sleep(20);
  }
}

/** A watch of a real master folder; the periodic rescan is an hour away, so only events count. */
async function startWatch(t: TestContext, files: Record<string, string>, settleMs: number, maxHoldMs?: number) {
  const work = tempDir();
  const master = path.join(work.dir, 'master');
  writeTree(master, files);
  const settled: MasterSnapshot[] = [];
  const prepare = () => prepareRun({ config, source: master });
  const watch = new MasterWatch({
    prepare,
    settleMs,
    rescanMs: 3_600_000,
    ...(maxHoldMs !== undefined ? { maxHoldMs } : {}),
    emit: () => {},
    onSettled: (snapshot) => settled.push(snapshot),
  });
  t.after(() => {
    watch.stop();
    work.cleanup();
  });
  await watch.start(await prepare());
  await waitUntil('the first snapshot', () => watch.snapshot !== undefined);
  const files_ = () => watch.snapshot?.inputs.source.files.map((f) => `${f.relPath} ${f.size}`) ?? [];
  return { master, watch, settled, files: files_ };
}

test('events for names the scan skips hold nothing back', async (t) => {
  const { master, watch, files } = await startWatch(t, { 'one.gcode': gcode('one') }, 100);
  const version = watch.snapshot!.version;
  for (let i = 0; i < 15; i++) {
    appendFileSync(path.join(master, 'notes.txt'), `line ${i}\n`);
    writeFileSync(path.join(master, '.one.gcode.swp'), String(i));
    await sleep(20);
    assert.equal(watch.snapshot?.version, version, `syncs were held by a write to notes.txt or a hidden file (write ${i})`);
  }
  // The watch still sees the files it syncs.
  writeTree(master, { 'two.gcode': gcode('two') });
  await waitUntil('two.gcode in a snapshot', () => files().some((f) => f.startsWith('two.gcode ')));
});

test('a folder counts whatever its name: new, renamed, with a dot but no print extension', async (t) => {
  const { master, files } = await startWatch(t, { 'one.gcode': gcode('one') }, 100);
  writeTree(master, { 'v1.2/part.gcode': gcode('part') });
  await waitUntil('v1.2/part.gcode in a snapshot', () => files().some((f) => f.startsWith('v1.2/part.gcode ')));
  renameSync(path.join(master, 'v1.2'), path.join(master, 'v1.3'));
  await waitUntil('the renamed folder in a snapshot', () => files().some((f) => f.startsWith('v1.3/part.gcode ')));
  assert.ok(!files().some((f) => f.startsWith('v1.2/')), files().join(', '));
  mkdirSync(path.join(master, 'empty'));
  writeTree(master, { 'empty.d/x.gcode': gcode('x') });
  await waitUntil('empty.d/x.gcode in a snapshot', () => files().some((f) => f.startsWith('empty.d/x.gcode ')));
});

test('events that never stop postpone a look only up to the cap; a file still growing is never in a snapshot', async (t) => {
  const { master, watch, settled, files } = await startWatch(t, { 'one.gcode': gcode('one') }, 200, 1000);
  // A change of mode every 20 ms: events for a print file that change nothing the scan compares.
  let mode = 0o644;
  const churn = setInterval(() => {
    mode ^= 0o020;
    chmodSync(path.join(master, 'one.gcode'), mode);
  }, 20);
  t.after(() => clearInterval(churn));
  writeTree(master, { 'two.gcode': gcode('two') });
  await waitUntil('two.gcode in a snapshot despite the events', () => files().some((f) => f.startsWith('two.gcode ')));
  // A file growing every 20 ms, for well past the cap: held until it stops, then sent whole.
  const before = settled.length;
  const full = gcode('slow', 48_000);
  const file = path.join(master, 'slow.gcode');
  writeFileSync(file, '');
  for (let i = 0; i < 120; i++) {
    appendFileSync(file, full.slice(i * 400, (i + 1) * 400));
    await sleep(20);
    assert.equal(settled.length, before, `a snapshot settled while slow.gcode was still growing (after ${i + 1} writes)`);
  }
  appendFileSync(file, full.slice(48_000));
  await waitUntil('slow.gcode whole in a snapshot', () => files().includes(`slow.gcode ${full.length}`));
  assert.ok(
    settled.slice(before).every((s) => s.inputs.source.files.every((f) => f.relPath !== 'slow.gcode' || f.size === full.length)),
    'a snapshot held part of slow.gcode',
  );
  assert.ok(watch.snapshot);
});
