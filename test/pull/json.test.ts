// pull --json: one NDJSON line per event with version, time and command, every kind of event valid
// against schema/pull-events.schema.json, and the schema rejecting lines that break it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { pullJsonReporter } from '../../src/pull/report.js';
import type { PullEvent, PullPrinterResult } from '../../src/pull/types.js';
import { EVENT_SCHEMA_VERSION } from '../../src/report/json.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const schema = JSON.parse(readFileSync(path.join(root, 'schema/pull-events.schema.json'), 'utf8')) as {
  properties: { type: { enum: string[] } };
};
const validate = new Ajv2020({ strict: true, validateFormats: false, allErrors: true }).compile(schema);
const FIXED = new Date('2026-12-05T12:00:00.000Z');

const mk4: PullPrinterResult = {
  printer: 'mk4-1',
  outcome: 'pulled',
  candidates: 2,
  downloaded: 2,
  failed: 0,
  refused: 0,
  bytes: 9000,
  durationMs: 812,
};
const mk3: PullPrinterResult = {
  printer: 'mk3-2',
  outcome: 'failed',
  reason: '1 download(s) failed',
  error: { code: 'PRINTER_PROTOCOL', message: 'connection lost during download of a.gcode', hint: 'run pull again' },
  candidates: 3,
  downloaded: 1,
  failed: 1,
  refused: 1,
  bytes: 4000,
  durationMs: 1500.5,
};
const xl: PullPrinterResult = {
  printer: 'xl-3',
  outcome: 'credentials-refused',
  reason: 'printer xl-3: credentials refused when reading the storage list (401 Unauthorized)',
  error: {
    code: 'PRINTER_AUTH',
    message: 'printer xl-3: credentials refused when reading the storage list (401 Unauthorized)',
    hint: 'check the username and password (or API key) for this printer in the config',
  },
  candidates: 0,
  downloaded: 0,
  failed: 0,
  refused: 0,
  bytes: 0,
  durationMs: 40,
};
const conflict = {
  localRoot: '/srv/master',
  path: 'part.gcode',
  copies: [
    { printer: 'mk4-1', size: 3000, mTimestamp: 1_750_000_000 },
    { printer: 'mk3-2', size: 3500 },
  ],
  reason: 'the printers hold copies of different sizes',
};

/** Every kind of event pull emits, with the optional fields both present and absent. */
const EVENTS: PullEvent[] = [
  { type: 'warning', message: 'printer mini-3 is excluded by -x' },
  { type: 'pull-start', dryRun: false, printers: ['mk4-1', 'mk3-2'], master: '/srv/master' },
  {
    type: 'printer-scanned',
    printer: 'mk4-1',
    storage: 'usb',
    root: '',
    candidates: [
      { path: 'sliced/benchy.gcode', size: 5000, mTimestamp: 1_750_000_000 },
      { path: 'part.gcode', size: 3000 },
    ],
    refused: [],
    skipped: [{ path: 'incoming.gcode', reason: 'a Prusa Connect download still in progress' }],
  },
  {
    type: 'printer-scanned',
    printer: 'mk3-2',
    storage: 'local',
    root: 'farm',
    candidates: [{ path: 'part.gcode', size: 3500 }],
    refused: [{ path: '../escape.gcode', reason: 'it holds ".." (a name that leaves its folder)' }],
    skipped: [],
  },
  {
    type: 'plan',
    items: [
      { path: 'sliced/benchy.gcode', size: 5000, from: ['mk4-1'], overridden: [] },
      { path: 'twin.gcode', size: 800, from: ['mk4-1', 'mk3-2'], overridden: [] },
    ],
    conflicts: [conflict],
  },
  { type: 'conflict', conflict },
  { type: 'download-start', printer: 'mk4-1', path: 'sliced/benchy.gcode', size: 5000 },
  { type: 'download-progress', printer: 'mk4-1', path: 'sliced/benchy.gcode', bytes: 2048, total: 5000 },
  { type: 'download-done', printer: 'mk4-1', path: 'sliced/benchy.gcode', bytes: 5000, durationMs: 120 },
  {
    type: 'download-failed',
    printer: 'mk3-2',
    path: 'twin.gcode',
    error: { code: 'PRINTER_PROTOCOL', message: 'connection lost during download of twin.gcode' },
  },
  {
    type: 'conflict',
    conflict: {
      localRoot: '/srv/master',
      path: 'twin.gcode',
      copies: [
        { printer: 'mk4-1', size: 800, sha256: 'a'.repeat(64) },
        { printer: 'mk3-2', size: 800, mTimestamp: 1_750_000_060, sha256: 'b'.repeat(64) },
      ],
      reason: 'the printers hold copies of the same size with different content',
    },
  },
  { type: 'pulled', path: 'sliced/benchy.gcode', localPath: '/srv/master/sliced/benchy.gcode', from: ['mk4-1'], bytes: 5000 },
  { type: 'warning', printer: 'mk3-2', message: 'listing /local/farm: retry 1 of 3 in 0.5 s' },
  { type: 'printer-done', result: mk4 },
  { type: 'printer-done', result: mk3 },
  { type: 'printer-done', result: xl },
  {
    type: 'pull-done',
    summary: {
      dryRun: false,
      printers: [mk4, mk3, xl],
      pulled: 1,
      conflicts: 2,
      refused: 1,
      failed: 1,
      durationMs: 2100,
      interrupted: false,
    },
  },
];

const lines = (events: PullEvent[]): Array<Record<string, unknown>> => {
  let text = '';
  const sink = pullJsonReporter(
    (line) => (text += line),
    () => FIXED,
  );
  for (const e of events) sink(e);
  assert.ok(text.endsWith('\n'));
  return text
    .split('\n')
    .slice(0, -1)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
};

test('every kind of pull event: one line each, the event plus version, time and command, valid against the schema', () => {
  const parsed = lines(EVENTS);
  assert.equal(parsed.length, EVENTS.length);
  for (const [i, line] of parsed.entries()) {
    assert.equal(line.v, EVENT_SCHEMA_VERSION);
    assert.equal(line.time, '2026-12-05T12:00:00.000Z');
    assert.equal(line.command, 'pull');
    const { v: _v, time: _time, command: _command, ...event } = line;
    assert.deepEqual(event, JSON.parse(JSON.stringify(EVENTS[i])));
    assert.ok(validate(line), `${EVENTS[i]!.type}: ${JSON.stringify(validate.errors)}`);
  }
  assert.deepEqual(
    [...new Set(EVENTS.map((e) => e.type))].sort(),
    [...schema.properties.type.enum].sort(),
    'the table covers every type the schema names, and the schema every type the table has',
  );
});

test('the schema refuses lines that break it', () => {
  const [start] = lines([{ type: 'pull-start', dryRun: true, printers: ['mk4-1'], master: '/m' }]);
  const [done] = lines([{ type: 'printer-done', result: mk4 }]);
  const broken: Array<[string, Record<string, unknown>]> = [
    ['no version', { ...start, v: undefined }],
    ['no time', { ...start, time: undefined }],
    ["a sync's command", { ...start, command: 'sync' }],
    ['no command', { ...start, command: undefined }],
    ['an unknown type', { ...start, type: 'pull-begin' }],
    ['a missing field', { ...start, master: undefined }],
    ["a sync's printer result", { ...done, result: { printer: 'mk4-1', outcome: 'in-sync' } }],
    ['an unknown outcome', { ...done, result: { ...mk4, outcome: 'in-sync' } }],
    ['a negative byte count', { ...done, result: { ...mk4, bytes: -1 } }],
  ];
  for (const [what, line] of broken) {
    const json = JSON.parse(JSON.stringify(line)) as unknown;
    assert.equal(validate(json), false, what);
  }
});
