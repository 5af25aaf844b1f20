// The executor over a real PrinterApi and a simulated printer: order, events, stopping early, and what it tells the record.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeAction, executePlan, type ExecuteContext } from '../../src/execute/executor.js';
import { startPrinter, type SimPrinter, type SimPrinterOptions } from '../../src/simulator/index.js';
import type { Action, PrinterPlan, SourceFile } from '../../src/types.js';
import type { SyncEvent } from '../../src/report/events.js';
import { apiFor } from '../contract/support.js';
import { tempDir } from '../helpers/fixtures.js';

const T = { timeout: 20_000 };

interface Bench {
  sim: SimPrinter;
  dir: string;
  events: SyncEvent[];
  file(rel: string, content: string): SourceFile;
  context(extra?: Partial<ExecuteContext>): ExecuteContext;
}

async function withBench(options: SimPrinterOptions, run: (b: Bench) => Promise<void>): Promise<void> {
  const sim = await startPrinter(options);
  const work = tempDir();
  const api = apiFor(sim);
  const events: SyncEvent[] = [];
  try {
    await run({
      sim,
      dir: work.dir,
      events,
      file(rel, content) {
        const absPath = path.join(work.dir, rel.replace(/\//g, '_'));
        writeFileSync(absPath, content);
        return { relPath: rel, absPath, size: Buffer.byteLength(content), mtimeMs: statSync(absPath).mtimeMs };
      },
      context: (extra = {}) => ({
        printer: 'p1',
        api,
        storage: sim.storage,
        emit: (e) => events.push(e),
        recheck: async () => undefined,
        ...extra,
      }),
    });
  } finally {
    api.close?.();
    await sim.close();
    work.cleanup();
  }
}

function planOf(actions: Action[]): PrinterPlan {
  return { actions, problems: [], holds: [], unchanged: 0, uploadBytes: 0 };
}

const upload = (source: SourceFile): Action => ({
  kind: 'upload',
  path: source.relPath,
  targetUrl: source.relPath,
  source,
  reason: 'missing on printer',
});
const replace = (source: SourceFile): Action => ({
  kind: 'replace',
  path: source.relPath,
  targetUrl: source.relPath,
  source,
  reason: 'local copy newer',
});
const remove = (p: string): Action => ({ kind: 'delete', path: p, targetUrl: p, reason: 'not in the source' });
const rmdir = (p: string): Action => ({ kind: 'rmdir', path: p, targetUrl: p, reason: 'empty, not in the source' });

const types = (events: SyncEvent[]): string[] => events.filter((e) => e.type !== 'action-progress').map((e) => e.type);

describe('describeAction', () => {
  test('transfers carry the size to send; deletions and folder removals do not', () => {
    const source: SourceFile = { relPath: 'a.gcode', absPath: '/m/a.gcode', size: 42, mtimeMs: 0 };
    const table: [Action, object][] = [
      [upload(source), { kind: 'upload', path: 'a.gcode', size: 42, reason: 'missing on printer' }],
      [replace(source), { kind: 'replace', path: 'a.gcode', size: 42, reason: 'local copy newer' }],
      [remove('b.gcode'), { kind: 'delete', path: 'b.gcode', reason: 'not in the source' }],
      [rmdir('old'), { kind: 'rmdir', path: 'old', reason: 'empty, not in the source' }],
    ];
    for (const [action, info] of table) assert.deepEqual(describeAction(action), info);
  });
});

for (const model of ['MK4', 'MK3S'] as const) {
  describe(`executePlan against a simulated ${model}`, () => {
    test('runs uploads, replacements, deletions and folder removals in plan order, one event pair each', T, () =>
      withBench({ model }, async (b) => {
        b.sim.seed('old.gcode', 'OLD');
        b.sim.seed('gone/x.gcode', 'X');
        b.sim.seed('keep.gcode', 'v1');
        const a = b.file('parts/a.gcode', 'G28\n'.repeat(100));
        const k = b.file('keep.gcode', 'v2 longer');
        const result = await executePlan(
          planOf([upload(a), replace(k), remove('old.gcode'), remove('gone/x.gcode'), rmdir('gone')]),
          b.context(),
        );
        assert.deepEqual(result.done, { upload: 1, replace: 1, delete: 2, rmdir: 1 });
        assert.equal(result.failed, 0);
        assert.equal(result.notRun, 0);
        assert.equal(result.bytesSent, a.size + k.size);
        assert.equal(b.sim.readFile('parts/a.gcode')?.toString(), 'G28\n'.repeat(100));
        assert.equal(b.sim.readFile('keep.gcode')?.toString(), 'v2 longer');
        assert.deepEqual(
          b.sim
            .files()
            .map((f) => f.path)
            .sort(),
          ['keep.gcode', 'parts/a.gcode'],
        );
        assert.deepEqual(types(b.events), Array(5).fill(['action-start', 'action-done']).flat());
        const done = b.events.filter((e) => e.type === 'action-done');
        assert.deepEqual(
          done.map((e) => e.action.path),
          ['parts/a.gcode', 'keep.gcode', 'old.gcode', 'gone/x.gcode', 'gone'],
        );
      }),
    );

    test('tells the record what the printer confirmed: the hash of the bytes sent and each deletion', T, () =>
      withBench({ model }, async (b) => {
        b.sim.seed('old.gcode', 'OLD');
        const a = b.file('a.gcode', 'G1 X1\n');
        const uploaded: { path: string; sha256: string | undefined; mTimestamp: number | undefined }[] = [];
        const deleted: string[] = [];
        await executePlan(
          planOf([upload(a), remove('old.gcode')]),
          b.context({
            confirmed: {
              uploaded: (action, facts) => uploaded.push({ path: action.path, sha256: facts.sha256, mTimestamp: facts.remote?.mTimestamp }),
              deleted: (action) => deleted.push(action.path),
            },
          }),
        );
        assert.equal(uploaded.length, 1);
        assert.equal(uploaded[0]!.sha256, createHash('sha256').update('G1 X1\n').digest('hex'));
        assert.equal(uploaded[0]!.mTimestamp, b.sim.files().find((f) => f.path === 'a.gcode')?.mTimestamp);
        assert.deepEqual(deleted, ['old.gcode']);
      }),
    );
  });
}

describe('executePlan stops early', () => {
  test('after a failed upload, no deletion runs and the rest is reported as not done', T, () =>
    withBench({ model: 'MK4' }, async (b) => {
      b.sim.seed('old.gcode', 'OLD');
      b.sim.inject({ kind: 'status', status: 500, method: 'PUT', times: 1 });
      const a = b.file('a.gcode', 'A');
      const c = b.file('c.gcode', 'C');
      const result = await executePlan(planOf([upload(a), upload(c), remove('old.gcode')]), b.context());
      assert.equal(result.failed, 1);
      assert.equal(result.done.upload, 1, 'the next upload still runs');
      assert.equal(result.notRun, 1);
      assert.match(result.stoppedReason ?? '', /deletions withheld/);
      assert.ok(b.sim.readFile('old.gcode'), 'nothing deleted after a failure');
      assert.ok(result.firstError);
      const warning = b.events.find((e) => e.type === 'warning');
      assert.ok(warning && warning.type === 'warning' && warning.message.includes('delete old.gcode'), JSON.stringify(b.events));
      assert.deepEqual(types(b.events), ['action-start', 'action-failed', 'action-start', 'action-done', 'warning']);
    }),
  );

  test('a recheck that finds the printer busy stops before the next action', T, () =>
    withBench({ model: 'MK3S' }, async (b) => {
      let checks = 0;
      const files = ['a', 'b', 'c'].map((n) => b.file(`${n}.gcode`, n));
      const result = await executePlan(
        planOf(files.map(upload)),
        b.context({ recheck: async () => (++checks > 1 ? { reason: 'the printer started printing', becameBusy: true } : undefined) }),
      );
      assert.equal(result.done.upload, 1);
      assert.equal(result.notRun, 2);
      assert.equal(result.stoppedReason, 'the printer started printing');
      assert.equal(result.becameBusy, true);
      assert.deepEqual(
        b.sim.files().map((f) => f.path),
        ['a.gcode'],
      );
    }),
  );

  test('an aborted signal runs nothing and counts everything as not run, interrupted', T, () =>
    withBench({ model: 'MK4' }, async (b) => {
      const controller = new AbortController();
      controller.abort();
      const result = await executePlan(
        planOf([upload(b.file('a.gcode', 'A')), remove('x.gcode')]),
        b.context({ signal: controller.signal }),
      );
      assert.equal(result.interrupted, true);
      assert.equal(result.notRun, 2);
      assert.deepEqual(b.sim.requests(), []);
    }),
  );

  test('a folder the printer will not remove because it is not empty is kept with a warning, not a failure', T, () =>
    withBench({ model: 'MK4' }, async (b) => {
      b.sim.seed('keep/a.gcode', 'A');
      const result = await executePlan(planOf([rmdir('keep')]), b.context());
      assert.equal(result.failed, 0);
      assert.equal(result.done.rmdir, 0);
      assert.ok(b.sim.readFile('keep/a.gcode'));
      assert.ok(b.events.some((e) => e.type === 'warning' && e.message.startsWith('kept folder keep')));
    }),
  );
});
