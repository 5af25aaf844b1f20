// The benchmark's own machinery: where a printer's time went, the report's verdicts, and measuring a
// real link-sync process (its CPU time and peak RSS from inside, its requests from the printers).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderReport, type Machine } from '../../bench/render.js';
import type { ScenarioResult } from '../../bench/scenario.js';
import { expectOutcome, runLinkSync } from '../../bench/support/child.js';
import { requestStats, startBenchFarm } from '../../bench/support/farm.js';
import { writeRandomFile } from '../../bench/support/master.js';
import { uploadTimeline } from '../../bench/support/timeline.js';
import type { SimRequestLogEntry } from '../../src/simulator/index.js';
import { binPath, repoRoot } from '../helpers/cli.js';

function entry(method: string, status: number, startedAt: number, durationMs: number, bytesIn = 0): SimRequestLogEntry {
  return { method, target: '/x', status, auth: 'digest', headers: {}, bytesIn, startedAt, durationMs };
}

const MACHINE: Machine = { cpu: 'Test CPU', cores: 2, memoryGb: 4, node: 'v20.0.0', os: 'Linux' };

function result(met: boolean[]): ScenarioResult {
  return {
    title: '9. Example',
    setup: 'Nothing real.',
    columns: ['A'],
    rows: [{ A: '1' }],
    targets: met.map((m, i) => ({ target: `target ${i}`, measured: `value ${i}`, met: m })),
    notes: [],
  };
}

describe('benchmark machinery', { timeout: 60_000 }, () => {
  it("splits a printer's time into before, between, inside and after its uploads", () => {
    // Two 100 kB uploads at 100 kB/s: 1 s each; the second took 1.2 s.
    const log = [
      entry('GET', 401, 1_000, 5),
      entry('GET', 200, 1_010, 5),
      entry('PUT', 201, 1_500, 1_000, 100_000),
      entry('GET', 200, 2_550, 5),
      entry('PUT', 201, 2_600, 1_200, 100_000),
    ];
    const t = uploadTimeline(log, 1_000, 4_000, 100_000);
    assert.deepEqual(t, { uploads: 2, beforeFirstMs: 500, betweenMs: 100, excessMs: 200, afterLastMs: 200, lastEndMs: 3_800 });
  });

  it('names every missed target in the closing note, and says so when none is missed', () => {
    const missed = renderReport([result([true, false])], MACHINE, new Date(0));
    assert.match(missed, /1 of 2 targets missed/);
    assert.match(missed, /- target 1: value 1\./);
    assert.match(missed, /\| target 1 \| value 1 \| \*\*no\*\* \|/);
    assert.match(renderReport([result([true, true])], MACHINE, new Date(0)), /Every target is met\./);
  });

  it('measures a real link-sync run and counts what each printer was asked', async () => {
    const workDir = mkdtempSync(path.join(tmpdir(), 'link-sync-bench-test-'));
    const bench = await startBenchFarm(workDir, 2);
    try {
      await writeRandomFile(path.join(workDir, 'master', 'parts', 'a.gcode'), 3000);
      const ctx = { binPath, usagePreload: path.join(repoRoot, 'dist/bench/report-usage.js'), workDir, log: () => {} };
      const run = await runLinkSync(ctx, 'test', ['-c', bench.configPath, '-s', path.join(workDir, 'master'), '--go']);
      expectOutcome(run, 'in-sync', 'test run');
      assert.ok(run.cpuMs > 0 && run.maxRssBytes > 10_000_000, `usage read from the process: ${run.cpuMs} ms, ${run.maxRssBytes} B`);
      for (const printer of bench.farm.printers) {
        const stats = requestStats(printer);
        assert.equal(stats.uploadedBytes, 3000);
        assert.equal(stats.byMethod['PUT'], 1);
        assert.equal(stats.unauthorized, 1);
      }
    } finally {
      await bench.close();
      rmSync(workDir, { recursive: true, force: true });
    }
  });
});
