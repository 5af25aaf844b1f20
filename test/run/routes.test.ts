// Building each printer's share of a run from its config: folders, patterns, destinations, models.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { routePrinters } from '../../src/run/routes.js';
import { scanSource } from '../../src/source/scan.js';
import { SourceError } from '../../src/errors.js';
import type { PrinterConfig } from '../../src/config/types.js';
import type { SourceTree } from '../../src/types.js';
import { tempDir, writeTree } from '../helpers/fixtures.js';
import { bgcodeFile, printerMetadataFor } from '../helpers/bgcode.js';
import { gcodeSample } from '../helpers/gcode-sample.js';

const printer = (name: string, printerType: string, extra: Partial<PrinterConfig> = {}): PrinterConfig => ({
  name,
  printerType,
  baseUrl: `http://${name}`,
  auth: { kind: 'api-key', apiKey: 'k' },
  ...extra,
});

describe('routing printers for a run', { timeout: 20_000 }, () => {
  let work: { dir: string; cleanup: () => void };
  let master: SourceTree;
  before(async () => {
    work = tempDir();
    writeTree(path.join(work.dir, 'master'), {
      'mk4/a.bgcode': bgcodeFile({ printerMetadata: printerMetadataFor('MK4IS') }),
      'xl/b.gcode': gcodeSample({ printerModel: 'XLIS' }),
      'any/c.gcode': 'G28\n',
      // A valid file header, then a block of a type the format does not have.
      'broken.bgcode': Buffer.from([0x47, 0x43, 0x44, 0x45, 1, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0]),
    });
    mkdirSync(path.join(work.dir, 'master', 'empty'));
    writeTree(path.join(work.dir, 'elsewhere'), { 'z.gcode': gcodeSample({ printerModel: 'MK3S' }) });
    master = await scanSource(path.join(work.dir, 'master'));
  });
  after(() => work.cleanup());
  const names = (tree: SourceTree) => tree.files.map((f) => f.relPath);

  it('gives printers without settings the master, its prefix and the storage root', async () => {
    const { routes, warnings } = await routePrinters([printer('a', 'MK4')], { master, masterPrefix: 'master', matchModel: false });
    assert.equal(routes[0]?.source, master);
    assert.deepEqual(routes[0]?.destination, { path: '' });
    assert.equal(routes[0]?.prefix, 'master');
    assert.deepEqual(routes[0]?.skipped, []);
    assert.deepEqual(warnings, [], 'no model is read without matching');
  });

  it('routes by model with --match-model, warning once about a file it cannot read', async () => {
    const { routes, warnings } = await routePrinters([printer('mk4', 'MK4'), printer('xl', 'XL')], {
      master,
      masterPrefix: '',
      matchModel: true,
    });
    assert.deepEqual(names(routes[0]!.source), ['any/c.gcode', 'broken.bgcode', 'mk4/a.bgcode']);
    assert.deepEqual(names(routes[1]!.source), ['any/c.gcode', 'broken.bgcode', 'xl/b.gcode']);
    assert.deepEqual(routes[0]?.skipped, [{ path: 'xl/b.gcode', reason: 'other-model', model: 'XLIS' }]);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0] ?? '', /broken\.bgcode is for: unknown bgcode block type 9; it goes to every printer/);
  });

  it('routes by model only the printers whose config asks for it', async () => {
    const { routes } = await routePrinters([printer('mk4', 'MK4', { matchModel: true }), printer('xl', 'XL')], {
      master,
      masterPrefix: '',
      matchModel: false,
    });
    assert.equal(routes[0]?.source.files.length, 3);
    assert.equal(routes[1]?.source, master);
  });

  it('lets -d win over a printer’s destination', async () => {
    const printers = [printer('a', 'MK4', { destination: { path: 'farm' } }), printer('b', 'MK4')];
    const own = await routePrinters(printers, { master, masterPrefix: '', matchModel: false });
    assert.deepEqual(
      own.routes.map((r) => r.destination),
      [{ path: 'farm' }, { path: '' }],
    );
    const cli = await routePrinters(printers, {
      master,
      masterPrefix: '',
      matchModel: false,
      cliDestination: { storage: 'usb', path: 'x' },
    });
    assert.deepEqual(
      cli.routes.map((r) => r.destination),
      [
        { storage: 'usb', path: 'x' },
        { storage: 'usb', path: 'x' },
      ],
    );
  });

  it('mirrors a printer’s own folder, a sub-folder or an absolute one, to its destination root', async () => {
    const { routes } = await routePrinters(
      [
        printer('a', 'MK4', { source: 'mk4' }),
        printer('b', 'MK3S', { source: path.join(work.dir, 'elsewhere') }),
        printer('c', 'MK4', { source: '.' }),
      ],
      { master, masterPrefix: 'master', matchModel: false },
    );
    assert.deepEqual(names(routes[0]!.source), ['a.bgcode']);
    assert.equal(routes[0]?.prefix, '');
    assert.deepEqual(names(routes[1]!.source), ['z.gcode']);
    assert.equal(routes[2]?.source, master, '"." is the master itself');
    assert.equal(routes[2]?.prefix, '', 'a printer with its own source ignores -r');
  });

  it('applies include and exclude patterns, and warns when they leave a printer nothing', async () => {
    const { routes, warnings } = await routePrinters(
      [printer('a', 'MK4', { include: ['*.gcode'], exclude: ['any/'] }), printer('b', 'MK4', { include: ['*.stl'] })],
      { master, masterPrefix: '', matchModel: false },
    );
    assert.deepEqual(names(routes[0]!.source), ['xl/b.gcode']);
    assert.deepEqual(names(routes[1]!.source), []);
    assert.equal(routes[0]?.nothingRouted, undefined);
    assert.match(
      routes[1]?.nothingRouted ?? '',
      /^none of the 4 print files in .* is for this printer .*; not synced, so nothing on it is deleted$/,
    );
    assert.deepEqual(warnings, [], "said once, as the printer's result");
  });

  const refused: Array<[what: string, source: string, says: RegExp]> = [
    ['a missing folder', 'no-such-folder', /^printer "a": source folder .*no-such-folder does not exist/],
    ['an empty folder', 'empty', /^printer "a": its source folder .*empty holds no print files/],
  ];
  for (const [what, source, says] of refused) {
    it(`refuses ${what} as a printer’s source before any printer is contacted`, async () => {
      await assert.rejects(
        routePrinters([printer('a', 'MK4', { source })], { master, masterPrefix: '', matchModel: false }),
        (error: unknown) => error instanceof SourceError && says.test(error.message),
      );
    });
  }
});
