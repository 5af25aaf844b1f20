// The model compatibility table: which printer types each model a slicer writes is sent to.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { foldModelCode, modelGroupOf, modelMatches, MODEL_GROUPS } from '../../src/source/model-match.js';
import { PRINTER_MODELS } from '../../src/config/models.js';

describe('model compatibility', { timeout: 5000 }, () => {
  const folds: Array<[spelling: string, code: string]> = [
    ['MK4S', 'MK4S'],
    ['MK4IS', 'MK4'],
    ['MK4ISMMU3', 'MK4'],
    ['MK4SMMU3', 'MK4S'],
    ['MK3.9', 'MK39'],
    ['MK3.9S', 'MK39S'],
    ['MK3.9MMU3', 'MK39'],
    ['MK3.5', 'MK35'],
    ['MK3.5SMMU3', 'MK35S'],
    ['XL', 'XL'],
    ['XLIS', 'XL'],
    ['XL2IS', 'XL'],
    ['XL5IS', 'XL'],
    ['MINI', 'MINI'],
    ['MINIIS', 'MINI'],
    ['MINI+', 'MINI'],
    ['COREONE', 'COREONE'],
    ['CORE One', 'COREONE'],
    ['COREONEMMU3', 'COREONE'],
    ['MK3', 'MK3'],
    ['MK3MMU2', 'MK3'],
    ['MK3S', 'MK3S'],
    ['MK3SMMU2S', 'MK3S'],
    ['MK3SMMU3', 'MK3S'],
    ['MK3S+', 'MK3S'],
    ['Original Prusa i3 MK3S+', 'MK3S'],
    ['MK2.5', 'MK25'],
    ['MK2.5SMMU2S', 'MK25S'],
    ['mk4s', 'MK4S'],
    [' MK4S ', 'MK4S'],
  ];
  for (const [spelling, code] of folds) {
    it(`folds "${spelling}" to ${code}`, () => assert.equal(foldModelCode(spelling), code));
  }

  // printer type (as the config canonicalises it) × model written in the file → sent?
  const routes: Array<[printerType: string, fileModel: string, sent: boolean]> = [
    ['MK4', 'MK4IS', true],
    ['MK4', 'MK4', true],
    ['MK4', 'MK4ISMMU3', true], // link-sync cannot see the MMU
    ['MK4', 'MK3.9', true], // one firmware compatibility group
    ['MK3.9', 'MK4IS', true],
    ['MK4', 'MK4S', false],
    ['MK4S', 'MK4IS', false], // MK4S runs MK4 files only in a compatibility mode
    ['MK4S', 'MK4S', true],
    ['MK4S', 'MK3.9S', true],
    ['MK3.9S', 'MK4S', true],
    ['MK3.9', 'MK3.9S', false],
    ['MK3.5', 'MK3.5S', true],
    ['MK3.5S', 'MK3.5', true],
    ['MK3.5', 'MK4IS', false],
    ['XL', 'XLIS', true],
    ['XL', 'XL5IS', true], // tool-head count is not in the config
    ['XL', 'MK4S', false],
    ['MINI', 'MINIIS', true],
    ['MINI+', 'MINIIS', true],
    ['MINI+', 'MINI', true],
    ['MINI', 'XLIS', false],
    ['CORE One', 'COREONE', true],
    ['CORE One', 'COREONEMMU3', true],
    ['CORE One', 'MK4S', false],
    ['MK3', 'MK3', true],
    ['MK3', 'MK3S', false], // 8-bit firmware checks the exact model
    ['MK3S', 'MK3', false],
    ['MK3S', 'MK3SMMU3', true],
    ['MK3S+', 'MK3S', true],
    ['MK2.5', 'MK2.5S', false],
    ['MK2.5S', 'MK2.5SMMU2S', true],
    ['MK4S', 'COREONEL', false], // a model the table does not know goes nowhere
    ['MK4S', 'SL1', false],
  ];
  for (const [printerType, fileModel, sent] of routes) {
    it(`${sent ? 'sends' : 'does not send'} a ${fileModel} file to an ${printerType}`, () => {
      assert.equal(modelMatches(printerType, fileModel), sent);
    });
  }

  it('places every configurable printer type in exactly one group', () => {
    for (const model of PRINTER_MODELS) {
      const group = modelGroupOf(model.canonical);
      assert.ok(group, `${model.canonical} has no group`);
      assert.equal(MODEL_GROUPS.filter((g) => g.codes.includes(foldModelCode(model.canonical))).length, 1, model.canonical);
    }
  });

  it('gives each code one group', () => {
    const codes = MODEL_GROUPS.flatMap((g) => g.codes);
    assert.equal(new Set(codes).size, codes.length);
  });
});
