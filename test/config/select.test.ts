// Choosing printers with -p and -x, by printer or group name.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../src/errors.js';
import { selectPrinters } from '../../src/config/select.js';
import type { PrinterConfig } from '../../src/config/types.js';

const printer = (name: string): PrinterConfig => ({
  name,
  printerType: 'MK4S',
  baseUrl: `http://${name.toLowerCase()}`,
  auth: { kind: 'api-key', apiKey: 'k' },
});
const FARM = ['MK4-1', 'mk4-2', 'XL', 'mini'].map(printer);

describe('printer selection', { timeout: 5000 }, () => {
  const table: Array<[include: string[], exclude: string[], names: string[], warned: boolean]> = [
    [[], [], ['MK4-1', 'mk4-2', 'XL', 'mini'], false],
    [['xl'], [], ['XL'], false],
    [['mini', 'mk4-1'], [], ['MK4-1', 'mini'], false],
    [['MK4-2', 'mk4-2'], [], ['mk4-2'], false],
    [[], ['XL'], ['MK4-1', 'mk4-2', 'mini'], false],
    [[], ['xl', 'MINI'], ['MK4-1', 'mk4-2'], false],
    [['xl'], ['xl'], ['XL'], true],
    [['xl'], ['no-such-printer'], ['XL'], true],
  ];
  for (const [include, exclude, names, warned] of table) {
    it(`-p [${include.join(' ')}] -x [${exclude.join(' ')}] keeps ${names.join(', ')} in config order`, () => {
      const selection = selectPrinters(FARM, include, exclude);
      assert.deepEqual(
        selection.printers.map((p) => p.name),
        names,
      );
      assert.equal(selection.warnings.length, warned ? 1 : 0);
      if (warned) assert.match(selection.warnings[0] ?? '', /-x\/--exclude is ignored because -p\/--printer is given/);
    });
  }

  const errors: Array<[include: string[], exclude: string[], says: RegExp, hint: RegExp]> = [
    [['mk4-3'], [], /^-p: unknown printer "mk4-3"$/, /did you mean "MK4-1"\? configured printers: MK4-1, mk4-2, XL, mini/],
    [['xl', 'nope', 'gone'], [], /^-p: unknown printers "nope", "gone"$/, /configured printers: MK4-1, mk4-2, XL, mini/],
    [[], ['mnii'], /^-x: unknown printer "mnii"$/, /did you mean "mini"\?/],
    [[], ['mk4-1', 'MK4-2', 'xl', 'Mini'], /-x\/--exclude leaves no printer to sync/, /configured printers/],
  ];
  for (const [include, exclude, says, hint] of errors) {
    it(`refuses -p [${include.join(' ')}] -x [${exclude.join(' ')}]`, () => {
      assert.throws(
        () => selectPrinters(FARM, include, exclude),
        (error: unknown) => error instanceof UsageError && says.test(error.message) && hint.test(error.hint ?? ''),
      );
    });
  }

  describe('with groups', () => {
    const grouped = (name: string, groups: string[]): PrinterConfig => ({ ...printer(name), groups });
    const GROUPED = [grouped('mk4-1', ['bay1', 'MK4']), grouped('mk4-2', ['bay2', 'mk4']), grouped('xl-1', ['bay1']), printer('mini-1')];
    const table: Array<[include: string[], exclude: string[], names: string[]]> = [
      [['bay1'], [], ['mk4-1', 'xl-1']],
      [['BAY1', 'mini-1'], [], ['mk4-1', 'xl-1', 'mini-1']],
      [['mk4'], [], ['mk4-1', 'mk4-2']],
      [['bay1', 'bay2'], [], ['mk4-1', 'mk4-2', 'xl-1']],
      [[], ['bay1'], ['mk4-2', 'mini-1']],
      [[], ['mk4', 'xl-1'], ['mini-1']],
    ];
    for (const [include, exclude, names] of table) {
      it(`-p [${include.join(' ')}] -x [${exclude.join(' ')}] selects ${names.join(', ')}`, () => {
        assert.deepEqual(
          selectPrinters(GROUPED, include, exclude).printers.map((p) => p.name),
          names,
        );
      });
    }

    it('names printers and groups when a name is neither', () => {
      assert.throws(
        () => selectPrinters(GROUPED, ['bay3'], []),
        (error: unknown) =>
          error instanceof UsageError &&
          /^-p: unknown printer or group "bay3"$/.test(error.message) &&
          /did you mean "bay1"\? configured printers: mk4-1, mk4-2, xl-1, mini-1; groups: bay1, MK4, bay2$/.test(error.hint ?? ''),
      );
    });
  });
});
