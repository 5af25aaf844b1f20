// Uploads too long only because their new folders would go by long names: planned to create those
// folders first (Buddy), or kept as PATH_TOO_LONG when even short names would not fit.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planPrinter, type PlanInput } from '../../src/plan/plan.js';
import type { NewFolders, PrinterPlan } from '../../src/types.js';
import { BUDDY, PI, POLICY, folder, local, remoteOf, sourceOf } from './builders.js';

const plan = (input: Partial<PlanInput> & Pick<PlanInput, 'source' | 'remote'>): PrinterPlan =>
  planPrinter({ rules: BUDDY, policy: POLICY, ...input });

const problemsOf = (p: PrinterPlan): string[][] => p.problems.map((x) => [x.path, x.code]);
/** Uploads as [path, targetUrl, newFolders]. */
const uploadsOf = (p: PrinterPlan): Array<[string, string, NewFolders | undefined]> =>
  p.actions.map((a) => [a.path, a.targetUrl, a.kind === 'upload' ? a.newFolders : undefined]);
const reasonsOf = (p: PrinterPlan): string[] => p.actions.map((a) => a.reason);

const FOLDERS = ['Customers', 'Acme Corporation', '2026 Orders', 'Bracket Assembly v2'];
/** 109 bytes as "/usb/" + path with long names; 86 with the short names FatFS gives, 102 at worst. */
const DEEP = `${FOLDERS.join('/')}/bracket-left-0.2mm-PLA-MK4-infill-20pct.gcode`;
const WHY = 'its path is too long with long folder names';

describe('uploads that create their folders first', { timeout: 10_000 }, () => {
  it('plans a deep path of new long-named folders as an upload that creates them, outermost first', () => {
    const result = plan({ source: sourceOf(local(DEEP)), remote: remoteOf() });
    assert.deepEqual(problemsOf(result), []);
    assert.deepEqual(uploadsOf(result), [[DEEP, DEEP, { parentUrl: '', parentPath: '', names: FOLDERS }]]);
    assert.deepEqual(reasonsOf(result), [`missing on printer (creates 4 folders down to /usb/${FOLDERS.join('/')} first: ${WHY})`]);
  });

  it('counts 8 bytes for a new folder whose name has no dot (its short name has no extension)', () => {
    // 114 bytes with long names under /usb/farm; 91 with short names of 8 bytes, 107 were they 12.
    const path = `${FOLDERS.join('/')}/bracket-left-0.2mm-PLA-MK4-infill-20pct.gcode`;
    const result = plan({ source: sourceOf(local(path)), remote: remoteOf({ root: 'farm', rootUrl: 'FARM' }) });
    assert.deepEqual(problemsOf(result), []);
    assert.deepEqual(uploadsOf(result), [[path, `FARM/${path}`, { parentUrl: 'FARM', parentPath: 'farm', names: FOLDERS }]]);
  });

  it('counts the extension a dotted folder name gives its short name', () => {
    // Folders with dots: their short names may take 12, 12, 12 and 11 bytes, 106 in all, so it cannot fit.
    const dotted = ['Customers.2026', 'Acme.Corporation', 'Orders.2026', 'Bracket.Assembly.v2'];
    const path = `${dotted.join('/')}/bracket-left-0.2mm-PLA-MK4-infill-20pct.gcode`;
    const result = plan({ source: sourceOf(local(path)), remote: remoteOf({ root: 'farm', rootUrl: 'FARM' }) });
    assert.deepEqual(uploadsOf(result), []);
    assert.deepEqual(problemsOf(result), [[path, 'PATH_TOO_LONG']]);
  });

  it('starts below the deepest folder the printer has, by its short name', () => {
    const remote = remoteOf({
      root: 'farm',
      rootUrl: 'FARM',
      folders: [folder('Customers', 'CUSTOM~1'), folder('Customers/Acme Corporation', 'CUSTOM~1/ACMECO~1')],
    });
    const result = plan({ source: sourceOf(local(DEEP)), remote });
    assert.deepEqual(uploadsOf(result), [
      [
        DEEP,
        `FARM/CUSTOM~1/ACMECO~1/2026 Orders/Bracket Assembly v2/${DEEP.split('/').pop()}`,
        {
          parentUrl: 'FARM/CUSTOM~1/ACMECO~1',
          parentPath: 'farm/Customers/Acme Corporation',
          names: ['2026 Orders', 'Bracket Assembly v2'],
        },
      ],
    ]);
    assert.match(
      reasonsOf(result)[0] ?? '',
      /creates 2 folders down to \/usb\/farm\/Customers\/Acme Corporation\/2026 Orders\/Bracket Assembly v2 first/,
    );
  });

  it('names each new folder once: the first upload that needs it creates it', () => {
    const sibling = `${FOLDERS.slice(0, 3).join('/')}/Hinge Set v3 Left Side/hinge-left-0.2mm-PLA-MK4-infill-20.gcode`;
    const second = `${FOLDERS.join('/')}/bracket-right-0.2mm-PLA-MK4-infill-20pct.gcode`;
    const result = plan({ source: sourceOf(local(DEEP), local(second), local(sibling)), remote: remoteOf() });
    assert.deepEqual(problemsOf(result), []);
    assert.deepEqual(
      result.actions.map((a) => a.path),
      [DEEP, second, sibling],
    );
    assert.deepEqual(reasonsOf(result), [
      `missing on printer (creates 4 folders down to /usb/${FOLDERS.join('/')} first: ${WHY})`,
      `missing on printer (into new folder /usb/${FOLDERS.join('/')}, by its short name: ${WHY})`,
      `missing on printer (creates folder /usb/${FOLDERS.slice(0, 3).join('/')}/Hinge Set v3 Left Side first: ${WHY})`,
    ]);
    // Each upload still carries every folder it needs: one refused or failed leaves the next able to try.
    assert.deepEqual(
      uploadsOf(result).map(([, , f]) => f?.names.length),
      [4, 4, 4],
    );
  });

  it('keeps PATH_TOO_LONG when the path is too long even with short folder names', () => {
    const hopeless = `Customers/Acme Corporation/${'n'.repeat(80)}.gcode`;
    const result = plan({ source: sourceOf(local(DEEP), local(hopeless)), remote: remoteOf() });
    assert.deepEqual(problemsOf(result), [[hopeless, 'PATH_TOO_LONG']]);
    assert.deepEqual(
      result.actions.map((a) => a.path),
      [DEEP],
    );
  });

  it('keeps PATH_TOO_LONG when creating a folder would itself need too long a path', () => {
    // Fits by short names (/usb/ABCDEF~1.XYZ/ABCDEF~1.XYZ/a.gcode), but the second folder can only be
    // created by its long name under the first one's short name: 5 + 13 + 95 bytes.
    const wide = `Customers Worldwide/${'w'.repeat(95)}/a.gcode`;
    const result = plan({ source: sourceOf(local(DEEP), local(wide)), remote: remoteOf() });
    assert.deepEqual(problemsOf(result), [[wide, 'PATH_TOO_LONG']]);
    assert.deepEqual(
      result.actions.map((a) => a.path),
      [DEEP],
    );
  });

  it('reports a name the printer refuses, even on a path too long with long names', () => {
    const refused = `Customers/Acme: Corporation/2026 Orders/${'n'.repeat(70)}.gcode`;
    const result = plan({ source: sourceOf(local(DEEP), local(refused)), remote: remoteOf() });
    assert.deepEqual(problemsOf(result), [
      [refused, 'FORBIDDEN_CHARACTER'],
      [refused, 'PATH_TOO_LONG'],
    ]);
    assert.deepEqual(
      result.actions.map((a) => a.path),
      [DEEP],
    );
  });

  it('creates a missing sync root too, when the walk says which of its folders are missing', () => {
    const rel = `${FOLDERS.slice(1).join('/')}/bracket-left-0.2mm-PLA-MK4-infill.gcode`;
    const remote = remoteOf({ root: 'farm/Customers', rootUrl: 'FARM/Customers', rootExists: false });
    const known = plan({ source: sourceOf(local(rel)), remote: { ...remote, missingRootFolders: 1 } });
    assert.deepEqual(problemsOf(known), []);
    assert.deepEqual(uploadsOf(known), [[rel, `FARM/Customers/${rel}`, { parentUrl: 'FARM', parentPath: 'farm', names: FOLDERS }]]);
    // Without it, what exists is not known: nothing is planned around the limit.
    assert.deepEqual(problemsOf(plan({ source: sourceOf(local(rel)), remote })), [[rel, 'PATH_TOO_LONG']]);
  });

  it('leaves a Pi alone: no path limit, so a plain upload', () => {
    const buddy = plan({ source: sourceOf(local(DEEP)), remote: remoteOf() });
    const pi = plan({ source: sourceOf(local(DEEP)), remote: remoteOf({ storage: 'local' }), rules: PI });
    assert.deepEqual(uploadsOf(buddy)[0]?.[2]?.names, FOLDERS);
    assert.deepEqual(uploadsOf(pi), [[DEEP, DEEP, undefined]]);
    assert.deepEqual(reasonsOf(pi), ['missing on printer']);
  });
});
