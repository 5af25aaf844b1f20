// PrusaLink on a Pi answers an upload with an empty 201 and learns of the new file through inotify,
// so a look right after the upload may not find it yet. That is no failed upload: the file is
// looked for again, and the run ends in sync. A replaced file may still be listed as the copy it
// replaced: that copy's timestamp is never recorded as the new one's.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gcode } from '../helpers/fixtures.js';
import { runSync, startBench, type Bench } from './support.js';

const MASTER = { 'new.gcode': gcode('new part', 4_000) };

describe('a Pi whose file list lags behind an upload', { timeout: 30_000 }, () => {
  let bench: Bench;
  before(async () => {
    bench = await startBench([{ name: 'mk3s-lag', model: 'MK3S', password: 'mk3s-secret-Pa55word' }], MASTER);
  });
  after(() => bench.close());

  test('the new file is looked for again and the upload counts as done', async () => {
    const printer = bench.printer('mk3s-lag');
    // The first look after the upload finds nothing yet, as when inotify has not caught up.
    printer.inject({
      kind: 'status',
      status: 404,
      times: 1,
      method: 'GET',
      pathPrefix: '/api/v1/files/local/new.gcode',
      message: 'File Not Found',
    });
    const run = await runSync(bench);
    const looks = printer.requests().filter((r) => r.method === 'GET' && r.target === '/api/v1/files/local/new.gcode');
    assert.equal(looks.length, 2, 'looked twice');
    assert.equal(run.result('mk3s-lag').outcome, 'in-sync');
    assert.equal(run.result('mk3s-lag').done.upload, 1);
    assert.deepEqual(
      printer.files().map((f) => f.path),
      ['new.gcode'],
    );
  });
});

describe('a Pi whose file list still shows the replaced copy', { timeout: 30_000 }, () => {
  let bench: Bench;
  before(async () => {
    bench = await startBench([{ name: 'mk3s-lag', model: 'MK3S', password: 'mk3s-secret-Pa55word' }], { 'part.gcode': gcode('v1', 4_000) });
  });
  after(() => bench.close());

  test("the replaced copy's timestamp is not recorded: the next run plans nothing", async () => {
    const printer = bench.printer('mk3s-lag');
    const stateDir = path.join(bench.work, 'state');
    assert.equal((await runSync(bench, { stateDir })).result('mk3s-lag').done.upload, 1);
    // A later run, a new version of the same size; the first look after its upload shows the old entry.
    printer.setClock({ skewSec: 120 });
    writeFileSync(path.join(bench.master, 'part.gcode'), gcode('v2', 4_000));
    printer.inject({ kind: 'file-list-lag', reads: 1, times: 1 });
    const replaced = await runSync(bench, { stateDir });
    assert.equal(replaced.result('mk3s-lag').done.replace, 1);
    assert.equal(replaced.result('mk3s-lag').outcome, 'in-sync');
    const next = (await runSync(bench, { stateDir, go: false })).result('mk3s-lag');
    assert.deepEqual([next.planned.replace, next.unchanged], [0, 1], 'the next run takes the new copy for one replaced on the printer');
  });
});
