// The upload meter behind the live view: printer-reported bytes, a rate only from enough recent time.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UploadMeter } from '../../src/report/progress.js';

const T = { timeout: 5_000 };

describe('the upload meter', () => {
  it('knows no rate until samples span 3 s, so a small file does not set it', T, () => {
    const m = new UploadMeter();
    m.start(0);
    m.done(1_000, 113); // 1 kB in 113 ms: mostly fixed cost
    assert.equal(m.rate(200), undefined);
    assert.equal(m.secondsLeft(5_000_000, 200), undefined);
  });

  it('measures bytes over recent time from what the printer reported', T, () => {
    const m = new UploadMeter();
    m.start(0);
    for (let t = 2_000; t <= 10_000; t += 2_000) m.taken((t / 1000) * 50_000, t);
    assert.equal(m.fileBytes, 500_000);
    assert.equal(m.rate(10_000), 50_000);
    assert.equal(m.secondsLeft(1_000_000, 10_000), 10);
  });

  it('forgets throughput older than the window: a printer that slowed down shows its new rate', T, () => {
    const m = new UploadMeter();
    m.start(0);
    m.taken(1_000_000, 10_000); // 100 kB/s at first
    let bytes = 1_000_000;
    for (let t = 12_000; t <= 40_000; t += 2_000) {
      bytes += 20_000; // then 10 kB/s
      m.taken(bytes, t);
    }
    const rate = m.rate(40_000)!;
    assert.ok(rate > 9_000 && rate < 11_000, `rate ${rate}`);
  });

  it('lets the rate fall when the printer stops reporting progress', T, () => {
    const m = new UploadMeter();
    m.start(0);
    m.taken(100_000, 2_000);
    m.taken(200_000, 4_000);
    const before = m.rate(4_000)!;
    const later = m.rate(14_000)!;
    assert.ok(later < before, `${later} < ${before}`);
  });

  it('counts finished files whole and a failed one not at all', T, () => {
    const m = new UploadMeter();
    m.start(0);
    m.taken(40_000, 2_000);
    m.done(50_000, 2_500);
    m.start(2_500);
    m.taken(10_000, 4_000);
    m.done(0, 4_500);
    assert.equal(m.totalBytes, 50_000);
    assert.equal(m.fileElapsedMs(5_000), undefined);
  });
});
