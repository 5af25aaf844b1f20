// The PrinterApi download contract: raw bytes streamed into a sink, over real HTTP against simulated
// printers of every dialect. Buddy 4.4 is asked nothing and says so; a body cut short is never a
// finished download, and a retry starts the sink over.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { DownloadSink, PrinterApi } from '../../src/printer/api.js';
import { createPrinterApi } from '../../src/printer/create.js';
import { walkRemote } from '../../src/printer/walk.js';
import { startPrinter, type SimPrinter } from '../../src/simulator/index.js';
import { defaultAuth, FLAVOURS, placed, type Flavour } from './flavours.js';
import { rejection } from './support.js';

const T = { timeout: 20_000 };

/** A sink that keeps the bytes of its last opening and counts openings and aborts. */
function memorySink(): { open: () => DownloadSink; opened: number; aborted: number; closed: number; bytes: () => Buffer } {
  let chunks: Buffer[] = [];
  const state = {
    opened: 0,
    aborted: 0,
    closed: 0,
    open(): DownloadSink {
      state.opened++;
      chunks = [];
      return {
        write: async (chunk) => void chunks.push(Buffer.from(chunk)),
        close: async () => void state.closed++,
        abort: async () => void state.aborted++,
      };
    },
    bytes: () => Buffer.concat(chunks),
  };
  return state;
}

function content(size: number, seed: number): Buffer {
  const buf = Buffer.alloc(size);
  for (let i = 0; i < size; i++) buf[i] = (i * 7 + seed) & 0xff;
  return buf;
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function apiWith(sim: SimPrinter, flavour: Flavour, retries: number): PrinterApi {
  return createPrinterApi(
    { name: 'printer-under-test', printerType: sim.model, baseUrl: sim.url, auth: defaultAuth(flavour, sim) },
    { timeouts: { connectMs: 2_000, responseMs: 5_000 }, retry: { retries, baseDelayMs: 10, maxDelayMs: 20, maxRetryAfterMs: 100 } },
  );
}

/** The urlPath a walk gives for a long path (short names on Buddy). */
async function urlOf(api: PrinterApi, storage: string, path: string, flavour: Flavour): Promise<string> {
  const tree = await walkRemote(api, storage, '', flavour.rules);
  const file = tree.files.find((f) => f.path === path);
  assert.ok(file, `${path} listed`);
  return file.urlPath;
}

for (const flavour of FLAVOURS) {
  const cannot = flavour.dialect === 'legacy' && flavour.kind === 'buddy' ? 'Buddy 4.4 is not asked for downloads' : undefined;

  describe(`PrinterApi download: ${flavour.label}`, () => {
    let sim: SimPrinter;
    let api: PrinterApi;
    let once: PrinterApi;
    const big = content(200_000, 3);
    const path = placed(flavour, 'parts/Long Benchy name+plus.gcode');

    before(async () => {
      sim = await startPrinter({ ...flavour.options, password: 'correct-horse-7' });
      sim.seed(path, big);
      api = apiWith(sim, flavour, 2);
      once = apiWith(sim, flavour, 0);
    });
    after(async () => {
      api.close();
      once.close();
      await sim.close();
    });

    if (cannot) {
      test('refuses to download, saying why, and sends no request for it', T, async () => {
        sim.clearRequests();
        const sink = memorySink();
        const err = await rejection(api.download(sim.storage, path, { open: sink.open }));
        assert.equal(err.kind, 'rejected');
        assert.match(err.message, /does not download from Buddy firmware 4\.4/);
        assert.equal(sink.opened, 0);
        assert.equal(sim.requests().filter((r) => r.target.includes('raw') || r.target.startsWith('/usb/')).length, 0);
      });
      return;
    }

    test('streams the exact bytes of a file in a folder, reporting progress up to its size', T, async () => {
      const url = await urlOf(api, sim.storage, path, flavour);
      const sink = memorySink();
      const seen: number[] = [];
      const result = await api.download(sim.storage, url, { open: sink.open, onBytes: (n) => seen.push(n) });
      assert.deepEqual(result, { bytes: big.length });
      assert.equal(sha(sink.bytes()), sha(big));
      assert.equal(sink.opened, 1);
      assert.equal(sink.closed, 1);
      assert.equal(seen.at(-1), big.length);
      assert.ok(seen.length > 1, 'progress came in steps');
    });

    test('resolves undefined for a file that does not exist, opening no sink', T, async () => {
      const sink = memorySink();
      assert.equal(await api.download(sim.storage, 'nope.gcode', { open: sink.open }), undefined);
      assert.equal(sink.opened, 0);
    });

    test('a body cut mid-way is retried from the start into a fresh sink', T, async () => {
      const url = await urlOf(api, sim.storage, path, flavour);
      sim.inject({ kind: 'cut-download', afterBytes: 50_000, times: 1 });
      const sink = memorySink();
      const result = await api.download(sim.storage, url, { open: sink.open });
      assert.equal(result?.bytes, big.length);
      assert.equal(sink.opened, 2);
      assert.equal(sink.aborted, 1);
      assert.equal(sha(sink.bytes()), sha(big));
    });

    test('without retries a cut body rejects and the sink is aborted, never closed', T, async () => {
      const url = await urlOf(once, sim.storage, path, flavour);
      sim.inject({ kind: 'cut-download', afterBytes: 30_000, times: 1 });
      const sink = memorySink();
      const err = await rejection(once.download(sim.storage, url, { open: sink.open }));
      assert.equal(err.kind, 'protocol');
      assert.match(err.message, /connection lost during download/);
      assert.equal(sink.aborted, 1);
      assert.equal(sink.closed, 0);
    });

    test('a sink that fails to write is not retried: the local error comes back as is', T, async () => {
      const url = await urlOf(api, sim.storage, path, flavour);
      let opened = 0;
      const disk = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      const open = (): DownloadSink => {
        opened++;
        return { write: async () => Promise.reject(disk), close: async () => undefined, abort: async () => undefined };
      };
      await assert.rejects(api.download(sim.storage, url, { open }), (e: unknown) => e === disk);
      assert.equal(opened, 1);
    });
  });
}
