// Shared by the reliability tests: a small simulated farm with a master folder, a fast library run
// that records every event, and the "nothing lost" check over the printers' files before and after.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Socket, createServer, type Server } from 'node:net';
import path from 'node:path';
import type { FarmConfig, PrinterConfig } from '../../src/config/types.js';
import { exitCodeForSummary } from '../../src/report/exit-codes.js';
import type { PrinterResult, RunSummary, SyncEvent } from '../../src/report/events.js';
import { startFarm, type SimFarm, type SimFileSnapshot, type SimPrinter, type SimPrinterOptions } from '../../src/simulator/index.js';
import { sync, type SyncOptions } from '../../src/run/sync.js';
import { gcode, tempDir, writeTree } from '../helpers/fixtures.js';

/** Three models: Buddy with short names (MK4), Buddy (XL), Pi (MK3S). */
export const FARM: SimPrinterOptions[] = [
  { name: 'mk4-a', model: 'MK4', password: 'mk4-secret-Pa55word' },
  { name: 'xl-b', model: 'XL', password: 'xl-secret-Pa55word' },
  { name: 'mk3s-c', model: 'MK3S', password: 'mk3s-secret-Pa55word' },
];

export const MASTER: Record<string, string> = {
  'benchy.gcode': gcode('benchy', 20_000),
  'parts/bracket.bgcode': gcode('bracket', 12_000),
  'parts/clip.gcode': gcode('clip', 6_000),
};

export const MUTATING = new Set(['PUT', 'POST', 'DELETE']);

export interface Bench {
  farm: SimFarm;
  master: string;
  work: string;
  printer(name: string): SimPrinter;
  /** The config the library gets: every farm printer, optionally with some changed. */
  config(change?: (p: PrinterConfig) => PrinterConfig): FarmConfig;
  /** Every printer's files right now, by printer name. */
  snapshot(): Map<string, SimFileSnapshot[]>;
  /** The snapshot taken as the last runSync started. */
  before: Map<string, SimFileSnapshot[]>;
  close(): Promise<void>;
}

export async function startBench(farm: SimPrinterOptions[] = FARM, master: Record<string, string> = MASTER): Promise<Bench> {
  const sims = await startFarm(farm);
  const work = tempDir('link-sync-reliability-');
  const masterDir = path.join(work.dir, 'master');
  writeTree(masterDir, master);
  const snapshot = (): Map<string, SimFileSnapshot[]> => new Map(sims.printers.map((p) => [p.name, p.files()]));
  return {
    farm: sims,
    master: masterDir,
    work: work.dir,
    printer: (name) => {
      const found = sims.printers.find((p) => p.name === name);
      assert.ok(found, `no printer ${name}`);
      return found;
    },
    config: (change = (p) => p) => ({
      path: path.join(work.dir, 'printers.yml'),
      printers: sims.printers.map((p) => change(printerConfig(p))),
    }),
    snapshot,
    before: snapshot(),
    close: async () => {
      await sims.close();
      work.cleanup();
    },
  };
}

export function printerConfig(p: SimPrinter): PrinterConfig {
  return {
    name: p.name,
    printerType: p.model,
    baseUrl: p.url,
    // A Buddy on firmware 4.4 takes only an API key (its password).
    auth:
      p.firmware === 'legacy' && p.personality === 'buddy'
        ? { kind: 'api-key', apiKey: p.credentials.password }
        : { kind: 'digest', username: p.credentials.username, password: p.credentials.password },
  };
}

export interface Run {
  summary: RunSummary;
  events: SyncEvent[];
  exitCode: number;
  result(printer: string): PrinterResult;
  /** Warnings for one printer, as text. */
  warnings(printer: string): string[];
}

/** Options that keep a faulty run short: quick retries, second-scale timeouts, no sync record. */
export const FAST: Partial<SyncOptions> = {
  go: true,
  stateDir: false,
  retries: 3,
  retryDelayMs: 20,
  timeouts: { connectMs: 1_000, responseMs: 2_000, stallMs: 1_000 },
};

export async function runSync(bench: Bench, options: Partial<SyncOptions> = {}): Promise<Run> {
  const events: SyncEvent[] = [];
  bench.before = bench.snapshot();
  const summary = await sync({
    config: bench.config(),
    source: bench.master,
    ...FAST,
    ...options,
    onEvent: (e) => {
      events.push(e);
      options.onEvent?.(e);
    },
  });
  return {
    summary,
    events,
    exitCode: exitCodeForSummary(summary),
    result: (name) => {
      const found = summary.printers.find((r) => r.printer === name);
      assert.ok(found, `no result for ${name}`);
      return found;
    },
    warnings: (name) => events.flatMap((e) => (e.type === 'warning' && e.printer === name ? [e.message] : [])),
  };
}

/** The printer's main-storage files as "path" lines, sorted. */
export function paths(p: SimPrinter): string[] {
  return p
    .files()
    .filter((f) => f.storage === p.storage)
    .map((f) => f.path)
    .sort();
}

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The master's files with their hashes, read from disk (a test may have changed them). */
export function masterHashes(master: string, rels: string[] = Object.keys(MASTER)): Map<string, string> {
  return new Map(rels.map((rel) => [rel, sha256(readFileSync(path.join(master, ...rel.split('/'))))]));
}

/**
 * Nothing lost, for one printer: every file it held before is still there unless the run meant to
 * delete it and the printer ended in sync; every file it holds now is either what it held before,
 * byte for byte, or a complete copy of the source file of that name (a Pi's hidden ".name.part"
 * leftovers aside). So: no file deleted without its replacement in place, no partial file under a real name.
 */
export function assertNothingLost(
  printer: SimPrinter,
  before: SimFileSnapshot[],
  source: Map<string, string>,
  result: PrinterResult,
): void {
  const key = (f: SimFileSnapshot): string => `${f.storage}/${printer.personality === 'buddy' ? f.path.toLowerCase() : f.path}`;
  const after = new Map(printer.files().map((f) => [key(f), f]));
  const sourceKeys = new Map([...source].map(([rel, hash]) => [printer.personality === 'buddy' ? rel.toLowerCase() : rel, hash]));
  for (const old of before) {
    if (after.has(key(old))) continue;
    const rel = printer.personality === 'buddy' ? old.path.toLowerCase() : old.path;
    assert.ok(!sourceKeys.has(rel), `${printer.name}: ${old.path} was lost (it is in the source)`);
    assert.equal(result.outcome, 'in-sync', `${printer.name}: ${old.path} was deleted on a printer that did not end in sync`);
  }
  const previous = new Map(before.map((f) => [key(f), f]));
  for (const [k, now] of after) {
    const base = now.path.split('/').pop() ?? '';
    if (printer.personality === 'pi' && base.startsWith('.') && base.endsWith('.part')) continue;
    if (previous.get(k)?.sha256 === now.sha256) continue;
    const rel = printer.personality === 'buddy' ? now.path.toLowerCase() : now.path;
    assert.equal(now.sha256, sourceKeys.get(rel), `${printer.name}: ${now.path} is neither the old file nor a complete copy of the source`);
  }
}

/** Asserts a printer holds exactly the master's files, byte for byte. */
export function assertMirrors(printer: SimPrinter, source: Map<string, string>): void {
  const files = printer.files().filter((f) => f.storage === printer.storage);
  assert.deepEqual(files.map((f) => f.path).sort(), [...source.keys()].sort(), `${printer.name} files`);
  for (const f of files) assert.equal(f.sha256, source.get(f.path), `${printer.name}: ${f.path} content`);
}

/** The configured secrets of the farm, to look for in outputs. */
export function secrets(farm: SimFarm): string[] {
  return farm.printers.flatMap((p) => [p.credentials.password, ...(p.credentials.apiKey ? [p.credentials.apiKey] : [])]);
}

export function assertNoSecrets(text: string, secretList: string[], where: string): void {
  for (const secret of secretList) assert.ok(!text.includes(secret), `a password appears in ${where}`);
}

export async function waitFor(what: string, test: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * A port on 127.0.0.1 that refuses connections and stays that way: below 1024, where no test server
 * (they all take ephemeral ports) can start listening in the meantime, as a freed port could.
 */
export async function refusedPort(): Promise<number> {
  for (const port of [1, 3, 9, 13, 17, 19, 37, 79, 113, 119]) {
    const refused = await new Promise<boolean>((resolve) => {
      const s = new Socket();
      s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
      s.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(false);
      });
    });
    if (refused) return port;
  }
  assert.fail('no port on 127.0.0.1 refuses connections');
}

/** A TCP server that accepts connections and never answers: a printer that hangs. */
export async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    close: () => closeServer(server, sockets),
  };
}

/**
 * A TCP relay in front of a printer that, for the next `drops` uploads, passes the whole request on
 * and then cuts the client off instead of passing the answer back: the printer acted, the client
 * never heard. Everything else is relayed as is.
 */
export async function answerDroppingRelay(
  targetPort: number,
  drops: number,
): Promise<{ url: string; dropped: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let left = drops;
  let dropped = 0;
  const server = createServer((client) => {
    const upstream = new Socket();
    sockets.add(client);
    sockets.add(upstream);
    let cutThisAnswer = false;
    client.on('data', (chunk: Buffer) => {
      if (left > 0 && chunk.subarray(0, 4).toString('latin1') === 'PUT ') {
        left--;
        cutThisAnswer = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (cutThisAnswer) {
        dropped++;
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
    upstream.connect(targetPort, '127.0.0.1');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    dropped: () => dropped,
    close: () => closeServer(server, sockets),
  };
}

async function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
}
