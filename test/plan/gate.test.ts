// The state gate: which printers may be changed now.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gatePrinter } from '../../src/plan/gate.js';
import type { PrinterStatus, StorageInfo } from '../../src/types.js';

const USB: StorageInfo = { name: 'usb', available: true, readOnly: false };
const status = (state: string, transferRunning = false): PrinterStatus => ({ state, transferRunning });

describe('gatePrinter', { timeout: 5000 }, () => {
  const table: Array<[state: string, ok: boolean]> = [
    ['IDLE', true],
    ['READY', true],
    ['FINISHED', true],
    ['STOPPED', true],
    ['PRINTING', false],
    ['PAUSED', false],
    ['BUSY', false],
    ['ATTENTION', false],
    ['ERROR', false],
    ['UNKNOWN', false],
  ];
  for (const [state, ok] of table) {
    it(`${ok ? 'syncs' : 'skips as busy'} a printer that is ${state}`, () => {
      const result = gatePrinter(status(state), USB, false);
      if (ok) assert.deepEqual(result, { ok: true });
      else {
        assert.equal(result.ok, false);
        assert.ok(!result.ok && result.kind === 'busy' && result.reason.includes(state));
      }
    });
  }

  it('accepts a state in lower case', () => {
    assert.deepEqual(gatePrinter(status('idle'), USB, false), { ok: true });
  });

  it('skips an idle printer while a transfer is running', () => {
    const result = gatePrinter(status('IDLE', true), USB, false);
    assert.ok(!result.ok && result.kind === 'busy' && /transfer/.test(result.reason));
  });

  it('lets --ignore-state through a printing printer with a transfer running', () => {
    assert.deepEqual(gatePrinter(status('PRINTING', true), USB, true), { ok: true });
  });

  const storageTable: Array<[name: string, storage: StorageInfo | undefined, pattern: RegExp]> = [
    ['no storage at all', undefined, /no storage/],
    ['a missing USB stick', { name: 'usb', available: false, readOnly: false }, /"usb" is not available.*USB stick/],
    ['an unavailable local storage', { name: 'local', available: false, readOnly: false }, /"local" is not available/],
    ['a read-only storage', { name: 'sdcard', available: true, readOnly: true }, /"sdcard" is read-only/],
  ];
  for (const [name, storage, pattern] of storageTable) {
    for (const ignoreState of [false, true]) {
      it(`fails with a storage error for ${name}${ignoreState ? ' even with --ignore-state' : ''}`, () => {
        const result = gatePrinter(status('IDLE'), storage, ignoreState);
        assert.ok(!result.ok && result.kind === 'storage');
        assert.match(result.reason, pattern);
      });
    }
  }

  it('reports a missing storage rather than busy on a printing printer', () => {
    const result = gatePrinter(status('PRINTING'), { name: 'usb', available: false, readOnly: false }, false);
    assert.ok(!result.ok && result.kind === 'storage');
  });
});
