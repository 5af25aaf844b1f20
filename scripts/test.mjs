// Runs the compiled test files (dist/**/*.test.js) under node:test; helper modules beside them are not run as tests.
// Usage: node scripts/test.mjs [folder or file ...]   (default: dist/test)
// Three files run at a time (most tests wait on simulated printers, so a third keeps both cores busy),
// the slowest first (by the last whole run's durations, kept in dist/, else by scripts/test-durations.json),
// so no long file is left to run alone at the end.

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { timingKey } from './durations-reporter.mjs';

const durationsFile = path.join('dist', '.test-durations.json');

/** dist/test/a/b.test.js is run only while test/a/b.test.ts exists: tsc never deletes the output of a removed or moved test. */
function hasSource(file) {
  const rel = path.relative('dist', file);
  return !rel.startsWith('..') && existsSync(rel.replace(/\.js$/, '.ts'));
}

function testFiles(target) {
  if (!statSync(target).isDirectory()) return [target];
  return readdirSync(target, { recursive: true })
    .filter((name) => name.endsWith('.test.js'))
    .map((name) => path.join(target, name))
    .filter(hasSource);
}

/** Timings of a whole run of this suite, checked in: the order for a clone that has not run it yet. */
const shippedDurationsFile = fileURLToPath(new URL('./test-durations.json', import.meta.url));

function readDurations(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Milliseconds each file took in this clone's last whole run, else in the checked-in one; a file in
 *  neither (a new test) is guessed: the folders whose tests start printers and processes first, then size. */
function expectedCost() {
  const last = readDurations(durationsFile) ?? readDurations(shippedDurationsFile) ?? {};
  const slowFolder = /[\\/](e2e|reliability|simulator)[\\/]/;
  return (file) => last[timingKey(file)] ?? statSync(file).size * (slowFolder.test(file) ? 10 : 1);
}

const targets = process.argv.slice(2);
const found = (targets.length > 0 ? targets : ['dist/test']).flatMap(testFiles);
if (found.length === 0) {
  console.error(`no *.test.js files under ${targets.join(' ') || 'dist/test'}; run npm run build first`);
  process.exit(1);
}
const cost = expectedCost();
const files = found.map((file) => ({ file, cost: cost(file) })).sort((a, b) => b.cost - a.cost || a.file.localeCompare(b.file));
const reporter = fileURLToPath(new URL('./durations-reporter.mjs', import.meta.url));
const fresh = `${durationsFile}.new`;
const child = spawn(
  process.execPath,
  [
    '--test',
    '--test-concurrency=3',
    '--test-timeout=120000',
    `--test-reporter=${process.stdout.isTTY ? 'spec' : 'tap'}`,
    '--test-reporter-destination=stdout',
    `--test-reporter=${reporter}`,
    `--test-reporter-destination=${fresh}`,
    ...files.map((f) => f.file),
  ],
  { stdio: 'inherit' },
);
child.on('close', (code, signal) => {
  // Only a whole run's timings replace the last ones: a run of one folder would forget the rest.
  if (targets.length === 0 && existsSync(fresh)) renameSync(fresh, durationsFile);
  process.exit(code ?? (signal ? 1 : 0));
});
