// Importing the library loads no CLI code: not commander, not the live view (log-update), nothing under cli/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tempDir } from '../helpers/fixtures.js';

const T = { timeout: 30_000 };
const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const registrar = path.join(dist, 'test/helpers/register-load-recorder.js');

/** Every module URL resolved while a fresh Node process imports `file`. */
function modulesLoadedBy(file: string): string[] {
  const work = tempDir();
  try {
    const log = path.join(work.dir, 'loads.txt');
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        pathToFileURL(registrar).href,
        '--input-type=module',
        '-e',
        `await import(${JSON.stringify(pathToFileURL(file).href)});`,
      ],
      { env: { PATH: process.env.PATH, LINK_SYNC_LOAD_LOG: log }, encoding: 'utf8', timeout: 20_000 },
    );
    assert.equal(child.status, 0, child.stderr);
    return readFileSync(log, 'utf8').split('\n').filter(Boolean);
  } finally {
    work.cleanup();
  }
}

const isCliCode = (url: string): boolean =>
  /\/node_modules\/(commander|log-update)\//.test(url) || url.includes('/dist/src/cli/') || url.endsWith('/dist/src/bin.js');

test('import of the library entry (dist/src/index.js) loads no commander, no log-update and nothing from cli/', T, () => {
  const loaded = modulesLoadedBy(path.join(dist, 'src/index.js'));
  assert.ok(
    loaded.some((u) => u.endsWith('/dist/src/run/sync.js')),
    `the recorder saw the library load:\n${loaded.join('\n')}`,
  );
  assert.deepEqual(loaded.filter(isCliCode), []);
});

test('the same check sees commander when the sync command is loaded (the recorder can fail)', T, () => {
  const loaded = modulesLoadedBy(path.join(dist, 'src/cli/commands/sync.js'));
  assert.ok(
    loaded.some((u) => u.includes('/node_modules/commander/')),
    loaded.join('\n'),
  );
});
