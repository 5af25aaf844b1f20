// The fault matrix (docs/reliability.md): each row injects one fault into one printer of a simulated
// farm and checks the outcome there, that the other printers finish, the exit code, that nothing was
// lost (no file deleted without its replacement in place, no partial file under a real name), and
// that no password shows up in any event.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock, type SimPrinter, type SimPrinterOptions } from '../../src/simulator/index.js';
import { ExitCode } from '../../src/report/exit-codes.js';
import {
  FARM,
  MASTER,
  MUTATING,
  answerDroppingRelay,
  assertMirrors,
  assertNoSecrets,
  assertNothingLost,
  masterHashes,
  runSync,
  refusedPort,
  secrets,
  silentServer,
  startBench,
  waitFor,
  type Bench,
  type Run,
} from './support.js';
import { gcode } from '../helpers/fixtures.js';

const ROW = { timeout: 30_000 };
const DAY_AGO = Math.floor(Date.now() / 1000) - 86_400;

/** Starts a farm, runs the row, checks the invariants every row shares, and cleans up. */
async function row(body: (bench: Bench) => Promise<{ run: Run; faulty: string[] }>, farm: SimPrinterOptions[] = FARM): Promise<void> {
  const bench = await startBench(farm);
  try {
    const { run, faulty } = await body(bench);
    const before = bench.before;
    const source = masterHashes(bench.master);
    for (const p of bench.farm.printers) {
      assertNothingLost(p, before.get(p.name) ?? [], source, run.result(p.name));
      if (!faulty.includes(p.name)) {
        assert.equal(run.result(p.name).outcome, 'in-sync', `${p.name} should finish: ${run.result(p.name).reason}`);
        assertMirrors(p, source);
      }
    }
    assertNoSecrets(JSON.stringify(run.events), secrets(bench.farm), 'the events');
  } finally {
    await bench.close();
  }
}

const puts = (p: SimPrinter) => p.requests().filter((r) => r.method === 'PUT');
const mutating = (p: SimPrinter) => p.requests().filter((r) => MUTATING.has(r.method));
const simState = async (p: SimPrinter): Promise<{ transfer: unknown }> =>
  (await (await fetch(`${p.url}/_sim/state`)).json()) as { transfer: unknown };

// Rows run six at a time: each has its own farm and mostly waits on timeouts and faults. Those with
// half-second timeouts for the whole farm run afterwards, one at a time (below).
describe('fault matrix', { timeout: 300_000, concurrency: 6 }, () => {
  test('F1 connection reset mid-upload: looked up, found absent, sent again; in sync', ROW, () =>
    row(async (bench) => {
      const mk4 = bench.printer('mk4-a');
      mk4.inject({ kind: 'reset-after-bytes', bytes: 8_000, times: 1 });
      const run = await runSync(bench);
      assert.equal(run.exitCode, ExitCode.OK);
      assert.equal(run.result('mk4-a').outcome, 'in-sync');
      const sent = puts(mk4).map((r) => r.status);
      assert.equal(sent.length, 4, 'one cut upload, then each file once');
      assert.notEqual(sent[0], 201);
      assert.deepEqual(sent.slice(1), [201, 201, 201]);
      assert.match(
        run.warnings('mk4-a').join('\n'),
        /benchy\.gcode: the connection broke and the printer does not have the file; sending it again/,
      );
      return { run, faulty: [] };
    }),
  );

  test('F2 connection reset during a replacement: the old file stays until the new one is complete', ROW, () =>
    row(async (bench) => {
      const xl = bench.printer('xl-b');
      xl.seed('benchy.gcode', 'old benchy', { mTimestamp: DAY_AGO });
      xl.inject({ kind: 'reset-after-bytes', bytes: 8_000, times: 1 });
      const run = await runSync(bench);
      assert.equal(run.exitCode, ExitCode.OK);
      assert.equal(run.result('xl-b').done.replace, 1);
      assert.equal(puts(xl).filter((r) => r.headers['overwrite'] === '?1').length, 2, 'the replacement was sent twice');
      return { run, faulty: [] };
    }),
  );

  test('F3 connection lost after the last byte (answer lost): the printer has the file, nothing is sent twice', ROW, async () => {
    let relay: Awaited<ReturnType<typeof answerDroppingRelay>> | undefined;
    try {
      await row(async (bench) => {
        const mk4 = bench.printer('mk4-a');
        mk4.seed('benchy.gcode', 'old benchy', { mTimestamp: DAY_AGO });
        relay = await answerDroppingRelay(mk4.port, 2);
        const url = relay.url;
        const run = await runSync(bench, { config: bench.config((p) => (p.name === 'mk4-a' ? { ...p, baseUrl: url } : p)) });
        assert.equal(run.exitCode, ExitCode.OK);
        assert.equal(relay.dropped(), 2);
        assert.deepEqual(
          puts(mk4).map((r) => r.status),
          [201, 201, 201],
          'each file reached the printer once',
        );
        assert.deepEqual([run.result('mk4-a').done.replace, run.result('mk4-a').done.upload], [1, 2]);
        const notes = run.warnings('mk4-a').join('\n');
        assert.match(notes, /benchy\.gcode: the connection broke, but the printer has the complete file/);
        assert.match(notes, /parts\/bracket\.bgcode: the connection broke, but the printer has the complete file/);
        return { run, faulty: [] };
      });
    } finally {
      await relay?.close();
    }
  });

  test('F5 stalled upload that the printer ends with 408: sent again', ROW, () =>
    row(
      async (bench) => {
        const xl = bench.printer('xl-b');
        xl.inject({ kind: 'stall', afterBytes: 4_000, times: 1 });
        const run = await runSync(bench, { timeouts: { connectMs: 1_000, responseMs: 5_000, stallMs: 5_000 } });
        assert.equal(run.exitCode, ExitCode.OK);
        assert.deepEqual(
          puts(xl).map((r) => r.status),
          [408, 201, 201, 201],
        );
        assert.match(run.warnings('xl-b').join('\n'), /upload of benchy\.gcode: the printer timed the request out \(408\); retry 1 of 3/);
        return { run, faulty: [] };
      },
      FARM.map((o) => (o.name === 'xl-b' ? { ...o, uploadIdleTimeoutMs: 300 } : o)),
    ),
  );

  test('F6 a burst of 500/502/503: retried with backoff; in sync', ROW, () =>
    row(async (bench) => {
      bench.printer('mk4-a').inject({ kind: 'status', status: 503, times: 2, method: 'PUT' });
      bench.printer('xl-b').inject({ kind: 'status', status: 502, times: 1, pathPrefix: '/api/v1/files' });
      bench.printer('mk3s-c').inject({ kind: 'status', status: 500, times: 2, pathPrefix: '/api/v1/status' });
      const run = await runSync(bench);
      assert.equal(run.exitCode, ExitCode.OK);
      assert.match(run.warnings('mk4-a').join('\n'), /upload of benchy\.gcode: the printer answered 503; retry 2 of 3/);
      assert.match(run.warnings('mk3s-c').join('\n'), /reading the status: the printer answered 500; retry 1 of 3/);
      assert.deepEqual(
        puts(bench.printer('mk4-a')).map((r) => r.status),
        [503, 503, 201, 201, 201],
      );
      return { run, faulty: [] };
    }),
  );

  test('F7 409 "Another transfer in progress" that ends: waited for, then sent', ROW, () =>
    row(async (bench) => {
      const mk4 = bench.printer('mk4-a');
      // The listing is slowed so the other transfer can start between the state check and the upload.
      mk4.inject({ kind: 'delay', ms: 300, times: 1, pathPrefix: '/api/v1/files' });
      const running = runSync(bench, { retries: 6, retryDelayMs: 200 });
      await waitFor('the state check', () => mk4.requests().some((r) => r.target === '/api/v1/status'));
      mk4.setForeignTransfer(true, { path: 'connect.gcode', size: 1000 });
      await waitFor('a refused upload', () => puts(mk4).some((r) => r.status === 409));
      mk4.setForeignTransfer(false);
      const run = await running;
      assert.equal(run.exitCode, ExitCode.OK);
      assert.match(run.warnings('mk4-a').join('\n'), /upload of benchy\.gcode: another transfer is in progress; retry 1 of 6/);
      return { run, faulty: [] };
    }),
  );

  test('F8 409 "Another transfer in progress" that does not end: failed after the retries, nothing deleted', ROW, () =>
    row(async (bench) => {
      const mk4 = bench.printer('mk4-a');
      mk4.seed('old/legacy.gcode', gcode('legacy', 500));
      mk4.inject({ kind: 'delay', ms: 300, times: 1, pathPrefix: '/api/v1/files' });
      const running = runSync(bench);
      await waitFor('the state check', () => mk4.requests().some((r) => r.target === '/api/v1/status'));
      mk4.setForeignTransfer(true, { path: 'connect.gcode', size: 1000 });
      const run = await running;
      const r = run.result('mk4-a');
      assert.equal(run.exitCode, ExitCode.ACTIONS_FAILED);
      assert.equal(r.outcome, 'failed');
      assert.equal(r.error?.code, 'PRINTER_TRANSFER_BUSY');
      assert.match(r.error?.message ?? '', /Another transfer in progress, after 4 attempts/);
      assert.equal(mk4.requests().filter((q) => q.method === 'DELETE').length, 0);
      assert.match(run.warnings('mk4-a').join('\n'), /not done \(.*\): .*delete old\/legacy\.gcode/);
      return { run, faulty: ['mk4-a'] };
    }),
  );

  test('F9 507 storage full: not retried, uploads stop, nothing deleted on that printer', ROW, () =>
    row(async (bench) => {
      for (const p of bench.farm.printers) p.seed('old/legacy.gcode', gcode('legacy', 500));
      const xl = bench.printer('xl-b');
      xl.inject({ kind: 'storage-full' });
      const run = await runSync(bench);
      const r = run.result('xl-b');
      assert.equal(run.exitCode, ExitCode.ACTIONS_FAILED);
      assert.equal(r.error?.code, 'PRINTER_STORAGE');
      assert.equal(puts(xl).length, 1, 'a full stick is not asked again');
      assert.ok(xl.readFile('old/legacy.gcode'), 'the extraneous file is kept on the failed printer');
      assert.equal(bench.printer('mk4-a').readFile('old/legacy.gcode'), undefined, 'and deleted on the others');
      return { run, faulty: ['xl-b'] };
    }),
  );

  test('F10 USB stick removed mid-run: the upload fails, the rest is not done, nothing deleted', ROW, () =>
    row(
      async (bench) => {
        const mk4 = bench.printer('mk4-a');
        mk4.seed('old/legacy.gcode', gcode('legacy', 500));
        const running = runSync(bench);
        await waitFor('an upload in progress', async () => Boolean((await simState(mk4)).transfer));
        mk4.setUsbPresent(false);
        const run = await running;
        const r = run.result('mk4-a');
        assert.equal(run.exitCode, ExitCode.ACTIONS_FAILED);
        assert.equal(r.error?.code, 'PRINTER_STORAGE');
        assert.equal(r.done.upload, 0);
        assert.ok(r.notRun >= 3, `not run: ${r.notRun}`);
        assert.equal(mk4.requests().filter((q) => q.method === 'DELETE').length, 0);
        return { run, faulty: ['mk4-a'] };
      },
      FARM.map((o) => (o.name === 'mk4-a' ? { ...o, rateBytesPerSec: 20_000 } : o)),
    ),
  );

  test('F11 no USB stick at the start: an error, not an empty printer; nothing sent', ROW, () =>
    row(async (bench) => {
      const mk4 = bench.printer('mk4-a');
      mk4.seed('benchy.gcode', MASTER['benchy.gcode']!);
      mk4.seed('old/legacy.gcode', gcode('legacy', 500));
      mk4.setUsbPresent(false);
      const run = await runSync(bench);
      const r = run.result('mk4-a');
      assert.equal(run.exitCode, ExitCode.ACTIONS_FAILED);
      assert.equal(r.outcome, 'failed');
      assert.match(r.reason ?? '', /no USB stick is inserted/);
      assert.deepEqual(mutating(mk4), []);
      return { run, faulty: ['mk4-a'] };
    }),
  );

  test('F12 wrong password: reported as credentials refused (exit 3), nothing sent; others synced', ROW, () =>
    row(async (bench) => {
      const wrong = 'wrong-Pa55word-xyz';
      const run = await runSync(bench, {
        config: bench.config((p) => (p.name === 'xl-b' ? { ...p, auth: { kind: 'digest', username: 'maker', password: wrong } } : p)),
      });
      const r = run.result('xl-b');
      assert.equal(run.exitCode, ExitCode.PRINTERS_UNREACHABLE);
      assert.equal(r.outcome, 'credentials-refused');
      assert.equal(r.error?.code, 'PRINTER_AUTH');
      assert.deepEqual(mutating(bench.printer('xl-b')), []);
      assertNoSecrets(JSON.stringify(run.events), [wrong], 'the events');
      return { run, faulty: ['xl-b'] };
    }),
  );

  test('F13 printer starts printing mid-sync: no further change, the printed file untouched', ROW, () =>
    row(async (bench) => {
      const mk3s = bench.printer('mk3s-c');
      mk3s.seed('job.gcode', gcode('job', 3000));
      // The first upload is held back so the print can start while it is under way.
      mk3s.inject({ kind: 'delay', ms: 600, times: 1, method: 'PUT' });
      const running = runSync(bench);
      await waitFor('the listing', () => mk3s.requests().some((r) => r.target.startsWith('/api/v1/files')));
      mk3s.setState('PRINTING', { file: 'job.gcode' });
      const run = await running;
      const r = run.result('mk3s-c');
      assert.equal(run.exitCode, ExitCode.ACTIONS_FAILED);
      assert.equal(r.outcome, 'failed');
      assert.match(r.reason ?? '', /printer became busy during the sync \(printer is PRINTING\)/);
      assert.equal(r.done.upload, 1);
      assert.ok(mk3s.readFile('job.gcode'), 'the printed file is still there');
      assert.equal(mk3s.requests().filter((q) => q.method === 'DELETE').length, 0);
      assert.match(
        run.warnings('mk3s-c').join('\n'),
        /not done \(printer became busy.*\): upload parts\/bracket\.bgcode, upload parts\/clip\.gcode, delete job\.gcode/,
      );
      return { run, faulty: ['mk3s-c'] };
    }),
  );

  test('F14 host refusing connections: unreachable after the retries (exit 3); others synced', ROW, () =>
    row(async (bench) => {
      const port = await refusedPort();
      const config = bench.config();
      config.printers.push({
        name: 'ghost',
        printerType: 'MK4',
        baseUrl: `http://127.0.0.1:${port}`,
        auth: { kind: 'digest', username: 'maker', password: 'ghost-Pa55' },
      });
      const run = await runSync(bench, { config });
      const r = run.result('ghost');
      assert.equal(run.exitCode, ExitCode.PRINTERS_UNREACHABLE);
      assert.equal(r.outcome, 'unreachable');
      assert.match(
        r.reason ?? '',
        /cannot reach http:\/\/127\.0\.0\.1:\d+ for reading the storage list \(ECONNREFUSED\), after 4 attempts/,
      );
      return { run, faulty: ['ghost'] };
    }),
  );

  test('F16 very slow responses: slower than usual is fine; one slower than the timeout is retried', ROW, () =>
    row(async (bench) => {
      bench.printer('xl-b').inject({ kind: 'delay', ms: 120, times: 40, method: 'GET' });
      bench.printer('mk3s-c').inject({ kind: 'delay', ms: 3_000, times: 1, pathPrefix: '/api/v1/storage' });
      const run = await runSync(bench, { timeouts: { connectMs: 1_000, responseMs: 1_000, stallMs: 1_000 } });
      assert.equal(run.exitCode, ExitCode.OK);
      assert.match(run.warnings('mk3s-c').join('\n'), /reading the storage list: connection lost \(ETIMEDOUT\); retry 1 of 3/);
      return { run, faulty: [] };
    }),
  );

  test('F17 malformed JSON in a folder listing: the listing is incomplete, so nothing is changed there', ROW, () =>
    row(async (bench) => {
      const mk3s = bench.printer('mk3s-c');
      mk3s.seed('parts/stale.gcode', gcode('stale', 800));
      mk3s.seed('old/legacy.gcode', gcode('legacy', 500));
      mk3s.inject({ kind: 'malformed-json', times: 1, pathPrefix: '/api/v1/files/local/parts' });
      const run = await runSync(bench);
      const r = run.result('mk3s-c');
      assert.equal(run.exitCode, ExitCode.ACTIONS_FAILED);
      assert.equal(r.error?.code, 'PRINTER_PROTOCOL');
      assert.deepEqual(mutating(mk3s), []);
      return { run, faulty: ['mk3s-c'] };
    }),
  );

  test('F18 digest nonce expiring mid-run: renewed on the fly; in sync', ROW, () => {
    // The MK4's and the MK3S's clocks jump 5 s (five nonce lifetimes) each time an upload to them is done,
    // so the nonce the client holds is stale at its next request (the state check before the next upload).
    // The re-send of an upload body after a stale 401 is in test/contract/nonces.contract.test.ts.
    const clocks = new Map(['mk4-a', 'mk3s-c'].map((name) => [name, manualClock()]));
    return row(
      async (bench) => {
        const run = await runSync(bench, {
          onEvent: (e) => {
            if (e.type === 'action-done') clocks.get(e.printer)?.advance(5_000);
          },
        });
        assert.equal(run.exitCode, ExitCode.OK);
        for (const name of clocks.keys()) {
          const log = bench.printer(name).requests();
          const late401 = log.slice(2).filter((r) => r.status === 401);
          const summary = log.map((r) => `${r.method} ${r.status}`).join(', ');
          assert.ok(late401.length >= 1, `${name}: the nonce expired during the run (${summary})`);
        }
        return { run, faulty: [] };
      },
      FARM.map((o) => {
        const clock = clocks.get(o.name ?? '');
        return clock ? { ...o, nonceLifetimeSec: 1, now: clock.now } : o;
      }),
    );
  });
});

// Rows whose whole farm runs on half-second timeouts: alone, after the others, so that no other row's
// work in this process can hold up an answer for that long.
describe('fault matrix, half-second timeouts', { timeout: 120_000 }, () => {
  test(
    'F4 stalled upload: the printer takes nothing for --timeout; the client resets, waits until the printer shows no transfer, looks, and sends again',
    ROW,
    () =>
      row(async (bench) => {
        const xl = bench.printer('xl-b');
        xl.inject({ kind: 'stall', afterBytes: 4_000, times: 1 });
        const run = await runSync(bench, { retries: 5, retryDelayMs: 300, timeouts: { connectMs: 1_000, responseMs: 500, stallMs: 500 } });
        assert.equal(run.exitCode, ExitCode.OK);
        assert.equal(puts(xl).filter((r) => r.status === 201).length, 3);
        const notes = run.warnings('xl-b').join('\n');
        assert.match(notes, /benchy\.gcode: the connection broke and the printer does not have the file; sending it again/);
        // Judged from the printer's own count, and resent only once the printer let go: never a 409.
        assert.equal(puts(xl).filter((r) => r.status === 409).length, 0, 'no 409 Another transfer in progress');
        return { run, faulty: [] };
      }),
  );

  test('F15 host not answering: timed out after the retries (exit 3); others synced', ROW, async () => {
    const silent = await silentServer();
    try {
      await row(async (bench) => {
        const config = bench.config();
        config.printers.push({
          name: 'hung',
          printerType: 'XL',
          baseUrl: `http://127.0.0.1:${silent.port}`,
          auth: { kind: 'digest', username: 'maker', password: 'hung-Pa55' },
        });
        const started = Date.now();
        const run = await runSync(bench, { config, retries: 1, timeouts: { connectMs: 500, responseMs: 500, stallMs: 500 } });
        const r = run.result('hung');
        assert.equal(run.exitCode, ExitCode.PRINTERS_UNREACHABLE);
        assert.equal(r.outcome, 'unreachable');
        assert.match(r.reason ?? '', /\(ETIMEDOUT\), after 2 attempts/);
        assert.ok(Date.now() - started < 20_000, 'bounded by the timeouts');
        return { run, faulty: ['hung'] };
      });
    } finally {
      await silent.close();
    }
  });
});
