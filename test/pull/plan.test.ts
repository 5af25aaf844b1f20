// The pull planner: one local file per path, from every printer that has it; sizes that differ are a
// conflict unless --prefer names a printer that has the path.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { downloadQueues, planPull } from '../../src/pull/plan.js';
import type { PullCandidate } from '../../src/pull/types.js';

const T = { timeout: 5_000 };
const ORDER = ['mk4', 'xl', 'mk3'];

function c(printer: string, path: string, size: number, mTimestamp?: number, localRoot = '/m'): PullCandidate {
  return {
    printer,
    storage: printer === 'mk3' ? 'local' : 'usb',
    path,
    urlPath: path.toUpperCase(),
    size,
    localRoot,
    ...(mTimestamp !== undefined ? { mTimestamp } : {}),
  };
}

describe('planPull', () => {
  const rows: Array<{
    name: string;
    candidates: PullCandidate[];
    prefer?: string;
    items: Array<[string, string[], string[]]>;
    conflicts: string[];
  }> = [
    { name: 'nothing to pull', candidates: [], items: [], conflicts: [] },
    { name: 'one printer, one file', candidates: [c('xl', 'a.gcode', 10)], items: [['a.gcode', ['xl'], []]], conflicts: [] },
    {
      name: 'same path and size on two printers: both are read, in config order, to compare contents',
      candidates: [c('mk3', 'a.gcode', 10), c('mk4', 'a.gcode', 10)],
      items: [['a.gcode', ['mk4', 'mk3'], []]],
      conflicts: [],
    },
    {
      name: 'sizes differ: a conflict, nothing to pull',
      candidates: [c('mk4', 'a.gcode', 10), c('xl', 'a.gcode', 11)],
      items: [],
      conflicts: ['a.gcode'],
    },
    {
      name: '--prefer a printer that has the path: its copy alone, the others set aside',
      candidates: [c('mk4', 'a.gcode', 10), c('xl', 'a.gcode', 11), c('mk3', 'a.gcode', 12)],
      prefer: 'xl',
      items: [['a.gcode', ['xl'], ['mk4', 'mk3']]],
      conflicts: [],
    },
    {
      name: '--prefer a printer that lacks the path: the conflict stays',
      candidates: [c('mk4', 'a.gcode', 10), c('xl', 'a.gcode', 11)],
      prefer: 'mk3',
      items: [],
      conflicts: ['a.gcode'],
    },
    {
      name: 'paths differing in case are two files',
      candidates: [c('mk4', 'A.gcode', 10), c('mk3', 'a.gcode', 11)],
      items: [
        ['A.gcode', ['mk4'], []],
        ['a.gcode', ['mk3'], []],
      ],
      conflicts: [],
    },
    {
      name: 'the same path under two local roots (printers with their own source) is two files',
      candidates: [c('mk4', 'a.gcode', 10, undefined, '/m'), c('mk3', 'a.gcode', 11, undefined, '/m/mk3')],
      items: [
        ['a.gcode', ['mk4'], []],
        ['a.gcode', ['mk3'], []],
      ],
      conflicts: [],
    },
  ];
  for (const row of rows) {
    test(row.name, T, () => {
      const plan = planPull(row.candidates, { printerOrder: ORDER, ...(row.prefer ? { prefer: row.prefer } : {}) });
      assert.deepEqual(
        plan.items.map((i) => [i.path, i.sources.map((s) => s.printer), i.overridden.map((s) => s.printer)]),
        row.items,
      );
      assert.deepEqual(
        plan.conflicts.map((x) => x.path),
        row.conflicts,
      );
    });
  }

  test('a conflict names each printer with its size and time', T, () => {
    const plan = planPull([c('xl', 'a.gcode', 11, 1_700_000_100), c('mk4', 'a.gcode', 10, 1_700_000_000)], { printerOrder: ORDER });
    assert.deepEqual(plan.conflicts[0]?.copies, [
      { printer: 'mk4', size: 10, mTimestamp: 1_700_000_000 },
      { printer: 'xl', size: 11, mTimestamp: 1_700_000_100 },
    ]);
  });

  test('download queues: one per printer, every source of every item once', T, () => {
    const plan = planPull([c('mk4', 'a.gcode', 10), c('xl', 'a.gcode', 10), c('xl', 'b.gcode', 5)], { printerOrder: ORDER });
    const queues = downloadQueues(plan);
    assert.deepEqual([...queues.keys()].sort(), ['mk4', 'xl']);
    assert.deepEqual(
      queues.get('xl')?.map((j) => j.item.path),
      ['a.gcode', 'b.gcode'],
    );
    assert.deepEqual(
      queues.get('mk4')?.map((j) => j.item.path),
      ['a.gcode'],
    );
  });
});
