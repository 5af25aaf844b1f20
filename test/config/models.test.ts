// Every accepted spelling of a printer model resolves to its canonical name and family.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PRINTER_MODELS, acceptedModelNames, findModel } from '../../src/config/models.js';

describe('printer models', { timeout: 5000 }, () => {
  const table: Array<[spelling: string, canonical: string, family: 'buddy' | 'pi']> = [
    ['MK4', 'MK4', 'buddy'],
    ['mk4', 'MK4', 'buddy'],
    ['MK4IS', 'MK4', 'buddy'],
    ['mk4 is', 'MK4', 'buddy'],
    ['Original Prusa MK4', 'MK4', 'buddy'],
    ['Prusa MK4', 'MK4', 'buddy'],
    ['MK4S', 'MK4S', 'buddy'],
    ['Original Prusa MK4S', 'MK4S', 'buddy'],
    ['MK3.9', 'MK3.9', 'buddy'],
    ['mk39', 'MK3.9', 'buddy'],
    ['MK3.9S', 'MK3.9S', 'buddy'],
    ['MK3.5', 'MK3.5', 'buddy'],
    ['mk3.5', 'MK3.5', 'buddy'],
    ['MK3.5S', 'MK3.5S', 'buddy'],
    ['XL', 'XL', 'buddy'],
    ['Original Prusa XL', 'XL', 'buddy'],
    ['xl', 'XL', 'buddy'],
    ['XLIS', 'XL', 'buddy'],
    ['MINI', 'MINI', 'buddy'],
    ['mini', 'MINI', 'buddy'],
    ['MINIIS', 'MINI', 'buddy'],
    ['MINI+', 'MINI+', 'buddy'],
    ['Original Prusa MINI+', 'MINI+', 'buddy'],
    ['mini plus', 'MINI+', 'buddy'],
    ['CORE One', 'CORE One', 'buddy'],
    ['Core One', 'CORE One', 'buddy'],
    ['COREONE', 'CORE One', 'buddy'],
    ['CORE-ONE', 'CORE One', 'buddy'],
    ['core_one', 'CORE One', 'buddy'],
    ['Prusa CORE One', 'CORE One', 'buddy'],
    ['MK3', 'MK3', 'pi'],
    ['i3 MK3', 'MK3', 'pi'],
    ['MK3S', 'MK3S', 'pi'],
    ['I3MK3S', 'MK3S', 'pi'],
    ['Original Prusa i3 MK3S', 'MK3S', 'pi'],
    ['MK3S+', 'MK3S+', 'pi'],
    ['i3 MK3S+', 'MK3S+', 'pi'],
    ['Original Prusa i3 MK3S+', 'MK3S+', 'pi'],
    ['mk3s plus', 'MK3S+', 'pi'],
    ['MK2.5', 'MK2.5', 'pi'],
    ['MK25', 'MK2.5', 'pi'],
    ['MK2.5S', 'MK2.5S', 'pi'],
    ['mk25s', 'MK2.5S', 'pi'],
    ['  MK4S  ', 'MK4S', 'buddy'],
  ];
  for (const [spelling, canonical, family] of table) {
    it(`reads "${spelling}" as ${canonical} (${family})`, () => {
      const model = findModel(spelling);
      assert.equal(model?.canonical, canonical);
      assert.equal(model?.family, family);
    });
  }

  it('resolves every canonical name and alias in the table to its own model', () => {
    for (const model of PRINTER_MODELS) {
      for (const spelling of [model.canonical, ...model.aliases]) assert.equal(findModel(spelling), model, spelling);
    }
  });

  for (const unknown of ['MK5', 'MINI++', 'Prusa', 'Original Prusa', 'SL1', '', 'MK3.6', 'XL5']) {
    it(`does not guess a model for "${unknown}"`, () => assert.equal(findModel(unknown), undefined));
  }

  it('lists the fifteen canonical models in table order', () => {
    assert.deepEqual(acceptedModelNames(), [
      'MK4',
      'MK4S',
      'MK3.9',
      'MK3.9S',
      'MK3.5',
      'MK3.5S',
      'XL',
      'MINI',
      'MINI+',
      'CORE One',
      'MK3',
      'MK3S',
      'MK3S+',
      'MK2.5',
      'MK2.5S',
    ]);
  });
});
