// After an upload whose connection broke: what the printer's file says about the outcome.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { judgeLostUpload, type LostUploadVerdict, type PreviousCopy } from '../../src/execute/upload-outcome.js';
import type { RemoteFileInfo } from '../../src/printer/api.js';

const file = (size?: number, mTimestamp?: number): RemoteFileInfo => ({
  readOnly: false,
  ...(size !== undefined ? { size } : {}),
  ...(mTimestamp !== undefined ? { mTimestamp } : {}),
});

describe('judging a broken upload by the file the printer shows', { timeout: 5_000 }, () => {
  const table: Array<[label: string, now: RemoteFileInfo | undefined, previous: PreviousCopy | undefined, verdict: LostUploadVerdict]> = [
    ['a new file that is not there', undefined, undefined, 'absent'],
    ['a new file there with the size sent', file(1000, 50), undefined, 'arrived'],
    ['a new file there with another size', file(400, 50), undefined, 'unknown'],
    ['a new file there without a size', file(undefined, 50), undefined, 'unknown'],
    ['a replacement: the old file, same time stamp', file(700, 10), { size: 700, mTimestamp: 10 }, 'absent'],
    ['a replacement: old time stamp, size unknown before', file(700, 10), { mTimestamp: 10 }, 'absent'],
    ['a replacement: new time stamp and the size sent', file(1000, 20), { size: 700, mTimestamp: 10 }, 'arrived'],
    ['a replacement: new time stamp, wrong size', file(300, 20), { size: 700, mTimestamp: 10 }, 'unknown'],
    ['a replacement: same size both, no time stamps', file(1000), { size: 1000 }, 'unknown'],
    ['a replacement: nothing known before', file(1000, 20), {}, 'unknown'],
    ['a replacement whose name is now empty', undefined, { size: 700, mTimestamp: 10 }, 'absent'],
  ];
  for (const [label, now, previous, verdict] of table) {
    it(`${label}: ${verdict}`, () => {
      assert.equal(judgeLostUpload(now, 1000, previous), verdict);
    });
  }
});
