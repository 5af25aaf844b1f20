// A printer that echoes the password or API key it received URL-encoded or JSON-escaped in its error
// text: the sync's and the pull's stderr and --json show *** there, never the secret in any form.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startFarm, type SimFarm } from '../../src/simulator/index.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { gcode, tempDir, writeConfig, writeTree } from '../helpers/fixtures.js';

const T = { timeout: 60_000 };
const show = (run: CliRun): string => `exit ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
/** A MK4's password and a Buddy 4.4's API key, with the characters encodings change. */
const PASSWORD = String.raw`Pa"ss\Wo/rd+7%q`;
const API_KEY = String.raw`Ke"y\Sec/ret+9%x`;

/** How a printer may echo a secret: a URL path ('/' kept), a URL component, lower-case hex, JSON. */
function echoedForms(secret: string): string[] {
  const component = encodeURIComponent(secret);
  return [
    component.replace(/%2F/g, '/'),
    component,
    component.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
    JSON.stringify(secret).slice(1, -1),
  ];
}

describe('a secret echoed encoded by a printer', T, () => {
  let farm: SimFarm;
  let work: { dir: string; cleanup: () => void };
  before(async () => {
    farm = await startFarm([
      { name: 'mk4', model: 'MK4', password: PASSWORD },
      { name: 'mini', model: 'MINI', firmware: 'legacy', password: API_KEY },
    ]);
    work = tempDir();
  });
  after(async () => {
    await farm.close();
    work.cleanup();
  });

  test('is shown as *** on stderr and in --json', T, async () => {
    const master = path.join(work.dir, 'master');
    writeTree(master, { 'part.gcode': gcode('part', 600) });
    const config = writeConfig(work.dir, farm.printers);
    for (const [name, secret, method] of [
      ['mk4', PASSWORD, 'PUT'],
      ['mini', API_KEY, 'POST'],
    ] as const) {
      const printer = farm.printers.find((p) => p.name === name)!;
      printer.inject({ kind: 'status', status: 409, method, message: `busy: ${echoedForms(secret).join(' ')}` });
    }
    const sync = (...args: string[]): Promise<CliRun> =>
      runCli(['-c', config, '-s', master, '--state-dir', path.join(work.dir, 'state'), '--go', ...args], { cwd: work.dir });
    const plain = await sync();
    const json = await sync('--json');
    assert.equal(plain.code, 1, show(plain));
    assert.equal(json.code, 1, show(json));
    const messages = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; printer?: string; error?: { message: string } })
      .filter((e) => e.type === 'action-failed')
      .map((e) => `${e.printer}: ${e.error?.message}`);
    assert.equal(messages.length, 2, show(json));
    for (const secret of [PASSWORD, API_KEY]) {
      for (const form of [secret, ...echoedForms(secret)]) {
        for (const [where, text] of [
          ['stderr', plain.stderr],
          ['stdout', plain.stdout],
          ['--json stdout', json.stdout],
          ['--json stderr', json.stderr],
          ['--json messages', messages.join('\n')],
        ] as const) {
          assert.ok(!text.includes(form), `${form} appears in ${where}:\n${text}`);
        }
      }
    }
    for (const name of ['mk4', 'mini']) {
      assert.match(
        plain.stderr,
        new RegExp(`^${name}: FAILED to upload part\\.gcode: .*busy: \\*\\*\\* \\*\\*\\* \\*\\*\\* \\*\\*\\*`, 'm'),
        show(plain),
      );
      assert.ok(
        messages.some((m) => m.startsWith(`${name}: `) && m.includes('busy: *** *** *** ***')),
        messages.join('\n'),
      );
    }
  });

  test('pull shows it as *** too', T, async () => {
    const master = path.join(work.dir, 'pull-master');
    writeTree(master, { 'kept.gcode': gcode('kept', 300) });
    const config = writeConfig(work.dir, farm.printers);
    const mk4 = farm.printers.find((p) => p.name === 'mk4')!;
    mk4.seed('only-here.gcode', gcode('only here', 500));
    mk4.inject({
      kind: 'status',
      status: 409,
      method: 'GET',
      pathPrefix: '/usb/',
      message: `busy: ${[PASSWORD, ...echoedForms(PASSWORD)].join(' ')}`,
    });
    const pull = (...args: string[]): Promise<CliRun> =>
      runCli(
        [
          'pull',
          '-c',
          config,
          '-s',
          master,
          '-p',
          'mk4',
          '--go',
          '--retries',
          '0',
          '--state-dir',
          path.join(work.dir, 'pull-state'),
          ...args,
        ],
        {
          cwd: work.dir,
        },
      );
    const plain = await pull();
    const json = await pull('--json');
    assert.equal(plain.code, 1, show(plain));
    assert.equal(json.code, 1, show(json));
    assert.match(plain.stderr, /^mk4: FAILED to download only-here\.gcode: .*busy: \*\*\* \*\*\* \*\*\* \*\*\* \*\*\*/m, show(plain));
    const failed = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; error?: { message: string } })
      .find((e) => e.type === 'download-failed');
    assert.match(failed?.error?.message ?? '', /busy: \*\*\* \*\*\* \*\*\* \*\*\* \*\*\*/, show(json));
    for (const form of [PASSWORD, ...echoedForms(PASSWORD)]) {
      for (const [where, text] of [
        ['stderr', plain.stderr],
        ['stdout', plain.stdout],
        ['--json stdout', json.stdout],
        ['--json message', failed?.error?.message ?? ''],
      ] as const) {
        assert.ok(!text.includes(form), `${form} appears in ${where}:\n${text}`);
      }
    }
  });
});
