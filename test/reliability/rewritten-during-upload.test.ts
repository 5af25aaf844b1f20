// A print file rewritten in place while it is being uploaded (same size, new content): the printer
// must not keep a mix of both versions. The upload is cut before its last bytes, the printer keeps
// no such file, the run says what happened, and the next run sends the new version whole.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { SimPrinterOptions } from '../../src/simulator/index.js';
import { runSync, startBench, waitFor } from './support.js';

/** Larger than what the socket buffers take at once (up to about 10 MB on loopback), so the file's
 * end is still to be read when it is rewritten. At 4 MB/s the upload takes 4 s. */
const SIZE = 16_000_000;
const FARM: SimPrinterOptions[] = [
  { name: 'mk4-slow', model: 'MK4', rateBytesPerSec: 4_000_000 },
  { name: 'mk3s-slow', model: 'MK3S', rateBytesPerSec: 4_000_000 },
];

test('a file rewritten in place mid-upload never reaches the printer as a mix of two versions', { timeout: 60_000 }, async () => {
  const before = 'A'.repeat(SIZE);
  const after = 'B'.repeat(SIZE);
  const bench = await startBench(FARM, { 'plate.gcode': before });
  try {
    const file = path.join(bench.master, 'plate.gcode');
    let started = 0;
    const run = runSync(bench, {
      onEvent: (e) => {
        if (e.type === 'action-start') started++;
      },
    });
    // Once both printers have taken part of the file, rewrite it without changing its size.
    await waitFor(
      'both uploads under way',
      () => started === 2 && bench.farm.printers.every((p) => (p.transfer()?.transferred ?? 0) > 1_000_000),
    );
    const fd = openSync(file, 'r+');
    try {
      writeSync(fd, after, 0);
    } finally {
      closeSync(fd);
    }
    const first = await run;
    for (const p of bench.farm.printers) {
      const result = first.result(p.name);
      assert.equal(result.outcome, 'failed', p.name);
      assert.match(result.error?.message ?? '', /plate\.gcode changed in the source folder during the sync/, p.name);
      assert.equal(p.readFile('plate.gcode'), undefined, `${p.name} keeps no copy, mixed or not`);
    }

    // The printers drop the cut uploads in their own time; a transfer still shown would skip them.
    await waitFor('the cut uploads to end', () => bench.farm.printers.every((p) => p.transfer() === undefined));
    const second = await runSync(bench);
    for (const p of bench.farm.printers) {
      assert.equal(second.result(p.name).outcome, 'in-sync', p.name);
      assert.equal(p.readFile('plate.gcode')?.toString(), after, `${p.name} has the new version whole`);
    }
  } finally {
    await bench.close();
  }
});
