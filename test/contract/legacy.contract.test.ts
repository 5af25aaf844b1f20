// What only the dialect layer does: choose v1 or legacy from /api/v1/storage (a 404 there, then
// /api/version), move to v1 on a 410, and
// the legacy dialect's own ways (one tree request per walk, root-only Buddy 4.4, state from flags).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PrinterApi } from '../../src/printer/api.js';
import { DetectingPrinterApi } from '../../src/printer/prusalink/detect.js';
import { LEGACY_PI_RULES } from '../../src/printer/prusalink/legacy.js';
import { walkRemote } from '../../src/printer/walk.js';
import { startPrinter, type SimPrinter, type SimPrinterOptions } from '../../src/simulator/index.js';
import { hideCapabilities } from './proxy.js';
import { apiFor, body, rejection } from './support.js';

const T = { timeout: 20_000 };
const PASSWORD = 'correct-horse-7';

async function dialectOf(api: PrinterApi): Promise<string> {
  assert.ok(api instanceof DetectingPrinterApi);
  return api.dialect();
}

describe('dialect detection', () => {
  const cases: Array<{ options: SimPrinterOptions; dialect: string }> = [
    { options: { model: 'MK4' }, dialect: 'v1' },
    { options: { model: 'MINI' }, dialect: 'v1' },
    { options: { model: 'MK3S' }, dialect: 'v1' },
    { options: { model: 'MK3S', firmware: 'legacy' }, dialect: 'legacy' },
    { options: { model: 'MINI', firmware: 'legacy' }, dialect: 'legacy' },
  ];
  for (const c of cases) {
    const versionReads = c.dialect === 'v1' ? 0 : 1;
    test(
      `uses the ${c.dialect} API for ${c.options.model} with ${c.options.firmware ?? 'current'} firmware, asking /api/v1/storage once and /api/version ${versionReads === 0 ? 'never' : 'once'}`,
      T,
      async () => {
        // A Buddy's API key is its password; a Pi has a separate one.
        const sim = await startPrinter({ ...c.options, password: PASSWORD, apiKey: PASSWORD });
        const api = apiFor(sim, { kind: 'api-key', apiKey: PASSWORD });
        try {
          assert.equal(await dialectOf(api), c.dialect);
          await api.identify();
          await api.status();
          assert.equal(sim.requests().filter((r) => r.target === '/api/v1/storage').length, 1);
          assert.equal(sim.requests().filter((r) => r.target === '/api/version').length, versionReads);
        } finally {
          api.close();
          await sim.close();
        }
      },
    );
  }
});

describe('a printer that hides its v1 API until a legacy call meets 410 Gone', () => {
  let sim: SimPrinter;
  let proxy: Awaited<ReturnType<typeof hideCapabilities>>;
  before(async () => {
    sim = await startPrinter({ model: 'MINI', password: PASSWORD });
    proxy = await hideCapabilities(sim.url);
  });
  after(async () => {
    await proxy.close();
    await sim.close();
  });

  test('switches to the v1 API and uploads with PUT', T, async () => {
    const api = apiFor(sim, undefined, 'printer-under-test', proxy.url);
    try {
      assert.equal(await dialectOf(api), 'legacy');
      await api.upload('usb', 'after gone.gcode', body('G28\n'.repeat(300)), { overwrite: false });
      assert.equal(await dialectOf(api), 'v1');
      const id = await api.identify();
      assert.equal(id.serial, sim.serial, 'the v1 API now answers');
    } finally {
      api.close();
    }
    assert.equal(sim.readFile('after gone.gcode')?.toString(), 'G28\n'.repeat(300));
    const writes = sim.requests().filter((r) => r.method === 'POST' || r.method === 'PUT');
    assert.deepEqual(
      writes.map((r) => [r.method, r.status]),
      [
        ['POST', 410],
        ['PUT', 201],
      ],
    );
  });
});

describe('legacy Pi (PrusaLink 0.6)', () => {
  let sim: SimPrinter;
  let api: PrinterApi;
  before(async () => {
    sim = await startPrinter({ model: 'MK3S', firmware: 'legacy', password: PASSWORD });
    api = apiFor(sim);
    await api.identify();
  });
  after(async () => {
    api.close();
    await sim.close();
  });

  test('reads the whole tree with one request however deep the walk goes', T, async () => {
    for (const n of ['deep/a/b/c/one.gcode', 'deep/a/two.gcode', 'deep/x/y/three.gcode', 'deep/four.gcode']) sim.seed(n, `; ${n}\n`);
    sim.clearRequests();
    const tree = await walkRemote(api, 'local', 'deep', LEGACY_PI_RULES);
    assert.deepEqual(
      tree.files.map((f) => f.path),
      ['a/b/c/one.gcode', 'a/two.gcode', 'four.gcode', 'x/y/three.gcode'],
    );
    assert.deepEqual(
      sim.requests().map((r) => [r.method, r.target]),
      [['GET', '/api/files?recursive=true']],
    );
  });

  test('sends the folder as `path` and asks neither to select nor to print', T, async () => {
    await api.upload('local', 'form/sub folder/part.gcode', body('G1 Y1\n'.repeat(100)), { overwrite: false });
    assert.equal(sim.readFile('form/sub folder/part.gcode')?.toString(), 'G1 Y1\n'.repeat(100));
    const status = await api.status();
    assert.equal(status.state, 'IDLE', 'the upload did not start a print');
    assert.equal(status.printing, undefined);
  });

  test('reports the new file with its size and time from the answer to the upload', T, async () => {
    sim.clearRequests();
    const info = await api.upload('local', 'answer/fresh.gcode', body('G1\n'.repeat(10)), { overwrite: true });
    assert.equal(info?.size, 30);
    assert.equal(typeof info?.mTimestamp, 'number');
    assert.deepEqual(
      sim.requests().map((r) => r.method),
      ['POST'],
      'no extra request to learn it',
    );
  });

  test('keeps a non-empty folder, which the planner may then report as kept', T, async () => {
    sim.seed('full/inside.gcode', 'G1\n');
    const err = await rejection(api.remove('local', 'full'));
    assert.deepEqual([err.kind, err.status], ['file-in-use', 409]);
    assert.equal(sim.readFile('full/inside.gcode')?.toString(), 'G1\n');
  });

  test('refuses the storage it does not reach', T, async () => {
    const err = await rejection(api.upload('sdcard', 'x.gcode', body('G1\n'), { overwrite: false }));
    assert.equal(err.kind, 'storage');
    assert.match(err.message, /only storage "local"/);
    assert.equal(sim.files().filter((f) => f.storage === 'sdcard').length, 0);
  });
});

describe('legacy Buddy (MINI, firmware 4.4)', () => {
  let sim: SimPrinter;
  let api: PrinterApi;
  before(async () => {
    sim = await startPrinter({ model: 'MINI', firmware: 'legacy', password: PASSWORD });
    api = apiFor(sim, { kind: 'api-key', apiKey: PASSWORD });
    await api.identify();
  });
  after(async () => {
    api.close();
    await sim.close();
  });

  test('refuses a file in a folder before sending anything, naming the root-only firmware', T, async () => {
    sim.clearRequests();
    const err = await rejection(api.upload('usb', 'parts/bracket.gcode', body('G1\n'), { overwrite: false }));
    assert.equal(err.kind, 'rejected');
    assert.match(err.message, /^printer printer-under-test: upload of parts\/bracket\.gcode refused: .*only in the root of the USB drive/);
    assert.match(err.hint ?? '', /firmware/);
    assert.deepEqual(sim.requests(), []);
  });

  test('replaces a file by deleting the old one first, through its long name', T, async () => {
    sim.seed('Long Replaced Name.gcode', 'old\n');
    sim.clearRequests();
    await api.upload('usb', 'Long Replaced Name.gcode', body('new and longer\n'), { overwrite: true });
    assert.equal(sim.readFile('Long Replaced Name.gcode')?.toString(), 'new and longer\n');
    assert.deepEqual(
      sim.requests().map((r) => [r.method, r.status]),
      [
        ['GET', 200],
        ['DELETE', 204],
        ['POST', 201],
      ],
    );
  });

  test('says the old copy is gone when the upload after its deletion fails', T, async () => {
    sim.seed('lost.gcode', 'old\n');
    sim.inject({ kind: 'status', status: 507, method: 'POST', times: 1 });
    try {
      const err = await rejection(api.upload('usb', 'lost.gcode', body('new\n'), { overwrite: true }));
      assert.equal(err.status, 507);
      assert.match(err.message, /old copy had already been removed/);
    } finally {
      sim.clearFaults();
    }
  });

  test('reads a file size from the single-file answer', T, async () => {
    sim.seed('sized.gcode', 'x'.repeat(777));
    assert.deepEqual(await api.stat('usb', 'sized.gcode'), { readOnly: false, size: 777 });
  });
});

describe('legacy printer state, from flags and link_state', () => {
  const states: Array<[string, { pi: string; buddy: string; job: boolean }]> = [
    ['IDLE', { pi: 'IDLE', buddy: 'IDLE', job: false }],
    ['READY', { pi: 'READY', buddy: 'IDLE', job: false }],
    ['PRINTING', { pi: 'PRINTING', buddy: 'PRINTING', job: true }],
    ['PAUSED', { pi: 'PAUSED', buddy: 'PAUSED', job: true }],
    ['BUSY', { pi: 'BUSY', buddy: 'BUSY', job: true }],
    ['FINISHED', { pi: 'FINISHED', buddy: 'IDLE', job: false }],
    ['STOPPED', { pi: 'STOPPED', buddy: 'IDLE', job: false }],
    ['ERROR', { pi: 'ERROR', buddy: 'ERROR', job: true }],
    // Buddy 4.4 has no link_state: a state its flags cannot name is unknown, and may hold a file.
    ['ATTENTION', { pi: 'ATTENTION', buddy: 'UNKNOWN', job: true }],
  ];
  for (const model of ['MK3S', 'MINI'] as const) {
    test(`maps every printer state of a legacy ${model} to a state the gate understands`, T, async () => {
      const sim = await startPrinter({ model, firmware: 'legacy', password: PASSWORD });
      const api = model === 'MINI' ? apiFor(sim, { kind: 'api-key', apiKey: PASSWORD }) : apiFor(sim);
      sim.seed('job.gcode', 'G28\n');
      try {
        for (const [state, want] of states) {
          sim.setState(state, { file: 'job.gcode' });
          const status = await api.status();
          assert.equal(status.state, model === 'MINI' ? want.buddy : want.pi, state);
          assert.equal(status.printing !== undefined, want.job, `${state}: a job that may hold a file`);
        }
      } finally {
        api.close();
        await sim.close();
      }
    });
  }
});
