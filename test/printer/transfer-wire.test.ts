// Reading a printer's transfer progress: /api/v1/transfer and the status `transfer` of Buddy and Pi.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTransferProgress, statusTransfer } from '../../src/printer/prusalink/transfer-wire.js';

const T = { timeout: 5_000 };

describe('transfer progress from the printer', () => {
  const table: Array<[string, unknown, ReturnType<typeof parseTransferProgress>]> = [
    [
      '/api/v1/transfer',
      { type: 'FROM_CLIENT', size: 300_000, transferred: 120_000, progress: 40 },
      { transferred: 120_000, size: 300_000 },
    ],
    ['Buddy status: transferred', { id: 1, time_transferring: 3, transferred: 5_000, progress: 1.6 }, { transferred: 5_000 }],
    ['Pi status: data_transferred', { id: 1, time_transferring: 3, data_transferred: 7_000 }, { transferred: 7_000 }],
    ['a size given as a string (the spec types it so)', { size: '1000', transferred: 10 }, { transferred: 10, size: 1000 }],
    ['only a percentage and a size', { size: 1000, progress: 25 }, { transferred: 250, size: 1000 }],
    ['no count at all', { id: 1, time_transferring: 3 }, undefined],
    ['a negative count', { transferred: -5 }, undefined],
    ['not an object', 'transfer', undefined],
  ];
  for (const [label, body, expected] of table) {
    it(label, T, () => assert.deepEqual(parseTransferProgress(body), expected));
  }

  it('a status without `transfer` means none runs', T, () => {
    assert.equal(statusTransfer({ printer: { state: 'IDLE' } }), 'none');
    assert.deepEqual(statusTransfer({ printer: {}, transfer: { id: 1, time_transferring: 0, data_transferred: 9 } }), { transferred: 9 });
  });
});
