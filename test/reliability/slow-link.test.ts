// Slow links and interrupts, against simulated printers that take uploads at their own rate: an
// upload that takes many times --timeout is one PUT, Ctrl-C resets the upload, progress is what the
// printer reports, trickling answers and endless listings end at their deadlines, -c must be a file.

import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startFarm, type SimFarm, type SimPrinterOptions } from '../../src/simulator/index.js';
import { sync } from '../../src/run/sync.js';
import type { SyncEvent } from '../../src/report/events.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeConfig, writeTree } from '../helpers/fixtures.js';
import { startCli } from './cli-process.js';
import { printerConfig, sha256, waitFor } from './support.js';
import { LOCK_NAME } from '../../src/record/lock.js';
import { MAX_WALK_DEPTH } from '../../src/printer/walk.js';

const T = { timeout: 90_000 };
const RATE = 50_000;
const BIG = 300_000;
/** An upload that takes three times --timeout: 300 kB at 100 kB/s is 3 s, with --timeout 1. */
const LONG_RATE = 100_000;
const LONG_TIMEOUT = '1';
const DAY_AGO = Math.floor(Date.now() / 1000) - 86_400;

function bigGcode(label: string, size = BIG): Buffer {
  const head = Buffer.from(`; ${label}\nG28\n`);
  return Buffer.concat([head, Buffer.alloc(size - head.length, 'G1 X1 Y1\n')]);
}

interface Setup {
  farm: SimFarm;
  dir: string;
  master: string;
  config: string;
  state: string;
}

/** A farm and a master folder of this test's own, closed and removed when the test ends. */
async function setUp(t: TestContext, printers: SimPrinterOptions[], master: Record<string, string | Buffer>): Promise<Setup> {
  const farm = await startFarm(printers);
  const work = tempDir('link-sync-slow-');
  t.after(async () => {
    await farm.close();
    work.cleanup();
  });
  const masterDir = path.join(work.dir, 'master');
  writeTree(masterDir, master);
  return { farm, dir: work.dir, master: masterDir, config: writeConfig(work.dir, farm.printers), state: path.join(work.dir, 'state') };
}

function cli(s: Setup, ...args: string[]) {
  return runCli(['-c', s.config, '-s', s.master, ...args], { cwd: s.dir, env: { XDG_STATE_HOME: s.state }, timeoutMs: 80_000 });
}

const slow = (model: 'MK4' | 'MK3S', name: string, rate = RATE): SimPrinterOptions => ({ model, name, rateBytesPerSec: rate });

// Every test has its own printers and mostly waits for them: the tests of this file run side by side.
describe('slow links and interrupts', { concurrency: true }, () => {
  describe('an upload that takes several times --timeout', () => {
    for (const model of ['MK4', 'MK3S'] as const) {
      test(`${model}: 300 kB at 100 kB/s with --timeout 1 is one PUT, answered 201, no 409, exit 0`, T, async (t) => {
        const body = bigGcode(model);
        const s = await setUp(t, [slow(model, 'slow-1', LONG_RATE)], { 'big.gcode': body });
        const run = await cli(s, '--go', '--timeout', LONG_TIMEOUT);
        assert.equal(run.code, 0, run.stdout + run.stderr);
        const p = s.farm.printers[0]!;
        const puts = p.requests().filter((r) => r.method === 'PUT');
        assert.deepEqual(
          puts.map((r) => r.status),
          [201],
          'exactly one PUT',
        );
        assert.equal(p.requests().filter((r) => r.status === 409).length, 0);
        assert.equal(p.files().find((f) => f.path === 'big.gcode')?.sha256, sha256(body));
        // The printer's progress was read on the side while the upload ran.
        assert.ok(
          p.requests().some((r) => r.target === '/api/v1/transfer'),
          'transfer progress was polled',
        );
      });
    }

    test('the same on 6 printers at once, Buddy and Pi', T, async (t) => {
      const body = bigGcode('six');
      const models = ['MK4', 'MK3S', 'MK4', 'MK3S', 'MK4', 'MK3S'] as const;
      const s = await setUp(
        t,
        models.map((m, i) => slow(m, `p${i + 1}`, LONG_RATE)),
        { 'big.gcode': body },
      );
      const run = await cli(s, '--go', '--timeout', LONG_TIMEOUT);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      for (const p of s.farm.printers) {
        assert.deepEqual(
          p
            .requests()
            .filter((r) => r.method === 'PUT')
            .map((r) => r.status),
          [201],
          `${p.name}: exactly one PUT`,
        );
        assert.equal(p.requests().filter((r) => r.status === 409).length, 0, `${p.name}: no 409`);
        assert.equal(p.files().find((f) => f.path === 'big.gcode')?.sha256, sha256(body), p.name);
        // Polls on the side stay at most one per 2 s: a 3 s upload gets one or two, not dozens.
        const polls = p.requests().filter((r) => r.target === '/api/v1/transfer').length;
        assert.ok(polls >= 1 && polls <= 3, `${p.name}: ${polls} polls`);
      }
    });
  });

  describe('Ctrl-C during a replacement', () => {
    for (const model of ['MK4', 'MK3S'] as const) {
      test(
        `${model}: exit 130, the printer drops the upload at once, the old file stays, the next dry run plans that replacement`,
        T,
        async (t) => {
          const s = await setUp(t, [slow(model, 'target')], { 'part.gcode': bigGcode('new part') });
          const p = s.farm.printers[0]!;
          p.seed('part.gcode', 'old part\n', { mTimestamp: DAY_AGO });
          const before = p.files().find((f) => f.path === 'part.gcode')!;
          const running = startCli(['-c', s.config, '-s', s.master, '--go', '--timeout', '5'], {
            cwd: s.dir,
            env: { XDG_STATE_HOME: s.state },
            timeoutMs: 60_000,
          });
          await waitFor('the replacement to be under way', () => (p.transfer()?.transferred ?? 0) > 20_000, 30_000);
          running.child.kill('SIGINT');
          const run = await running.done;
          assert.equal(run.code, 130, run.stdout + run.stderr);
          // A reset, not a close: nothing buffered reaches the printer after the exit.
          await waitFor('the printer to show no transfer', () => p.transfer() === undefined, 2_000);
          const after = p.files().find((f) => f.path === 'part.gcode');
          assert.equal(after?.sha256, before.sha256, 'the old content is intact');
          assert.equal(p.readFile('part.gcode')?.toString(), 'old part\n');
          assert.ok(!existsSync(path.join(s.state, 'link-sync', LOCK_NAME)), 'the lock is released');
          const dry = await cli(s, '--json');
          const plans = dry.stdout
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as SyncEvent)
            .filter((e) => e.type === 'plan');
          assert.equal(plans.length, 1);
          const plan = plans[0] as Extract<SyncEvent, { type: 'plan' }>;
          assert.deepEqual(
            plan.actions.map((a) => `${a.kind} ${a.path}`),
            ['replace part.gcode'],
          );
        },
      );
    }
  });

  describe('progress is what the printer reports', () => {
    test("no progress event runs ahead of the printer's count or reaches 100 % before the 201", T, async (t) => {
      const s = await setUp(t, [slow('MK4', 'buddy'), slow('MK3S', 'pi')], {
        'a.gcode': bigGcode('a', 200_000),
        'b.gcode': bigGcode('b', 150_000),
      });
      const byName = new Map(s.farm.printers.map((p) => [p.name, p]));
      const problems: string[] = [];
      const progress = new Map<string, number[]>();
      const done = new Set<string>();
      const summary = await sync({
        config: { path: s.config, printers: s.farm.printers.map(printerConfig) },
        source: s.master,
        go: true,
        stateDir: false,
        timeouts: { stallMs: 2_000, responseMs: 2_000 },
        onEvent: (e) => {
          if (e.type === 'action-done') done.add(`${e.printer} ${e.action.path}`);
          if (e.type !== 'action-progress') return;
          const key = `${e.printer} ${e.path}`;
          const count = byName.get(e.printer)!.transfer();
          // The printer's count only grows while its transfer runs: an event is never ahead of it.
          if (count && e.bytes > count.transferred) problems.push(`${key}: event ${e.bytes} > printer ${count.transferred}`);
          if (e.bytes >= e.total) problems.push(`${key}: progress reached 100 % before the answer`);
          if (done.has(key)) problems.push(`${key}: progress after done`);
          progress.set(key, [...(progress.get(key) ?? []), e.bytes]);
        },
      });
      assert.deepEqual(problems, []);
      assert.ok(
        summary.printers.every((r) => r.outcome === 'in-sync'),
        JSON.stringify(summary.printers.map((r) => r.reason)),
      );
      for (const [key, values] of progress) {
        assert.deepEqual(
          [...values].sort((a, b) => a - b),
          values,
          `${key}: progress only grows`,
        );
      }
      assert.ok(progress.size >= 2, `progress reported for the slow uploads (${[...progress.keys()].join(', ')})`);
    });
  });

  describe('a printer that answers too slowly or lists without end', () => {
    const master = { 'a.gcode': '; a\nG28\n', 'sub/b.gcode': '; b\nG28\n' };

    test(
      'a trickling answer ends at the request deadline (2 × --timeout): exit 3, lock released, the other printer in sync',
      T,
      async (t) => {
        const s = await setUp(
          t,
          [
            { model: 'MK4', name: 'trickle' },
            { model: 'MK3S', name: 'good' },
          ],
          master,
        );
        const [trickle, good] = s.farm.printers;
        // One byte every 0.25 s: never silent for --timeout, never finished.
        trickle!.inject({ kind: 'trickle', intervalMs: 250, pathPrefix: '/api/v1/files' });
        const run = await cli(s, '--go', '--timeout', '1');
        // A printer that does not answer in time counts as unreachable, as one that is silent does.
        assert.equal(run.code, 3, run.stdout + run.stderr);
        assert.match(run.stdout + run.stderr, /trickle: .*listing of usb: not finished within 2 s/);
        assert.deepEqual(
          good!
            .files()
            .map((f) => f.path)
            .sort(),
          ['a.gcode', 'sub/b.gcode'],
        );
        assert.equal(trickle!.requests().filter((r) => r.method === 'PUT').length, 0, 'nothing changed on the slow printer');
        assert.ok(!existsSync(path.join(s.state, 'link-sync', LOCK_NAME)), 'the lock is released');
        trickle!.clearFaults();
        const again = await cli(s, '--go');
        assert.equal(again.code, 0, again.stdout + again.stderr);
      },
    );

    test(
      `an endless listing ends at the depth limit (${MAX_WALK_DEPTH} folders): exit 1, lock released, the other printer in sync`,
      T,
      async (t) => {
        const s = await setUp(
          t,
          [
            { model: 'MK3S', name: 'endless' },
            { model: 'MK4', name: 'good' },
          ],
          master,
        );
        const [endless, good] = s.farm.printers;
        endless!.inject({ kind: 'endless-listing' });
        const run = await cli(s, '--go', '--timeout', '2');
        assert.equal(run.code, 1, run.stdout + run.stderr);
        assert.match(run.stdout + run.stderr, new RegExp(`endless: .*more than ${MAX_WALK_DEPTH} folders deep`));
        assert.deepEqual(
          good!
            .files()
            .map((f) => f.path)
            .sort(),
          ['a.gcode', 'sub/b.gcode'],
        );
        assert.equal(endless!.requests().filter((r) => r.method === 'PUT').length, 0, 'nothing changed on the endless printer');
        assert.ok(
          endless!.requests().filter((r) => r.method === 'GET').length < MAX_WALK_DEPTH + 10,
          'the walk stopped at its depth limit',
        );
        assert.ok(!existsSync(path.join(s.state, 'link-sync', LOCK_NAME)), 'the lock is released');
        const again = await cli(s, '--go', '-x', 'endless');
        assert.equal(again.code, 0, again.stdout + again.stderr);
      },
    );
  });

  describe('-c that is not a regular file', () => {
    for (const [label, make] of [
      [
        'a FIFO',
        (dir: string) => {
          const fifo = path.join(dir, 'printers.fifo');
          execFileSync('mkfifo', [fifo]);
          return fifo;
        },
      ],
      ['/dev/urandom', () => '/dev/urandom'],
    ] as const) {
      test(`${label}: exit 2 with one line, without reading it`, { ...T, skip: process.platform === 'win32' }, async () => {
        const work = tempDir('link-sync-config-');
        try {
          const config = make(work.dir);
          writeTree(path.join(work.dir, 'master'), { 'a.gcode': 'G28\n' });
          // A small heap: reading /dev/urandom into memory would end in an out-of-memory crash, not exit 2.
          const run = await runCli(['-c', config, '-s', path.join(work.dir, 'master')], {
            cwd: work.dir,
            env: { NODE_OPTIONS: '--max-old-space-size=64' },
            timeoutMs: 20_000,
          });
          assert.equal(run.code, 2, run.stdout + run.stderr);
          const lines = run.stderr.trim().split('\n');
          assert.equal(lines.length, 1, run.stderr);
          assert.match(lines[0]!, /not a regular file/);
        } finally {
          work.cleanup();
        }
      });
    }
  });
});
