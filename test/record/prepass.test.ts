// What is read before planning with a record: only what a decision needs.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { selectPrepass, withSizes, type PrepassPolicy } from '../../src/record/prepass.js';
import type { RecordEntry } from '../../src/record/types.js';
import { T, local, remoteFile, remoteOf, sourceOf } from '../plan/builders.js';

const entry = (over: Partial<RecordEntry> = {}): RecordEntry => ({
  size: 100,
  sha256: 'a'.repeat(64),
  mtimeMs: T * 1000,
  mTimestamp: T,
  ...over,
});
const NORMAL: PrepassPolicy = { checksum: false, force: false, adopt: true };
const BUDDY = { caseInsensitive: true };

describe('selectPrepass', { timeout: 5000 }, () => {
  const source = sourceOf(
    local('same.gcode'),
    local('touched.gcode', { mtimeSec: T + 9 }),
    local('resized.gcode', { size: 5 }),
    local('unknown.gcode'),
    local('missing.gcode'),
  );
  const remote = remoteOf({
    root: 'Farm',
    files: ['same', 'touched', 'resized', 'unknown'].map((n) => remoteFile(`${n}.gcode`, { size: undefined })),
  });
  const entries = new Map([
    ['farm/same.gcode', entry()],
    ['farm/touched.gcode', entry()],
    ['farm/resized.gcode', entry()],
    ['farm/missing.gcode', entry()],
  ]);
  const names = (files: Array<{ relPath?: string; path?: string }>): string[] => files.map((f) => f.relPath ?? f.path ?? '');

  it('reads nothing for files whose size and mtime match their entry', () => {
    const needs = selectPrepass(sourceOf(local('same.gcode')), remote, entries, BUDDY, NORMAL);
    assert.deepEqual(needs, { hash: [], statSize: [] });
  });

  it('hashes touched files and files to adopt, never resized or missing ones', () => {
    assert.deepEqual(names(selectPrepass(source, remote, entries, BUDDY, NORMAL).hash), ['touched.gcode', 'unknown.gcode']);
  });

  it('hashes nothing to adopt in a dry run', () => {
    assert.deepEqual(names(selectPrepass(source, remote, entries, BUDDY, { ...NORMAL, adopt: false }).hash), ['touched.gcode']);
  });

  it('--checksum hashes every recorded file the printer has', () => {
    const needs = selectPrepass(source, remote, entries, BUDDY, { ...NORMAL, checksum: true, adopt: false });
    assert.deepEqual(names(needs.hash), ['same.gcode', 'touched.gcode']);
  });

  it('reads nothing for a file too large for the printer, which is never sent', () => {
    const huge = sourceOf(local('touched.gcode', { size: 2 ** 32 }), local('unknown.gcode', { size: 2 ** 32 }));
    const rules = { ...BUDDY, maxFileBytes: 2 ** 32 - 1 };
    assert.deepEqual(selectPrepass(huge, remote, entries, rules, { ...NORMAL, checksum: true }), { hash: [], statSize: [] });
  });

  it('--force reads nothing: every file is sent anyway', () => {
    assert.deepEqual(selectPrepass(source, remote, entries, BUDDY, { ...NORMAL, force: true, checksum: true }), { hash: [], statSize: [] });
  });

  it('asks the size of recorded files whose printer timestamp says nothing (a Buddy without a clock)', () => {
    const clockless = remoteOf({
      root: 'Farm',
      files: [
        remoteFile('same.gcode', { size: undefined, mTimestamp: 315532800 }),
        remoteFile('touched.gcode', { size: 100, mTimestamp: 315532800 }),
        remoteFile('unknown.gcode', { size: undefined, mTimestamp: 315532800 }),
      ],
    });
    const needs = selectPrepass(source, clockless, entries, BUDDY, NORMAL);
    // unknown.gcode has no entry: its size is asked once, so that it is adopted only if it matches.
    assert.deepEqual(names(needs.statSize), ['same.gcode', 'unknown.gcode']);
    const sized = withSizes(clockless, new Map([[needs.statSize[0]!, 42]]));
    assert.deepEqual(
      sized.files.map((f) => f.size),
      [42, 100, undefined],
    );
  });
});
