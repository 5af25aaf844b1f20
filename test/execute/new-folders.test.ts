// Uploads that create their folders first, run against a simulated Buddy: one level at a time, each
// folder then addressed by the short name the printer lists, and never a PUT path over its limit.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { executePlan, type ExecuteContext } from '../../src/execute/executor.js';
import { BUDDY_RULES } from '../../src/printer/rules.js';
import { startPrinter, type SimPrinter, type SimPrinterOptions, type SimRequestLogEntry } from '../../src/simulator/index.js';
import type { Action, NewFolders, SourceFile } from '../../src/types.js';
import type { SyncEvent } from '../../src/report/events.js';
import { apiFor } from '../contract/support.js';
import { tempDir } from '../helpers/fixtures.js';

const T = { timeout: 20_000 };

const FOLDERS = ['Customers', 'Acme Corporation', '2026 Orders', 'Bracket Assembly v2'];
const LEFT = `${FOLDERS.join('/')}/bracket-left-0.2mm-PLA-MK4-infill-20pct.gcode`;
const RIGHT = `${FOLDERS.join('/')}/bracket-right-0.2mm-PLA-MK4-infill-20pct.gcode`;
const NEW: NewFolders = { parentUrl: '', parentPath: '', names: FOLDERS };

interface Bench {
  sim: SimPrinter;
  events: SyncEvent[];
  file(rel: string, content: string): SourceFile;
  context(): ExecuteContext;
}

async function withBench(options: SimPrinterOptions, run: (b: Bench) => Promise<void>): Promise<void> {
  const sim = await startPrinter(options);
  const work = tempDir();
  const api = apiFor(sim);
  const events: SyncEvent[] = [];
  try {
    await run({
      sim,
      events,
      file(rel, content) {
        const absPath = path.join(work.dir, rel.replace(/\//g, '_'));
        writeFileSync(absPath, content);
        return { relPath: rel, absPath, size: Buffer.byteLength(content), mtimeMs: statSync(absPath).mtimeMs };
      },
      context: () => ({
        printer: 'p1',
        api,
        storage: sim.storage,
        emit: (e) => events.push(e),
        recheck: async () => undefined,
        rules: BUDDY_RULES,
      }),
    });
  } finally {
    api.close();
    await sim.close();
    work.cleanup();
  }
}

const plan = (actions: Action[]) => ({ actions, problems: [], holds: [], unchanged: 0, uploadBytes: 0 });
const creating = (source: SourceFile, newFolders = NEW): Action => ({
  kind: 'upload',
  path: source.relPath,
  targetUrl: source.relPath,
  source,
  reason: 'missing on printer',
  newFolders,
});

const puts = (sim: SimPrinter): SimRequestLogEntry[] => sim.requests().filter((r) => r.method === 'PUT');
const folderPuts = (sim: SimPrinter): string[] =>
  puts(sim)
    .filter((r) => r.headers['create-folder'] === '?1')
    .map((r) => decoded(r));
/** The PUT path as the firmware decodes it, "/usb/..." */
const decoded = (r: SimRequestLogEntry): string => decodeURIComponent(r.target.slice('/api/v1/files'.length));
const longestPut = (sim: SimPrinter): number => Math.max(...puts(sim).map((r) => Buffer.byteLength(decoded(r))));

describe('uploads that create their folders first', () => {
  test('creates each folder one level at a time by the short names above it, then uploads under short names', T, () =>
    withBench({ model: 'MK4' }, async (b) => {
      const result = await executePlan(plan([creating(b.file(LEFT, 'G28 ; left\n'))]), b.context());
      assert.equal(result.failed, 0, JSON.stringify(b.events));
      assert.equal(b.sim.readFile(LEFT)?.toString(), 'G28 ; left\n');
      assert.deepEqual(folderPuts(b.sim), [
        '/usb/Customers',
        '/usb/CUSTOM~1/Acme Corporation',
        '/usb/CUSTOM~1/ACMECO~1/2026 Orders',
        '/usb/CUSTOM~1/ACMECO~1/2026OR~1/Bracket Assembly v2',
      ]);
      // The file keeps its long name: Buddy names it after the last part of the PUT path.
      assert.equal(decoded(puts(b.sim).at(-1)!), '/usb/CUSTOM~1/ACMECO~1/2026OR~1/BRACKE~1/bracket-left-0.2mm-PLA-MK4-infill-20pct.gcode');
      assert.ok(longestPut(b.sim) <= 103);
    }),
  );

  test('files sharing new folders create each folder once', T, () =>
    withBench({ model: 'MK4' }, async (b) => {
      const result = await executePlan(plan([creating(b.file(LEFT, 'L')), creating(b.file(RIGHT, 'R'))]), b.context());
      assert.equal(result.done.upload, 2, JSON.stringify(b.events));
      assert.equal(folderPuts(b.sim).length, 4);
      assert.equal(b.sim.readFile(RIGHT)?.toString(), 'R');
    }),
  );

  test('a folder that exists by then (409) is listed and used by its short name', T, () =>
    withBench({ model: 'MK4' }, async (b) => {
      b.sim.seedFolder('Customers/Acme Corporation');
      const result = await executePlan(plan([creating(b.file(LEFT, 'L'))]), b.context());
      assert.equal(result.failed, 0, JSON.stringify(b.events));
      assert.deepEqual(
        puts(b.sim)
          .filter((r) => r.headers['create-folder'] === '?1')
          .map((r) => r.status),
        [409, 409, 201, 201],
      );
      assert.equal(b.sim.readFile(LEFT)?.toString(), 'L');
    }),
  );

  test('a printer without Create-Folder: the upload fails naming the folder, and no PUT goes over the limit', T, () =>
    withBench({ model: 'MK4', createFolder: false }, async (b) => {
      b.sim.seed('old.gcode', 'OLD');
      const short = b.file('short.gcode', 'S');
      const shortUpload: Action = {
        kind: 'upload',
        path: 'short.gcode',
        targetUrl: 'short.gcode',
        source: short,
        reason: 'missing on printer',
      };
      const remove: Action = { kind: 'delete', path: 'old.gcode', targetUrl: 'old.gcode', reason: 'not in source folder' };
      const result = await executePlan(plan([creating(b.file(LEFT, 'L')), creating(b.file(RIGHT, 'R')), shortUpload, remove]), b.context());
      assert.equal(result.failed, 2);
      assert.equal(result.done.upload, 1);
      assert.equal(result.notRun, 1, 'the deletion is withheld');
      assert.ok(b.sim.readFile('old.gcode'));
      assert.ok(b.sim.readFile('short.gcode'));
      const failures = b.events.flatMap((e) => (e.type === 'action-failed' ? [e.error] : []));
      assert.equal(failures.length, 2);
      for (const error of failures) {
        assert.match(error.message, /did not create its folder \/usb\/Customers \(creating folder Customers refused: 501/);
        assert.match(error.hint ?? '', /shorten the folder or file names, or update the printer's firmware/);
      }
      // One request for the folder; the second upload needing it fails without another.
      assert.deepEqual(folderPuts(b.sim), ['/usb/Customers']);
      assert.ok(longestPut(b.sim) <= 103);
      assert.deepEqual(
        b.sim
          .files()
          .map((f) => f.path)
          .sort(),
        ['old.gcode', 'short.gcode'],
      );
    }),
  );
});
