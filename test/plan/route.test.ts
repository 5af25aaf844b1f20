// Routing one printer's files: include/exclude patterns and the model each file was sliced for.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { routeSource } from '../../src/plan/route.js';
import { compileGlob, pathFilter, type GlobMatcher } from '../../src/source/glob.js';
import type { FileModel } from '../../src/source/model-read.js';
import type { SourceTree } from '../../src/types.js';

const tree = (paths: string[]): SourceTree => ({
  root: '/master',
  files: [...paths].sort().map((relPath) => ({ relPath, absPath: `/master/${relPath}`, size: 10, mtimeMs: 0 })),
  folders: [
    ...new Set(
      paths.flatMap((p) =>
        p
          .split('/')
          .slice(0, -1)
          .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
      ),
    ),
  ].sort(),
  ignored: [{ relPath: 'notes.txt', reason: 'not-a-print-file' }],
});
const glob = (pattern: string): GlobMatcher => {
  const c = compileGlob(pattern);
  if (!c.ok) throw new Error(c.message);
  return c.match;
};
const model = (m: string): FileModel => ({ kind: 'model', model: m, from: 'printer_model' });
const models = new Map<string, FileModel>([
  ['/master/mk4/benchy.bgcode', model('MK4IS')],
  ['/master/xl/big.bgcode', model('XL5IS')],
  ['/master/xl/small.gcode', model('XLIS')],
  ['/master/mini/clip.gcode', model('MINIIS')],
  ['/master/any/other-slicer.gcode', { kind: 'unknown', why: 'names no printer model' }],
  ['/master/any/broken.bgcode', { kind: 'unknown', why: 'bgcode printer metadata fails its checksum', problem: true }],
]);
const master = tree([...models.keys()].map((p) => p.slice('/master/'.length)).concat('any/unread.gcode'));

describe('routing a printer’s files', { timeout: 5000 }, () => {
  const cases: Array<[printerType: string, kept: string[], skipped: Array<[string, string]>]> = [
    [
      'MK4',
      ['any/broken.bgcode', 'any/other-slicer.gcode', 'any/unread.gcode', 'mk4/benchy.bgcode'],
      [
        ['mini/clip.gcode', 'MINIIS'],
        ['xl/big.bgcode', 'XL5IS'],
        ['xl/small.gcode', 'XLIS'],
      ],
    ],
    [
      'XL',
      ['any/broken.bgcode', 'any/other-slicer.gcode', 'any/unread.gcode', 'xl/big.bgcode', 'xl/small.gcode'],
      [
        ['mini/clip.gcode', 'MINIIS'],
        ['mk4/benchy.bgcode', 'MK4IS'],
      ],
    ],
    [
      'MINI+',
      ['any/broken.bgcode', 'any/other-slicer.gcode', 'any/unread.gcode', 'mini/clip.gcode'],
      [
        ['mk4/benchy.bgcode', 'MK4IS'],
        ['xl/big.bgcode', 'XL5IS'],
        ['xl/small.gcode', 'XLIS'],
      ],
    ],
    [
      'MK4S',
      ['any/broken.bgcode', 'any/other-slicer.gcode', 'any/unread.gcode'],
      [
        ['mini/clip.gcode', 'MINIIS'],
        ['mk4/benchy.bgcode', 'MK4IS'],
        ['xl/big.bgcode', 'XL5IS'],
        ['xl/small.gcode', 'XLIS'],
      ],
    ],
  ];
  for (const [printerType, kept, skipped] of cases) {
    it(`gives an ${printerType} its own files and those without a model, and lists the others`, () => {
      const route = routeSource({ source: master, match: { printerType, models } });
      assert.deepEqual(
        route.source.files.map((f) => f.relPath),
        kept,
      );
      assert.deepEqual(
        route.skipped.map((s) => [s.path, s.model]),
        skipped,
      );
      assert.ok(route.skipped.every((s) => s.reason === 'other-model'));
    });
  }

  it('recomputes folders so a folder left without files is not the printer’s', () => {
    const route = routeSource({ source: master, match: { printerType: 'XL', models } });
    assert.deepEqual(route.source.folders, ['any', 'xl']);
    assert.deepEqual(route.source.ignored, master.ignored);
    assert.equal(route.source.root, '/master');
  });

  it('applies include and exclude patterns before models, without listing what they leave out', () => {
    const filter = pathFilter([glob('*.bgcode')], [glob('broken*')]);
    const route = routeSource({ source: master, filter, match: { printerType: 'MK4', models } });
    assert.deepEqual(
      route.source.files.map((f) => f.relPath),
      ['mk4/benchy.bgcode'],
    );
    assert.deepEqual(
      route.skipped.map((s) => s.path),
      ['xl/big.bgcode'],
    );
  });

  it('keeps every file and the same tree without patterns or model matching', () => {
    const route = routeSource({ source: master });
    assert.equal(route.source, master);
    assert.deepEqual(route.skipped, []);
  });

  it('treats a file missing from the model map as having no model', () => {
    const route = routeSource({ source: master, match: { printerType: 'MK3S', models: new Map() } });
    assert.equal(route.source.files.length, master.files.length);
  });
});
