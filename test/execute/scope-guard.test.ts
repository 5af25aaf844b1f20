// The scope check before every change: a table of targets, and the guard around a real PrinterApi
// against a simulated printer, whose request log must show nothing sent for a target outside.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { guardScope, scopeProblem, type RunScope } from '../../src/execute/scope-guard.js';
import { InternalError } from '../../src/errors.js';
import { createPrinterApi } from '../../src/printer/create.js';
import { startFarm } from '../../src/simulator/index.js';
import { ExitCode, exitCodeForPrinter } from '../../src/report/exit-codes.js';
import { emptyCounts } from '../../src/report/events.js';

const BUDDY_FARM: RunScope = { storage: 'usb', rootUrl: 'FARM', caseInsensitive: true };
const PI_ROOT: RunScope = { storage: 'local', rootUrl: '', caseInsensitive: false };

describe('scopeProblem', { timeout: 5_000 }, () => {
  const rows: Array<[RunScope, string, string, RegExp | undefined]> = [
    [BUDDY_FARM, 'usb', 'FARM/A.GCO', undefined],
    [BUDDY_FARM, 'usb', 'farm/parts/b.gcode', undefined],
    [BUDDY_FARM, 'usb', 'FARM/PARTS', undefined],
    [BUDDY_FARM, 'usb', 'FARM', /not inside \/usb\/FARM/],
    [BUDDY_FARM, 'usb', 'VICTIM.GCO', /not inside/],
    [BUDDY_FARM, 'usb', 'FARMHOUSE/A.GCO', /not inside/],
    [BUDDY_FARM, 'usb', 'FARM/../VICTIM.GCO', /the name "\.\."/],
    [BUDDY_FARM, 'usb', 'FARM/.', /the name "\."/],
    [BUDDY_FARM, 'usb', 'FARM/..\\VICTIM2.GCO', /"\\"/],
    [BUDDY_FARM, 'usb', 'FARM/A\u0000B.GCO', /NUL/],
    [BUDDY_FARM, 'usb', 'FARM//A.GCO', /empty name/],
    [BUDDY_FARM, 'usb', '/FARM/A.GCO', /empty name/],
    [BUDDY_FARM, 'local', 'FARM/A.GCO', /storage "local"/],
    [PI_ROOT, 'local', 'a.gcode', undefined],
    [PI_ROOT, 'local', 'Farm/a.gcode', undefined],
    [PI_ROOT, 'local', '', /empty name/],
    [{ storage: 'local', rootUrl: 'farm', caseInsensitive: false }, 'local', 'FARM/a.gcode', /not inside \/local\/farm/],
  ];
  for (const [scope, storage, url, why] of rows) {
    it(`${storage}/${JSON.stringify(url)} in /${scope.storage}/${scope.rootUrl}: ${why ? 'refused' : 'allowed'}`, () => {
      const problem = scopeProblem(storage, url, scope);
      if (why) assert.match(problem ?? 'allowed', why);
      else assert.equal(problem, undefined);
    });
  }
});

describe('guardScope around a real printer', { timeout: 30_000 }, () => {
  it('never sends a DELETE or PUT outside the scope, and says so as an internal error naming the path', async () => {
    const farm = await startFarm([{ name: 'mk4', model: 'MK4' }]);
    const sim = farm.printers[0]!;
    const api = createPrinterApi(
      {
        name: 'mk4',
        printerType: 'MK4',
        baseUrl: sim.url,
        auth: { kind: 'digest', username: sim.credentials.username, password: sim.credentials.password },
      },
      { allowSelfSigned: false },
    );
    try {
      sim.seed('victim2.gcode', 'G28\n');
      sim.seed('farm/a.gcode', 'G28\n');
      const guarded = guardScope(api, BUDDY_FARM);
      sim.clearRequests();
      await assert.rejects(guarded.remove('usb', 'FARM/..\\VICTIM2.GCO'), (error: unknown) => {
        assert.ok(error instanceof InternalError);
        assert.match(
          error.message,
          /^refused to delete "\/usb\/FARM\/\.\.\\\\VICTIM2\.GCO" on printer mk4: its path holds a name holding "\\"; the request was not sent$/,
        );
        return true;
      });
      await assert.rejects(guarded.remove('usb', 'VICTIM2.GCO'), InternalError);
      const body = { size: 4, open: () => Readable.from([Buffer.from('G28\n')]) };
      await assert.rejects(guarded.upload('usb', 'FARM/../x.gcode', body, { overwrite: true }), InternalError);
      assert.deepEqual(sim.requests(), [], 'nothing was sent');
      assert.ok(sim.readFile('victim2.gcode'));
      await guarded.remove('usb', 'farm/a.gcode');
      assert.equal(sim.readFile('farm/a.gcode'), undefined, 'a target inside the scope goes through');
    } finally {
      api.close();
      await farm.close();
    }
  });

  it('creates folders inside the scope or on the way to a sync root that does not exist yet, then learns its short names', async () => {
    const farm = await startFarm([{ name: 'mk4', model: 'MK4' }]);
    const sim = farm.printers[0]!;
    const api = createPrinterApi(
      {
        name: 'mk4',
        printerType: 'MK4',
        baseUrl: sim.url,
        auth: { kind: 'digest', username: sim.credentials.username, password: sim.credentials.password },
      },
      { allowSelfSigned: false },
    );
    try {
      // The walk found no "farm": the root's URL holds its long names.
      const guarded = guardScope(api, { storage: 'usb', rootUrl: 'farm/Customer Archive', caseInsensitive: true });
      const body = { size: 4, open: () => Readable.from([Buffer.from('G28\n')]) };
      await assert.rejects(guarded.createFolder('usb', 'other'), InternalError);
      await assert.rejects(guarded.createFolder('usb', 'farm/Other Archive'), InternalError);
      assert.deepEqual(sim.requests(), [], 'nothing was sent');
      assert.equal(await guarded.createFolder('usb', 'farm'), 'created');
      assert.equal(await guarded.createFolder('usb', 'FARM/Customer Archive'), 'created');
      // Its short name is not the root's until a listing of its parent says so.
      await assert.rejects(guarded.upload('usb', 'FARM/CUSTOM~1/a.gcode', body, { overwrite: false }), InternalError);
      await guarded.list('usb', 'FARM');
      await guarded.upload('usb', 'FARM/CUSTOM~1/a.gcode', body, { overwrite: false });
      assert.equal(await guarded.createFolder('usb', 'FARM/CUSTOM~1/Parts'), 'created');
      assert.equal(await guarded.createFolder('usb', 'FARM/CUSTOM~1/Parts'), 'exists');
      assert.equal(sim.readFile('farm/Customer Archive/a.gcode')?.toString(), 'G28\n');
      assert.deepEqual(sim.folders().sort(), ['farm', 'farm/Customer Archive', 'farm/Customer Archive/Parts']);
    } finally {
      api.close();
      await farm.close();
    }
  });

  it('a printer that failed on such a refusal exits 70', () => {
    const result = {
      printer: 'mk4',
      outcome: 'failed' as const,
      planned: emptyCounts(),
      done: emptyCounts(),
      failed: 1,
      notRun: 0,
      problems: 0,
      held: 0,
      unchanged: 0,
      otherModel: 0,
      plannedBytes: 0,
      bytesSent: 0,
      durationMs: 0,
      error: { code: 'INTERNAL', message: 'refused to delete ...' },
    };
    assert.equal(exitCodeForPrinter(result), ExitCode.INTERNAL);
    assert.equal(exitCodeForPrinter({ ...result, outcome: 'held', failed: 0 }), ExitCode.OK);
    assert.equal(exitCodeForPrinter({ ...result, outcome: 'held', failed: 0 }, { failOnBusy: true }), ExitCode.ACTIONS_FAILED);
  });
});
