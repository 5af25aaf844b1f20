// PrusaLink on a Pi answers an upload with an empty 201 and learns of the new file through inotify,
// so a look right after the upload may not find it yet. That is no failed upload: the file is
// looked for again, and the run ends in sync.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
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
