// The farm page of `watch --http` in a real headless Chromium (the system's, driven by playwright-core):
// every printer is listed with its state, a state change and a running upload's progress appear without
// a reload, a busy printer is shown behind a master that changed, and no password is in anything the
// server sends. Set LINK_SYNC_SCREENSHOT=FILE to save a screenshot of the farm mid-sync
// (docs/farm-page.png is made that way).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startFarm, type SimFarm } from '../../src/simulator/index.js';
import { startCli, type BackgroundCli } from '../helpers/background.js';
import { closedPort } from '../helpers/ports.js';
import { configYaml, gcode, tempDir, writeTree } from '../helpers/fixtures.js';
import { repoRoot } from '../helpers/cli.js';

const statusSchema = JSON.parse(readFileSync(path.join(repoRoot, 'schema/status.schema.json'), 'utf8')) as object;
const validateStatus = new Ajv2020({ strict: true, validateFormats: false, allErrors: true }).compile(statusSchema);

/** The little of the DOM the page functions below use (they run in the browser, not here). */
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): { length: number };
};

const CHROMIUM = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
const INTERVAL_MS = 500;
/** Two polling intervals, plus the page's push delay and a margin for a loaded machine. */
const TWO_INTERVALS = 2 * INTERVAL_MS + 2500;
const BIG = 12_000_000;

describe('the farm page in a browser', {
  timeout: 120_000,
  skip: CHROMIUM ? false : 'no Chromium (install the Debian package chromium, or set CHROMIUM_PATH)',
}, () => {
  let farm: SimFarm;
  let work: { dir: string; cleanup: () => void };
  let cli: BackgroundCli;
  let browser: Browser;
  let page: Page;
  let url: string;
  const passwords: string[] = [];

  before(async () => {
    // Chromium starts while the farm and the watch do.
    const launching = chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox'] });
    launching.then(
      (started) => (browser = started),
      () => undefined,
    );
    farm = await startFarm([
      { name: 'mk4s-1', model: 'MK4S' },
      { name: 'xl-2', model: 'XL', rateBytesPerSec: 100_000 },
      { name: 'mk3s-3', model: 'MK3S' },
      { name: 'mk4-5', model: 'MK4' },
    ]);
    work = tempDir();
    writeTree(path.join(work.dir, 'master'), { 'benchy.gcode': gcode('benchy', 20_000), 'parts/big plate.gcode': gcode('big', BIG) });
    const gone = `mk4-4:\n  printer_type: MK4\n  host: http://127.0.0.1:${await closedPort()}\n  username: maker\n  password: gone-printer-secret\n`;
    writeFileSync(path.join(work.dir, 'printers.yml'), configYaml(farm.printers) + gone, { mode: 0o600 });
    passwords.push(...farm.printers.map((p) => p.credentials.password), 'gone-printer-secret');
    const printing = farm.printers[0]!;
    printing.seed('calibration cube.gcode', gcode('cube'));
    printing.setState('PRINTING', { file: 'calibration cube.gcode', progress: 45 });
    farm.printers[3]!.inject({ kind: 'status', status: 503, pathPrefix: '/api/v1/status' });
    cli = startCli(
      [
        'watch',
        '-c',
        'printers.yml',
        '-s',
        'master',
        '-g',
        '--http',
        '0',
        '--poll-ms',
        String(INTERVAL_MS),
        '--settle-ms',
        '300',
        '--retries',
        '0',
      ],
      {
        cwd: work.dir,
        env: { XDG_STATE_HOME: path.join(work.dir, 'state') },
      },
    );
    await cli.waitFor('the farm page address', () => /Farm page: (\S+)\//.test(cli.stdout()));
    url = /Farm page: (\S+)\//.exec(cli.stdout())![1]!;
    browser = await launching;
    page = await browser.newPage({ viewport: { width: 1280, height: 400 } });
    await page.goto(`${url}/`);
  });

  after(async () => {
    await browser?.close();
    await cli?.stop('SIGTERM');
    await farm?.close();
    work?.cleanup();
  });

  const cell = (printer: string, column: string) => page.locator(`tr[data-printer="${printer}"] td.${column}`);
  const stateOf = (printer: string) => page.locator(`tr[data-printer="${printer}"] .state`).first().textContent();

  test('lists every printer with its state, job, an unreachable one and one answering 503 as such', async () => {
    await page.waitForFunction(() => document.querySelectorAll('#farm tbody tr').length === 5, undefined, { timeout: 10_000 });
    await page.waitForFunction(() => document.querySelector('tr[data-printer="mk4-4"] .state')?.textContent === 'UNREACHABLE', undefined, {
      timeout: 10_000,
    });
    // It answers, with an error: not the same as no answer at all.
    await page.waitForFunction(
      () => document.querySelector('tr[data-printer="mk4-5"] .state')?.textContent === 'PRINTER ERROR (HTTP 503)',
      undefined,
      { timeout: 10_000 },
    );
    assert.equal(await stateOf('mk4s-1'), 'PRINTING');
    assert.match((await cell('mk4s-1', 'job').textContent()) ?? '', /calibration cube\.gcode.*45%/);
    assert.equal(await stateOf('mk3s-3'), 'IDLE');
  });

  test('a running upload appears on the page with its progress, without a reload', async () => {
    await page.waitForFunction(
      () => /big plate\.gcode.* of 12\.0 MB \(\d+%\)/.test(document.querySelector('tr[data-printer="xl-2"] td.upload')?.textContent ?? ''),
      undefined,
      { timeout: 30_000 },
    );
    await page.waitForFunction(
      () => (document.querySelector('tr[data-printer="xl-2"] td.pending')?.textContent ?? '').includes('to upload'),
      undefined,
      { timeout: TWO_INTERVALS },
    );
    const shot = process.env['LINK_SYNC_SCREENSHOT'];
    if (shot) await page.screenshot({ path: shot, fullPage: true });
  });

  test('the upload progress, as the printer reports it, moves within two intervals', async () => {
    const first = await cell('xl-2', 'upload').textContent();
    await page.waitForFunction(
      (before) => {
        const now = document.querySelector('tr[data-printer="xl-2"] td.upload')?.textContent ?? '';
        return now !== before && / of 12\.0 MB/.test(now);
      },
      first,
      { timeout: TWO_INTERVALS },
    );
  });

  test('a state change in the simulator appears within two intervals, without a reload', async () => {
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));
    farm.printers[2]!.setState('BUSY');
    await page.waitForFunction(() => document.querySelector('tr[data-printer="mk3s-3"] .state')?.textContent === 'BUSY', undefined, {
      timeout: TWO_INTERVALS,
    });
    farm.printers[0]!.setState('IDLE');
    await page.waitForFunction(() => document.querySelector('tr[data-printer="mk4s-1"] .state')?.textContent === 'IDLE', undefined, {
      timeout: TWO_INTERVALS,
    });
    assert.deepEqual(navigations, [], 'the page reloaded');
  });

  test('a master change while a printer is busy: the page says it is behind the master, not in sync', async () => {
    // mk3s-3 is BUSY since the test above.
    writeTree(path.join(work.dir, 'master'), { 'added later.gcode': gcode('later') });
    await page.waitForFunction(
      () =>
        document.querySelector('tr[data-printer="mk3s-3"] td.pending')?.textContent === 'behind the master (changed since its last sync)',
      undefined,
      { timeout: 30_000 },
    );
    await page.waitForFunction(
      () =>
        document.querySelector('tr[data-printer="mk3s-3"] .activity')?.textContent ===
        'waiting until it is free (master changed since last sync)',
      undefined,
      { timeout: TWO_INTERVALS },
    );
    assert.match((await page.locator('#summary').textContent()) ?? '', /\d+ behind the master/);
  });

  test('no password anywhere in what the server sends, and nothing accepts a change', async () => {
    const bodies = [await page.content()];
    for (const target of ['/', '/farm.js', '/farm.css', '/api/farm']) bodies.push(await (await fetch(`${url}${target}`)).text());
    const events = await fetch(`${url}/api/events`);
    const reader = events.body!.getReader();
    bodies.push(new TextDecoder().decode((await reader.read()).value));
    await reader.cancel();
    for (const body of bodies) for (const password of passwords) assert.ok(!body.includes(password), 'a password was served');
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(`${url}/api/farm`, { method, body: '{}' });
      assert.equal(res.status, 405, method);
    }
    const doc = (await (await fetch(`${url}/api/farm`)).json()) as { printers: unknown[] };
    assert.ok(validateStatus(doc), `GET /api/farm does not match schema/status.schema.json: ${JSON.stringify(validateStatus.errors)}`);
    assert.equal(doc.printers.length, 5);
  });
});
