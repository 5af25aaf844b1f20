// The planner's decisions and safety rules, from small tables of local and remote files.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planPrinter, type PlanInput } from '../../src/plan/plan.js';
import type { Action, PrinterPlan } from '../../src/types.js';
import { BUDDY, PI, POLICY, T, folder, local, remoteFile, remoteOf, sourceOf } from './builders.js';

/** Actions as compact tuples: [kind, path, targetUrl]. */
const steps = (plan: PrinterPlan): Array<[Action['kind'], string, string]> =>
  plan.actions.map((action) => [action.kind, action.path, action.targetUrl]);
const holdsOf = (plan: PrinterPlan): string[][] => plan.holds.map((h) => [h.path, h.reason, h.wouldHave]);
const problemsOf = (plan: PrinterPlan): string[][] => plan.problems.map((p) => [p.path, p.code]);
const plan = (input: Partial<PlanInput> & Pick<PlanInput, 'source' | 'remote'>): PrinterPlan =>
  planPrinter({ rules: BUDDY, policy: POLICY, ...input });

/** A Buddy sync root "farm" with short name FARM and one folder "Parts" (PARTS~1) holding Benchy. */
const buddyFarm = (benchy = {}) =>
  remoteOf({
    root: 'farm',
    rootUrl: 'FARM',
    folders: [folder('Parts', 'PARTS~1')],
    files: [remoteFile('Parts/Benchy.gcode', { urlPath: 'PARTS~1/BENCHY~1.GCO', size: undefined, ...benchy })],
  });

describe('planPrinter', { timeout: 10000 }, () => {
  it('uploads everything to an empty printer whose sync root does not exist yet', () => {
    const result = plan({
      source: sourceOf(local('a.gcode', { size: 10 }), local('parts/jigs/b.bgcode', { size: 32 })),
      remote: remoteOf({ root: 'farm/new', rootUrl: 'FARM/new', rootExists: false }),
    });
    assert.deepEqual(steps(result), [
      ['upload', 'a.gcode', 'FARM/new/a.gcode'],
      ['upload', 'parts/jigs/b.bgcode', 'FARM/new/parts/jigs/b.bgcode'],
    ]);
    assert.ok(result.actions.every((a) => a.reason === 'missing on printer'));
    assert.equal(result.uploadBytes, 42);
    assert.equal(result.unchanged, 0);
  });

  it('names a path too long for the printer by its long names, the short request path in parentheses', () => {
    const name = `${'n'.repeat(90)}.gcode`;
    const result = plan({ source: sourceOf(local('Parts/Benchy.gcode'), local(`Parts/${name}`)), remote: buddyFarm() });
    assert.deepEqual(steps(result), []);
    assert.equal(result.problems.length, 1);
    const message = result.problems[0]!.message;
    // The bytes counted are those of the request (short folder names); the path shown first is the long one.
    assert.equal(
      message,
      `the path on the printer, "/usb/farm/Parts/${name}" (requested as "/usb/FARM/PARTS~1/${name}"), is 114 bytes; the printer accepts at most 103: shorten the file or folder names`,
    );
  });

  it('addresses existing folders by short name and new ones by long name', () => {
    const result = plan({
      source: sourceOf(local('Parts/Benchy.gcode'), local('parts/Jigs/clip.gcode'), local('Parts/cube.gcode')),
      remote: buddyFarm(),
    });
    assert.deepEqual(steps(result), [
      ['upload', 'Parts/cube.gcode', 'FARM/PARTS~1/cube.gcode'],
      ['upload', 'parts/Jigs/clip.gcode', 'FARM/PARTS~1/Jigs/clip.gcode'],
    ]);
    assert.equal(result.unchanged, 1);
  });

  it('leaves files in sync alone and counts them', () => {
    const result = plan({
      source: sourceOf(local('a.gcode'), local('sub/b.gcode', { mtimeSec: T + 30 })),
      remote: remoteOf({ files: [remoteFile('a.gcode'), remoteFile('sub/b.gcode')] }),
    });
    assert.deepEqual(result.actions, []);
    assert.equal(result.unchanged, 2);
    assert.equal(result.uploadBytes, 0);
  });

  it("replaces a stale file through its folder's short path and its own long name (Buddy names the file after the PUT path)", () => {
    const result = plan({ source: sourceOf(local('Parts/Benchy.gcode', { mtimeSec: T + 7500, size: 2048 })), remote: buddyFarm() });
    assert.deepEqual(steps(result), [['replace', 'Parts/Benchy.gcode', 'FARM/PARTS~1/Benchy.gcode']]);
    assert.equal(result.actions[0]!.reason, 'local copy newer by 2 h 5 min');
    assert.equal(result.uploadBytes, 2048);
  });

  it('replaces a file whose size differs', () => {
    const result = plan({
      source: sourceOf(local('a.gcode', { size: 1_200_000 })),
      remote: remoteOf({ files: [remoteFile('a.gcode', { size: 1_100_000 })] }),
    });
    assert.deepEqual(steps(result), [['replace', 'a.gcode', 'a.gcode']]);
    assert.match(result.actions[0]!.reason, /size differs/);
  });

  it('deletes extra files, then removes the folders they leave empty, deepest first', () => {
    const result = plan({
      source: sourceOf(local('keep/a.gcode')),
      remote: remoteOf({
        files: [remoteFile('keep/a.gcode'), remoteFile('old/deep/x.gcode'), remoteFile('old/y.gcode'), remoteFile('z.gcode')],
        folders: [folder('old/empty'), folder('keep/empty')],
      }),
    });
    assert.deepEqual(steps(result), [
      ['delete', 'old/deep/x.gcode', 'old/deep/x.gcode'],
      ['delete', 'old/y.gcode', 'old/y.gcode'],
      ['delete', 'z.gcode', 'z.gcode'],
      ['rmdir', 'keep/empty', 'keep/empty'],
      ['rmdir', 'old/deep', 'old/deep'],
      ['rmdir', 'old/empty', 'old/empty'],
      ['rmdir', 'old', 'old'],
    ]);
    assert.equal(result.unchanged, 1);
  });

  it('holds the deletion of files under a local folder with nothing in it (a share not mounted), and keeps that folder', () => {
    const result = plan({
      source: { ...sourceOf(local('top.gcode')), emptyFolders: ['Parts'] },
      remote: remoteOf({
        files: [remoteFile('top.gcode'), remoteFile('parts/a.gcode'), remoteFile('parts/deep/b.gcode'), remoteFile('old/c.gcode')],
        folders: [folder('parts/empty')],
      }),
    });
    assert.deepEqual(steps(result), [
      ['delete', 'old/c.gcode', 'old/c.gcode'],
      ['rmdir', 'parts/empty', 'parts/empty'],
      ['rmdir', 'old', 'old'],
    ]);
    assert.deepEqual(
      result.holds.map((h) => [h.path, h.reason, h.localFolder]),
      [
        ['parts/a.gcode', 'empty-local-folder', 'Parts'],
        ['parts/deep/b.gcode', 'empty-local-folder', 'Parts'],
      ],
    );
  });

  it('keeps a folder that still holds a file after deletions, whichever of its files is listed first', () => {
    for (const order of [
      ['old/sub/x.gcode', 'old/sub/notes.txt'],
      ['old/sub/notes.txt', 'old/sub/x.gcode'],
    ]) {
      const result = plan({
        source: sourceOf(local('a.gcode')),
        remote: remoteOf({
          files: [remoteFile('a.gcode'), ...order.map((path) => remoteFile(path))],
          folders: [folder('old/sub'), folder('old'), folder('gone/sub'), folder('gone')],
        }),
      });
      assert.deepEqual(
        steps(result),
        [
          ['delete', 'old/sub/x.gcode', 'old/sub/x.gcode'],
          ['rmdir', 'gone/sub', 'gone/sub'],
          ['rmdir', 'gone', 'gone'],
        ],
        order.join(', '),
      );
      assert.deepEqual(holdsOf(result), [['old/sub/notes.txt', 'not-a-print-file', 'delete']]);
    }
  });

  it('orders uploads and replaces by path, then deletes, then folder removals', () => {
    const result = plan({
      source: sourceOf(local('b.gcode', { size: 1 }), local('c.gcode'), local('a.gcode')),
      remote: remoteOf({ files: [remoteFile('b.gcode'), remoteFile('gone/x.gcode'), remoteFile('d.gcode')] }),
    });
    assert.deepEqual(
      result.actions.map((a) => `${a.kind} ${a.path}`),
      ['upload a.gcode', 'replace b.gcode', 'upload c.gcode', 'delete d.gcode', 'delete gone/x.gcode', 'rmdir gone'],
    );
  });

  it('deletes nothing and removes no folder when deletions are off', () => {
    const result = plan({
      source: sourceOf(local('a.gcode')),
      remote: remoteOf({ files: [remoteFile('old/x.gcode'), remoteFile('notes.txt')], folders: [folder('empty')] }),
      policy: { ...POLICY, deleteExtraneous: false },
    });
    assert.deepEqual(steps(result), [['upload', 'a.gcode', 'a.gcode']]);
    assert.deepEqual(result.holds, []);
  });

  it('keeps a folder that holds a file of another kind, and that file (Pi)', () => {
    const result = plan({
      source: sourceOf(),
      remote: remoteOf({ storage: 'local', files: [remoteFile('docs/notes.txt'), remoteFile('docs/old.gcode')] }),
      rules: PI,
    });
    assert.deepEqual(steps(result), [['delete', 'docs/old.gcode', 'docs/old.gcode']]);
    assert.deepEqual(holdsOf(result), [['docs/notes.txt', 'not-a-print-file', 'delete']]);
  });

  it('never touches partial downloads, and keeps the folder holding one', () => {
    const result = plan({
      source: sourceOf(local('incoming/same-name.gcode', { mtimeSec: T + 9999 })),
      remote: remoteOf({
        files: [
          remoteFile('dl/part.bgcode', { partial: true, readOnly: true, size: undefined }),
          remoteFile('incoming/same-name.gcode', { partial: true, readOnly: true, size: undefined }),
        ],
      }),
    });
    assert.deepEqual(result.actions, []);
    assert.deepEqual(holdsOf(result), [
      ['dl/part.bgcode', 'partial-download', 'delete'],
      ['incoming/same-name.gcode', 'partial-download', 'replace'],
    ]);
  });

  it('holds read-only files instead of replacing or deleting them', () => {
    const result = plan({
      source: sourceOf(local('a.gcode', { mtimeSec: T + 61 })),
      remote: remoteOf({ files: [remoteFile('a.gcode', { readOnly: true }), remoteFile('ro/b.gcode', { readOnly: true })] }),
    });
    assert.deepEqual(result.actions, []);
    assert.deepEqual(holdsOf(result), [
      ['a.gcode', 'read-only', 'replace'],
      ['ro/b.gcode', 'read-only', 'delete'],
    ]);
  });

  describe('the file being printed', () => {
    const forms: Array<[string, string]> = [
      ['its long path', 'farm/Parts/Benchy.gcode'],
      ['its long path in another case', 'FARM/parts/benchy.GCODE'],
      ['its short path', 'FARM/PARTS~1/BENCHY~1.GCO'],
      ['short folders and its long name', 'FARM/PARTS~1/Benchy.gcode'],
      ['a path with the storage in front', '/usb/FARM/PARTS~1/BENCHY~1.GCO'],
    ];
    for (const [name, printed] of forms) {
      it(`is never replaced when the printer names it by ${name}`, () => {
        const result = plan({
          source: sourceOf(local('Parts/Benchy.gcode', { mtimeSec: T + 3600 }), local('Parts/cube.gcode')),
          remote: buddyFarm(),
          printing: { paths: [printed] },
        });
        assert.deepEqual(steps(result), [['upload', 'Parts/cube.gcode', 'FARM/PARTS~1/cube.gcode']]);
        assert.deepEqual(holdsOf(result), [['Parts/Benchy.gcode', 'being-printed', 'replace']]);
      });
    }

    it('is never deleted, and its folder stays', () => {
      const result = plan({ source: sourceOf(), remote: buddyFarm(), printing: { paths: ['FARM/PARTS~1/BENCHY~1.GCO'] } });
      assert.deepEqual(result.actions, []);
      assert.deepEqual(holdsOf(result), [['Parts/Benchy.gcode', 'being-printed', 'delete']]);
    });

    it('does not hold another file whose name only resembles it', () => {
      const result = plan({ source: sourceOf(), remote: buddyFarm(), printing: { paths: ['FARM/Benchy.gcode'] } });
      assert.deepEqual(steps(result), [
        ['delete', 'Parts/Benchy.gcode', 'FARM/PARTS~1/BENCHY~1.GCO'],
        ['rmdir', 'Parts', 'FARM/PARTS~1'],
      ]);
    });

    it('compares case exactly on a Pi', () => {
      const remote = remoteOf({ storage: 'local', files: [remoteFile('a.gcode'), remoteFile('A.gcode')] });
      const result = plan({ source: sourceOf(), remote, rules: PI, printing: { paths: ['a.gcode'] } });
      assert.deepEqual(steps(result), [['delete', 'A.gcode', 'A.gcode']]);
      assert.deepEqual(holdsOf(result), [['a.gcode', 'being-printed', 'delete']]);
    });

    it('holds every replace and delete when the printer does not say which file it prints', () => {
      const result = plan({
        source: sourceOf(local('a.gcode', { mtimeSec: T + 3600 }), local('new.gcode')),
        remote: remoteOf({ files: [remoteFile('a.gcode'), remoteFile('old/b.gcode')], folders: [folder('empty')] }),
        printing: { paths: [] },
      });
      assert.deepEqual(steps(result), [
        ['upload', 'new.gcode', 'new.gcode'],
        ['rmdir', 'empty', 'empty'],
      ]);
      assert.deepEqual(holdsOf(result), [
        ['a.gcode', 'being-printed', 'replace'],
        ['old/b.gcode', 'being-printed', 'delete'],
      ]);
    });
  });

  describe('names the printer cannot store', () => {
    /** A relative path of exactly `bytes` bytes under "parts/". */
    const pathOf = (bytes: number): string => `parts/${'n'.repeat(bytes - 'parts/'.length - '.gcode'.length)}.gcode`;

    it('uploads a 98-byte path to Buddy and refuses a 99-byte one', () => {
      const result = plan({ source: sourceOf(local(pathOf(98)), local(pathOf(99))), remote: remoteOf() });
      assert.deepEqual(steps(result), [['upload', pathOf(98), pathOf(98)]]);
      assert.deepEqual(problemsOf(result), [[pathOf(99), 'PATH_TOO_LONG']]);
    });

    it('fits a long name under an existing folder addressed by its short name', () => {
      const long = `${'long folder name '.repeat(3).trim()}/${'n'.repeat(60)}.gcode`;
      const source = sourceOf(local(long));
      // Without the folder, it is created first (see new-folders.test.ts).
      const withoutFolder = plan({ source, remote: remoteOf() });
      assert.deepEqual(problemsOf(withoutFolder), []);
      assert.deepEqual(
        withoutFolder.actions.map((a) => a.kind === 'upload' && a.newFolders?.names),
        [['long folder name long folder name long folder name']],
      );
      const withFolder = plan({
        source,
        remote: remoteOf({ folders: [folder('long folder name long folder name long folder name', 'LONGFO~1')] }),
      });
      assert.deepEqual(problemsOf(withFolder), []);
      assert.deepEqual(steps(withFolder), [['upload', long, `LONGFO~1/${'n'.repeat(60)}.gcode`]]);
    });

    it('counts the sync root in the limits', () => {
      const result = plan({ source: sourceOf(local(pathOf(98))), remote: remoteOf({ root: 'farm', rootUrl: 'FARM' }) });
      assert.deepEqual(problemsOf(result), [[pathOf(98), 'PATH_TOO_LONG']]);
    });

    it('refuses a non-ASCII name whose URL is too long', () => {
      const name = `Ünïcödé-${'é'.repeat(22)}.gcode`;
      const result = plan({ source: sourceOf(local(name), local('ok.gcode')), remote: remoteOf() });
      assert.deepEqual(problemsOf(result), [[name, 'URL_TOO_LONG']]);
      assert.deepEqual(steps(result), [['upload', 'ok.gcode', 'ok.gcode']]);
    });

    it('refuses forbidden characters and trailing dots as problems, not actions', () => {
      const result = plan({ source: sourceOf(local('a:b.gcode'), local('v2./c.gcode'), local('fine.gcode')), remote: remoteOf() });
      assert.deepEqual(problemsOf(result), [
        ['a:b.gcode', 'FORBIDDEN_CHARACTER'],
        ['v2./c.gcode', 'TRAILING_DOT_OR_SPACE'],
      ]);
      assert.deepEqual(steps(result), [['upload', 'fine.gcode', 'fine.gcode']]);
    });

    it('refuses bgcode on a Pi that does not take it', () => {
      const result = plan({ source: sourceOf(local('a.bgcode')), remote: remoteOf({ storage: 'local' }), rules: PI });
      assert.deepEqual(problemsOf(result), [['a.bgcode', 'NOT_PRINTABLE']]);
      assert.deepEqual(result.actions, []);
    });

    it('neither uploads nor deletes files whose local names collide', () => {
      const result = plan({
        source: sourceOf(local('A.gcode'), local('a.gcode')),
        remote: remoteOf({ files: [remoteFile('a.gcode', { size: 1 })] }),
      });
      assert.deepEqual(result.actions, []);
      assert.deepEqual(problemsOf(result), [
        ['A.gcode', 'CASE_COLLISION'],
        ['a.gcode', 'CASE_COLLISION'],
      ]);
    });

    it('clears a remote folder that stands where a local file goes, and reports the file', () => {
      const result = plan({ source: sourceOf(local('cube.gcode')), remote: remoteOf({ files: [remoteFile('cube.gcode/x.gcode')] }) });
      assert.deepEqual(problemsOf(result), [['cube.gcode', 'FOLDER_IS_FILE']]);
      assert.deepEqual(steps(result), [
        ['delete', 'cube.gcode/x.gcode', 'cube.gcode/x.gcode'],
        ['rmdir', 'cube.gcode', 'cube.gcode'],
      ]);
    });
  });

  it('does not change its input and gives the same plan twice', () => {
    const input: PlanInput = {
      source: sourceOf(local('b.gcode'), local('a.gcode', { mtimeSec: T + 100 })),
      remote: remoteOf({ files: [remoteFile('a.gcode'), remoteFile('z/old.gcode')] }),
      rules: BUDDY,
      policy: POLICY,
    };
    const before = structuredClone(input);
    const first = planPrinter(input);
    assert.deepEqual(input, before);
    assert.deepEqual(planPrinter(input), first);
    assert.equal(first.actions.length, 4);
  });
});
