// --json: one NDJSON line per event, stamped by the given clock, every line valid against schema/events.schema.json.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { EVENT_SCHEMA_VERSION, jsonReporter } from '../../src/report/json.js';
import { dryRun, goRun } from './events.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const schema = JSON.parse(readFileSync(path.join(root, 'schema/events.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ strict: true, validateFormats: false, allErrors: true }).compile(schema);
const FIXED = new Date('2026-12-05T12:00:00.000Z');

for (const [name, events] of [
  ['a --go run', goRun()],
  ['a dry run', dryRun()],
] as const) {
  test(`${name}: one line per event, each the event plus version and time, each valid against the schema`, () => {
    let text = '';
    const sink = jsonReporter(
      (line) => (text += line),
      () => FIXED,
    );
    for (const e of events) sink(e);
    assert.ok(text.endsWith('\n'));
    const lines = text.split('\n').slice(0, -1);
    assert.equal(lines.length, events.length);
    for (const [i, line] of lines.entries()) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      assert.equal(parsed.v, EVENT_SCHEMA_VERSION);
      assert.equal(parsed.time, '2026-12-05T12:00:00.000Z');
      const { v: _v, time: _time, ...event } = parsed;
      assert.deepEqual(event, JSON.parse(JSON.stringify(events[i])));
      assert.ok(validate(parsed), `${events[i]!.type}: ${JSON.stringify(validate.errors)}`);
    }
  });
}
