// PrusaLink 0.6 checks the free space before it takes an upload and answers 413 when there is too
// little: a full storage, as Buddy's 507 is. Uploads to that printer stop at the first one, and the
// operator is told to free space, not that the printer answered something unexpected.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gcode } from '../helpers/fixtures.js';
import { runSync, startBench, type Bench } from './support.js';

const MASTER = { 'a.gcode': gcode('a', 3_000), 'b.gcode': gcode('b', 3_000), 'c.gcode': gcode('c', 3_000) };

describe('a PrusaLink 0.6 printer whose storage is full', { timeout: 30_000 }, () => {
  let bench: Bench;
  before(async () => {
    bench = await startBench([{ name: 'mk3s-old', model: 'MK3S', firmware: 'legacy', password: 'mk3s-secret-Pa55word' }], MASTER);
  });
  after(() => bench.close());

  test('stops uploading after the first 413 and says the storage is full', async () => {
    const printer = bench.printer('mk3s-old');
    printer.inject({ kind: 'storage-full' });
    const run = await runSync(bench);
    const result = run.result('mk3s-old');
    assert.equal(result.outcome, 'failed');
    assert.equal(result.failed, 1, 'one upload tried');
    assert.equal(result.notRun, 2, 'the others not sent');
    assert.equal(result.error?.code, 'PRINTER_STORAGE');
    assert.match(result.error?.hint ?? '', /not full/);
    assert.equal(printer.requests().filter((r) => r.method === 'POST').length, 1);
  });
});
