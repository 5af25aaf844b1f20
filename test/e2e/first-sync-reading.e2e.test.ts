// A first sync with a record onto a printer that already holds the files: Buddy lists no sizes, so
// each file's size is asked once. The operator is told, in the --json stream and the plain log, and
// the next run asks nothing.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { repoRoot } from '../helpers/cli.js';
import { gcode } from '../helpers/fixtures.js';
import { useWorkspace } from '../helpers/workspace.js';

const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schema/events.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ strict: true, validateFormats: false }).compile(schema);

const FILES = 24;
const MASTER = Object.fromEntries(Array.from({ length: FILES }, (_, i) => [`batch-${i % 3}/part-${i}.gcode`, gcode(`part-${i}`, 400 + i)]));

interface Reading {
  type: 'printer-reading';
  printer: string;
  step: string;
  done: number;
  total: number;
}

function readings(stdout: string): Reading[] {
  const events = stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { type: string });
  for (const event of events) assert.ok(validate(event), `not in the schema: ${JSON.stringify(event)}`);
  return events.filter((e): e is Reading => e.type === 'printer-reading');
}

describe('reads before the plan of a first sync', { timeout: 60_000 }, () => {
  const ws = useWorkspace({
    printers: [
      { name: 'mk4-1', model: 'MK4' },
      { name: 'mk3s-2', model: 'MK3S' },
    ],
    master: MASTER,
    env: (dir) => ({ XDG_STATE_HOME: path.join(dir, 'state') }),
  });
  const seed = (): void => {
    for (const printer of ws.farm.printers) for (const [rel, body] of Object.entries(MASTER)) printer.seed(rel, Buffer.from(body));
  };

  test('a Buddy is asked each size once, with progress events from 0 to all; the Pi lists sizes', async () => {
    seed();
    const first = await ws.sync('--go', '--json');
    assert.equal(first.code, 0, first.stderr);
    const events = readings(first.stdout);
    const sizes = events.filter((e) => e.printer === 'mk4-1' && e.step === 'sizes');
    assert.deepEqual(sizes[0], { ...sizes[0], done: 0, total: FILES }, 'the start');
    assert.deepEqual(sizes.at(-1), { ...sizes.at(-1), done: FILES, total: FILES }, 'the end');
    const fileGets = ws
      .printer('mk4-1')
      .requests()
      .filter((r) => r.method === 'GET' && /\.(gcode|gco)$/i.test(r.target));
    assert.equal(fileGets.length, FILES, 'one size request per file');
    assert.deepEqual(
      events.filter((e) => e.printer === 'mk3s-2' && e.step === 'sizes'),
      [],
      'a Pi lists sizes: nothing to ask',
    );
    // Every file is adopted: its content is read once for the record, by whichever printer asks first.
    for (const printer of ['mk4-1', 'mk3s-2']) {
      const hashes = events.filter((e) => e.printer === printer && e.step === 'hashes');
      assert.equal(hashes.at(-1)?.done, FILES, `${printer}: all local files read`);
    }

    const second = await ws.sync('--go', '--json');
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(readings(second.stdout), [], 'the record vouches for everything: nothing is read');
  });

  test('the plain log says once, at its start, what the printer is asked and why', async () => {
    seed();
    const run = await ws.sync('--go');
    assert.equal(run.code, 0, run.stderr);
    const said = run.stdout.split('\n').filter((line) => line.includes('asking the printer for the size'));
    assert.deepEqual(said, [`mk4-1: asking the printer for the size of ${FILES} files (its listing gives none; one request each)`]);
  });
});
