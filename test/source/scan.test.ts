// Scanning real folders: print files kept, everything else listed with its reason, bad roots refused.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scanSource as scanWith, type ScanOptions } from '../../src/source/scan.js';
import { SourceError } from '../../src/errors.js';

const T = 1_700_000_000;

function makeTemp(): string {
  return mkdtempSync(path.join(tmpdir(), 'link-sync-scan-'));
}

/** Writes files given as POSIX paths relative to root; all get mtime T. */
function write(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, ...rel.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    utimesSync(file, T, T);
  }
}

// Every case runs twice: with the file system called synchronously (a fast local disk, the usual way) and
// through the thread pool (where a scan moves when the disk is slow, see fs-calls.ts).
for (const [way, slowCallMs] of [
  ['synchronous calls', undefined],
  ['calls in the thread pool', 0],
] as const) {
  const scanSource = (root: string, options: ScanOptions = {}) => scanWith(root, { ...options, slowCallMs });

  describe(`scanSource, ${way}`, { timeout: 60000 }, () => {
    const temps: string[] = [];
    const temp = (): string => {
      const dir = makeTemp();
      temps.push(dir);
      return dir;
    };
    after(() => {
      for (const dir of temps) rmSync(dir, { recursive: true, force: true });
    });

    describe('a folder with print files, other files and hidden ones', () => {
      let root = '';
      before(() => {
        root = temp();
        write(root, {
          'b.gcode': 'x'.repeat(7),
          'A.GCODE': 'y',
          'notes.txt': 'n',
          '.hidden.gcode': 'h',
          '.git/config': 'c',
          'parts/jigs/clip.bgcode': 'z'.repeat(3),
          'parts/readme.md': 'r',
          'parts/.cache/x.gcode': 'x',
          'other/only.stl': 's',
        });
        mkdirSync(path.join(root, 'empty'));
      });

      it('keeps print files of any case, sorted by relative POSIX path, with size and mtime', async () => {
        const tree = await scanSource(root);
        assert.equal(tree.root, root);
        assert.deepEqual(
          tree.files.map((f) => [f.relPath, f.size, f.mtimeMs, f.absPath]),
          [
            ['A.GCODE', 1, T * 1000, path.join(root, 'A.GCODE')],
            ['b.gcode', 7, T * 1000, path.join(root, 'b.gcode')],
            ['parts/jigs/clip.bgcode', 3, T * 1000, path.join(root, 'parts', 'jigs', 'clip.bgcode')],
          ],
        );
      });

      it('lists only folders that hold a print file at some depth', async () => {
        const tree = await scanSource(root);
        assert.deepEqual(tree.folders, ['parts', 'parts/jigs']);
      });

      it('lists apart the folders with nothing at all in them (an unmounted share looks so)', async () => {
        const tree = await scanSource(root);
        assert.deepEqual(tree.emptyFolders, ['empty'], 'other/ holds a non-print file: not empty');
      });

      it('lists hidden entries and non-print files as ignored, without entering hidden folders', async () => {
        const tree = await scanSource(root);
        assert.deepEqual(
          tree.ignored.map((i) => [i.relPath, i.reason]),
          [
            ['.git', 'hidden'],
            ['.hidden.gcode', 'hidden'],
            ['notes.txt', 'not-a-print-file'],
            ['other/only.stl', 'not-a-print-file'],
            ['parts/.cache', 'hidden'],
            ['parts/readme.md', 'not-a-print-file'],
          ],
        );
      });

      it('keeps only the extensions it is given', async () => {
        const tree = await scanSource(root, { extensions: ['BGCODE', 'stl'] });
        assert.deepEqual(
          tree.files.map((f) => f.relPath),
          ['other/only.stl', 'parts/jigs/clip.bgcode'],
        );
      });

      it('resolves a relative root to an absolute one', async () => {
        const relative = path.relative(process.cwd(), root);
        const tree = await scanSource(relative);
        assert.equal(tree.root, root);
        assert.equal(tree.files.length, 3);
      });
    });

    describe('symbolic links', { skip: process.platform === 'win32' ? 'symlinks need privileges on Windows' : false }, () => {
      it('follows links to files and folders outside the root', async () => {
        const outside = temp();
        write(outside, { 'shared/cube.gcode': 'cube', 'single.gcode': '12345' });
        const root = temp();
        write(root, { 'own.gcode': 'o' });
        symlinkSync(path.join(outside, 'shared'), path.join(root, 'linked'));
        symlinkSync(path.join(outside, 'single.gcode'), path.join(root, 'alias.gcode'));
        const tree = await scanSource(root);
        assert.deepEqual(
          tree.files.map((f) => [f.relPath, f.size]),
          [
            ['alias.gcode', 5],
            ['linked/cube.gcode', 4],
            ['own.gcode', 1],
          ],
        );
        assert.deepEqual(tree.folders, ['linked']);
      });

      it('follows two links to one folder without calling it a loop', async () => {
        const outside = temp();
        write(outside, { 'cube.gcode': 'c' });
        const root = temp();
        symlinkSync(outside, path.join(root, 'one'));
        symlinkSync(outside, path.join(root, 'two'));
        const tree = await scanSource(root);
        assert.deepEqual(
          tree.files.map((f) => f.relPath),
          ['one/cube.gcode', 'two/cube.gcode'],
        );
      });

      it('refuses a link loop with an error naming the link', async () => {
        const root = temp();
        write(root, { 'parts/a.gcode': 'a' });
        const link = path.join(root, 'parts', 'back');
        symlinkSync(root, link);
        await assert.rejects(scanSource(root), (error: unknown) => {
          assert.ok(error instanceof SourceError);
          assert.equal(error.code, 'SOURCE');
          assert.ok(error.message.includes(link), error.message);
          assert.ok(error.hint);
          return true;
        });
      });

      // The upload and the hash compare a plain stat's mtimeMs with the scanned one; links are statted with
      // bigint times, and a millisecond value built from those differently breaks that for many times.
      it('gives files reached through links the mtime a plain stat gives, to the last bit', async () => {
        const outside = temp();
        const root = temp();
        mkdirSync(path.join(outside, 'shared'));
        symlinkSync(path.join(outside, 'shared'), path.join(root, 'linked'));
        const files: string[] = [];
        for (let i = 0; i < 120; i++) {
          const sec = i < 4 ? -300_000_000 - i * 7_919 : T + i * 7_919;
          const nsec = String((i * 123_456_791 + 987_654_321) % 1_000_000_000).padStart(9, '0');
          const name = `f${String(i).padStart(3, '0')}.gcode`;
          const target = i % 2 === 0 ? path.join(outside, name) : path.join(outside, 'shared', name);
          writeFileSync(target, 'x');
          // touch sets all nine digits; utimes would round to microseconds.
          execFileSync('touch', ['-d', `@${sec}.${nsec}`, target]);
          if (i % 2 === 0) symlinkSync(target, path.join(root, name));
          files.push(target);
        }
        // The times chosen are ones a plain division of the nanoseconds gets wrong.
        const divided = files.filter((f) => Number(statSync(f, { bigint: true }).mtimeNs) / 1e6 !== statSync(f).mtimeMs);
        assert.ok(divided.length >= 10, `only ${divided.length} of the times tell the two apart`);
        const tree = await scanSource(root);
        assert.equal(tree.files.length, files.length);
        for (const file of tree.files) {
          assert.equal(file.mtimeMs, statSync(file.absPath).mtimeMs, file.relPath);
        }
      });

      it('lists a dangling link as unreadable and goes on', async () => {
        const root = temp();
        write(root, { 'ok.gcode': 'k' });
        symlinkSync(path.join(root, 'nowhere.gcode'), path.join(root, 'dangling.gcode'));
        const tree = await scanSource(root);
        assert.deepEqual(
          tree.files.map((f) => f.relPath),
          ['ok.gcode'],
        );
        assert.deepEqual(tree.ignored, [
          { relPath: 'dangling.gcode', reason: 'unreadable', detail: 'vanished while scanning, or a link to nothing' },
        ]);
      });
    });

    it('lists a socket as not a regular file', { skip: process.platform === 'win32' ? 'no unix sockets' : false }, async () => {
      const root = temp();
      const server = net.createServer();
      const socketPath = path.join(root, 'printer.sock');
      await new Promise<void>((resolve) => server.listen(socketPath, resolve));
      try {
        const tree = await scanSource(root);
        assert.deepEqual(tree.ignored, [{ relPath: 'printer.sock', reason: 'not-a-regular-file', detail: 'it is a socket' }]);
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });

    it('says a print file whose name is not valid UTF-8 must be renamed, not that it vanished', {
      skip: process.platform !== 'linux' ? 'names are bytes only on Linux file systems' : false,
    }, async () => {
      const root = temp();
      write(root, { 'ok.gcode': 'G1' });
      // "café.gcode" in Latin-1: the é is one byte, 0xE9, which is no UTF-8.
      writeFileSync(Buffer.concat([Buffer.from(`${root}/caf`), Buffer.from([0xe9]), Buffer.from('.gcode')]), 'G1');
      const tree = await scanSource(root);
      assert.deepEqual(
        tree.files.map((f) => f.relPath),
        ['ok.gcode'],
      );
      assert.deepEqual(tree.ignored, [
        {
          relPath: 'caf\uFFFD.gcode',
          reason: 'unreadable',
          detail: 'its name is not valid UTF-8, so it cannot be opened by name: rename it',
        },
      ]);
    });

    it('refuses a missing root with a hint', async () => {
      const missing = path.join(temp(), 'not-here');
      await assert.rejects(scanSource(missing), (error: unknown) => {
        assert.ok(error instanceof SourceError);
        assert.equal(error.message, `source folder ${missing} does not exist`);
        assert.ok(error.hint);
        return true;
      });
    });

    it('refuses a root that is a file', async () => {
      const root = temp();
      write(root, { 'a.gcode': 'a' });
      const file = path.join(root, 'a.gcode');
      await assert.rejects(scanSource(file), (error: unknown) => {
        assert.ok(error instanceof SourceError);
        assert.match(error.message, /is not a folder/);
        return true;
      });
    });

    // More folders and files than calls in flight (32), in order; 10,000 files are timed by `npm run bench`
    // (scenario no-change), which scans a tree of that size.
    it('scans 2,000 files in 100 folders', async () => {
      const root = temp();
      for (let d = 0; d < 100; d++) {
        const dir = path.join(root, `d${String(d).padStart(3, '0')}`);
        mkdirSync(dir);
        for (let f = 0; f < 20; f++) writeFileSync(path.join(dir, `f${String(f).padStart(3, '0')}.gcode`), '');
      }
      const tree = await scanSource(root);
      assert.equal(tree.files.length, 2_000);
      assert.equal(tree.folders.length, 100);
      assert.equal(tree.files[0]!.relPath, 'd000/f000.gcode');
      assert.equal(tree.files[1999]!.relPath, 'd099/f019.gcode');
    });
  });
}
