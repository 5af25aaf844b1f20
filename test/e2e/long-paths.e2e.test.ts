// End to end: paths too long for a Buddy with their new folders' long names. The CLI creates those
// folders first and addresses them by short name; a Pi just uploads; what cannot fit stays refused.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { SimPrinter, SimRequestLogEntry } from '../../src/simulator/index.js';
import { perPrinter } from '../helpers/dry-run.js';
import { gcode, remoteTree, writeTree } from '../helpers/fixtures.js';
import { useWorkspace } from '../helpers/workspace.js';

const FOLDERS = 'Customers/Acme Corporation/2026 Orders/Bracket Assembly v2';
/** 109 and 110 bytes as "/usb/" + path with long names. */
const LEFT = `${FOLDERS}/bracket-left-0.2mm-PLA-MK4-infill-20pct.gcode`;
const RIGHT = `${FOLDERS}/bracket-right-0.2mm-PLA-MK4-infill-20pct.gcode`;
const MUTATING = new Set(['PUT', 'POST', 'DELETE']);

const puts = (p: SimPrinter): SimRequestLogEntry[] => p.requests().filter((r) => r.method === 'PUT');
const decoded = (r: SimRequestLogEntry): string => decodeURIComponent(r.target.replace(/^\/api\/v1\/files/, ''));
const folderPuts = (p: SimPrinter): string[] =>
  puts(p)
    .filter((r) => r.headers['create-folder'] === '?1')
    .map(decoded);
const longestPut = (p: SimPrinter): number => Math.max(0, ...puts(p).map((r) => Buffer.byteLength(decoded(r))));

describe('deep paths of new long-named folders', { timeout: 120_000 }, () => {
  const ws = useWorkspace({
    printers: [
      { name: 'mk4', model: 'MK4' },
      { name: 'mk3s', model: 'MK3S' },
    ],
    master: { [LEFT]: gcode('left', 1500), [RIGHT]: gcode('right', 1500), 'top.gcode': gcode('top', 500) },
    env: (dir) => ({ XDG_STATE_HOME: path.join(dir, 'state') }),
  });

  test('a first sync onto empty printers stores them (Buddy creates the folders first); the next run plans nothing', async () => {
    const dry = await ws.sync();
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    const lines = perPrinter(dry.stdout);
    assert.match(
      lines,
      new RegExp(
        `mk4: upload ${LEFT} \\(1\\.5 kB\\): missing on printer \\(creates 4 folders down to /usb/${FOLDERS} first: its path is too long with long folder names\\)`,
      ),
    );
    assert.match(
      lines,
      new RegExp(`mk4: upload ${RIGHT} \\(1\\.5 kB\\): missing on printer \\(into new folder /usb/${FOLDERS}, by its short name`),
    );
    assert.doesNotMatch(lines, /mk3s: .*creates/);

    const first = await ws.sync('--go');
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const mk4 = ws.printer('mk4');
    const mk3s = ws.printer('mk3s');
    for (const p of [mk4, mk3s]) {
      assert.deepEqual(remoteTree(p), [LEFT, RIGHT, 'top.gcode'].sort(), p.name);
      assert.equal(p.readFile(LEFT)?.toString(), gcode('left', 1500), p.name);
    }
    assert.equal(folderPuts(mk4).length, 4, 'each folder created once');
    assert.ok(longestPut(mk4) <= 103, `a PUT path of ${longestPut(mk4)} bytes`);
    assert.deepEqual(folderPuts(mk3s), [], 'a Pi has no limit: it creates nothing');

    for (const p of [mk4, mk3s]) p.clearRequests();
    const second = await ws.sync('--go');
    assert.equal(second.code, 0, second.stdout + second.stderr);
    for (const p of [mk4, mk3s]) {
      assert.match(
        perPrinter(second.stdout),
        new RegExp(`${p.name}: 0 missing to upload, 0 stale to refresh, 0 files to delete, 3 unchanged`),
      );
      assert.deepEqual(
        p.requests().filter((r) => MUTATING.has(r.method)),
        [],
        p.name,
      );
    }
  });

  test('a path too long even with short folder names stays PATH_TOO_LONG and is never sent', async () => {
    const hopeless = `Customers/Acme Corporation/${'n'.repeat(80)}.gcode`;
    writeTree(ws.master, { [hopeless]: gcode('hopeless', 300) });
    const run = await ws.sync('--go', '-p', 'mk4');
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const mk4 = ws.printer('mk4');
    assert.match(
      run.stdout + run.stderr,
      new RegExp(`cannot sync ${hopeless}: the path on the printer, .* is 118 bytes; the printer accepts at most 103`),
    );
    assert.deepEqual(remoteTree(mk4), [LEFT, RIGHT, 'top.gcode'].sort());
    assert.ok(longestPut(mk4) <= 103, `a PUT path of ${longestPut(mk4)} bytes`);
  });
});

describe('new folders under a destination, and firmware without Create-Folder', { timeout: 120_000 }, () => {
  const DEST = 'farm/Customer Archive';
  /** 106 bytes as "/usb/farm/Customer Archive/" + path with long names. */
  const FILE = 'Acme Corporation/2026 Orders/bracket-left-0.2mm-PLA-MK4-infill-20pct-v2-a.gcode';
  const ws = useWorkspace({
    printers: [
      { name: 'mk4', model: 'MK4' },
      { name: 'old-mk4', model: 'MK4', createFolder: false },
    ],
    master: { [FILE]: gcode('deep', 800), 'short.gcode': gcode('short', 300) },
    env: (dir) => ({ XDG_STATE_HOME: path.join(dir, 'state') }),
  });

  test('a destination that does not exist yet is created too, folder by folder', async () => {
    const run = await ws.sync('--go', '-p', 'mk4', '-d', DEST);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const mk4 = ws.printer('mk4');
    assert.deepEqual(remoteTree(mk4), [`${DEST}/${FILE}`, `${DEST}/short.gcode`]);
    assert.deepEqual(folderPuts(mk4), [
      '/usb/farm',
      '/usb/FARM/Customer Archive',
      '/usb/FARM/CUSTOM~1/Acme Corporation',
      '/usb/FARM/CUSTOM~1/ACMECO~1/2026 Orders',
    ]);
    assert.ok(longestPut(mk4) <= 103, `a PUT path of ${longestPut(mk4)} bytes`);
    mk4.clearRequests();
    const again = await ws.sync('--go', '-p', 'mk4', '-d', DEST);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.deepEqual(
      mk4.requests().filter((r) => MUTATING.has(r.method)),
      [],
    );
  });

  test('a printer that will not create folders: a clear failure, nothing over the limit sent, deletions withheld', async () => {
    const old = ws.printer('old-mk4');
    old.seed(`${DEST}/old.gcode`, gcode('old', 200));
    // 106 bytes as "/usb/FARM/CUSTOM~1/" + path with long names.
    const globex = 'Globex Industries/2026 Orders/globex-bracket-0.2mm-PLA-MK4-infill-20pct-rev2-left.gcode';
    writeTree(ws.master, { [globex]: gcode('globex', 400) });
    const run = await ws.sync('--go', '-p', 'old-mk4', '-d', DEST);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const out = run.stdout + run.stderr;
    assert.match(out, new RegExp(`${globex}.*did not create its folder /usb/${DEST}/Globex Industries`));
    assert.match(out, /shorten the folder or file names, or update the printer's firmware/);
    assert.deepEqual(
      remoteTree(old),
      [`${DEST}/${FILE}`, `${DEST}/old.gcode`, `${DEST}/short.gcode`],
      'the files that fit are stored, nothing is deleted',
    );
    assert.deepEqual(folderPuts(old), ['/usb/FARM/CUSTOM~1/Globex Industries']);
    assert.ok(longestPut(old) <= 103, `a PUT path of ${longestPut(old)} bytes`);
  });
});
