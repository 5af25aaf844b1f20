// Per-printer settings (destination, source, include/exclude, groups, match_model) and the
// `defaults` entry: how they load, merge and fail, each problem with its line and never a secret.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/errors.js';
import { parseConfigText } from '../../src/config/parse.js';
import { selectPrinters } from '../../src/config/select.js';
import type { PrinterConfig } from '../../src/config/types.js';

const ENV = { FARM_PW: 'ENV-SECRET-PW', FARM_KEY: 'ENV-SECRET-KEY' };

function load(text: string, file = 'printers.yml'): PrinterConfig[] {
  return parseConfigText(text, file, ENV).printers;
}

function problems(text: string, env: Record<string, string | undefined> = ENV): string[] {
  try {
    const config = parseConfigText(text, 'printers.yml', env);
    selectPrinters(config.printers, [], [], config.unresolved);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    for (const line of error.errors) assert.doesNotMatch(line, /SECRET/);
    return error.errors;
  }
  assert.fail('expected a ConfigError');
}

const FARM = `defaults:
  username: maker
  password_env: FARM_PW
  match_model: true
  destination: /usb/farm
  exclude: ["old/", "*_draft.gcode"]
mk4-1:
  printer_type: MK4S
  host: 192.168.0.11
  groups: [bay1, mk4]
xl-1:
  printer_type: XL
  host: 192.168.0.12
  destination: xl
  source: xl-only
  include: ["*.bgcode"]
  exclude: []
  groups: [bay1]
mk3-1:
  printer_type: MK3S
  host: pi.local
  api_key: KEY-SECRET
  match_model: false
`;

describe('per-printer settings and defaults', { timeout: 5000 }, () => {
  it('merges defaults under each printer; a printer’s own value wins, lists included', () => {
    const [mk4, xl, mk3] = load(FARM);
    assert.deepEqual(mk4, {
      name: 'mk4-1',
      printerType: 'MK4S',
      baseUrl: 'http://192.168.0.11',
      auth: { kind: 'digest', username: 'maker', password: 'ENV-SECRET-PW' },
      destination: { storage: 'usb', path: 'farm' },
      exclude: ['old/', '*_draft.gcode'],
      groups: ['bay1', 'mk4'],
      matchModel: true,
    });
    assert.deepEqual(xl?.destination, { path: 'xl' });
    assert.equal(xl?.source, 'xl-only');
    assert.deepEqual(xl?.include, ['*.bgcode']);
    assert.deepEqual(xl?.exclude, []);
    assert.equal(xl?.matchModel, true);
    assert.equal(mk3?.matchModel, false);
  });

  it('lets a printer’s own API key replace the default username and password', () => {
    const mk3 = load(FARM)[2];
    assert.deepEqual(mk3?.auth, { kind: 'api-key', apiKey: 'KEY-SECRET' });
  });

  it('lets a printer’s own password replace a default API key', () => {
    const [a, b] = load(
      `defaults:\n  api_key_env: FARM_KEY\na:\n  printer_type: MINI\n  host: a.local\n  username: maker\n  password: p-SECRET\nb:\n  printer_type: MINI\n  host: b.local\n`,
    );
    assert.deepEqual(a?.auth, { kind: 'digest', username: 'maker', password: 'p-SECRET' });
    assert.deepEqual(b?.auth, { kind: 'api-key', apiKey: 'ENV-SECRET-KEY' });
  });

  it('keeps a default username for a printer that gives only its own password', () => {
    const [a] = load(
      `defaults:\n  username: maker\n  password_env: FARM_PW\na:\n  printer_type: MINI\n  host: a.local\n  password: p-SECRET\n`,
    );
    assert.deepEqual(a?.auth, { kind: 'digest', username: 'maker', password: 'p-SECRET' });
  });

  it('takes printer_type from defaults for a farm of one model', () => {
    const printers = load(
      `defaults:\n  printer_type: mk4s\n  api_key_env: FARM_KEY\na:\n  host: a.local\nb:\n  host: b.local\n  printer_type: XL\n`,
    );
    assert.deepEqual(
      printers.map((p) => p.printerType),
      ['MK4S', 'XL'],
    );
  });

  it('accepts an empty defaults entry and a file in the original format (no new keys)', () => {
    const printers = load(`defaults:\nmk4:\n  printer_type: MK4\n  host: h\n  api_key: KEY-SECRET\n`);
    assert.equal(printers.length, 1);
    assert.equal(printers[0]?.destination, undefined);
    assert.equal(printers[0]?.matchModel, undefined);
  });

  it('reads the same settings from JSON', () => {
    const json = JSON.stringify({
      defaults: { api_key_env: 'FARM_KEY', match_model: true },
      'mk4-1': { printer_type: 'MK4', host: 'h1', groups: ['g'], include: ['*.bgcode'] },
    });
    const [p] = load(json, 'printers.json');
    assert.equal(p?.matchModel, true);
    assert.deepEqual(p?.groups, ['g']);
  });

  it('treats "defaults" in any case as the reserved name, never as a printer', () => {
    const printers = load(`Defaults:\n  api_key_env: FARM_KEY\na:\n  printer_type: MK4\n  host: h\n`);
    assert.deepEqual(
      printers.map((p) => p.name),
      ['a'],
    );
  });

  const bad: Array<[what: string, text: string, expected: RegExp]> = [
    [
      'a host in defaults',
      `defaults:\n  host: h\na:\n  printer_type: MK4\n  host: h2\n  api_key: k\n`,
      /printers\.yml:2: defaults: host cannot be a default/,
    ],
    [
      'an unknown key in defaults',
      `defaults:\n  match_modle: true\na:\n  printer_type: MK4\n  host: h2\n  api_key: k\n`,
      /printers\.yml:2: defaults: unknown key "match_modle"/,
    ],
    [
      'defaults that are not a mapping',
      `defaults: [a]\na:\n  printer_type: MK4\n  host: h2\n  api_key: k\n`,
      /printers\.yml:1: defaults: must be a mapping/,
    ],
    ['only defaults', `defaults:\n  api_key: k\n`, /no printers are configured/],
    [
      'a destination leaving the storage',
      `a:\n  printer_type: MK4\n  host: h\n  api_key: k\n  destination: farm/../..\n`,
      /printers\.yml:5: printer "a": destination "farm\/\.\.\/\.\.": "\.\." is not allowed/,
    ],
    [
      'a blank destination',
      `a:\n  printer_type: MK4\n  host: h\n  api_key: k\n  destination: "   "\n`,
      /printers\.yml:5: printer "a": destination " {3}" is blank \(give \/ for the storage root, or remove the line\)/,
    ],
    [
      'a blank destination in defaults',
      `defaults:\n  destination: " "\na:\n  printer_type: MK4\n  host: h\n  api_key: k\n`,
      /printers\.yml:2: defaults: destination " " is blank/,
    ],
    [
      'a destination with a character no printer stores',
      `a:\n  printer_type: MK4\n  host: h\n  api_key: k\n  destination: "farm/a?b"\n`,
      /printers\.yml:5: printer "a": destination "farm\/a\?b": "a\?b" contains the character "\?", which no printer allows in a folder name/,
    ],
    [
      'a destination on the read-only sdcard',
      `a:\n  printer_type: MK3S\n  host: h\n  api_key: k\n  destination: /sdcard/x\n`,
      /printers\.yml:5: .*sdcard storage is read-only/,
    ],
    [
      'a bad include pattern',
      `a:\n  printer_type: MK4\n  host: h\n  api_key: k\n  include: ["*.{gcode"]\n`,
      /printers\.yml:5: printer "a": include pattern "\*\.\{gcode" has a "\{" without its "\}"/,
    ],
    [
      'include given as text',
      `a:\n  printer_type: MK4\n  host: h\n  api_key: k\n  include: "*.bgcode"\n`,
      /printers\.yml:5: printer "a": include must be a list \(got text\)/,
    ],
    ['a number in a group list', `a:\n  printer_type: MK4\n  host: h\n  api_key: k\n  groups: [1]\n`, /groups must be a list of text/],
    [
      'match_model as text',
      `a:\n  printer_type: MK4\n  host: h\n  api_key: k\n  match_model: "yes"\n`,
      /match_model must be true or false \(got text\)/,
    ],
    [
      'a misspelt routing key',
      `a:\n  printer_type: MK4\n  host: h\n  api_key: k\n  group: [x]\n`,
      /unknown key "group".*did you mean "groups"/,
    ],
    [
      'a group named like a printer',
      `a:\n  printer_type: MK4\n  host: h\n  api_key: k\n  groups: [B]\nb:\n  printer_type: MK4\n  host: h2\n  api_key: k\n`,
      /printers\.yml:5: printer "a": group "B" has the name of printer "b"/,
    ],
  ];
  for (const [what, text, expected] of bad) {
    it(`reports ${what} with its line`, () => {
      const lines = problems(text);
      assert.ok(
        lines.some((l) => expected.test(l)),
        lines.join('\n'),
      );
    });
  }

  it('reports a problem with a default once, at the defaults line, not once per printer', () => {
    const text = `defaults:\n  username: maker\n  password_env: UNSET_VAR\na:\n  printer_type: MK4\n  host: h1\nb:\n  printer_type: MK4\n  host: h2\n`;
    const lines = problems(text, {});
    const unset = lines.filter((l) => /UNSET_VAR is not set/.test(l));
    assert.equal(unset.length, 1, lines.join('\n'));
    assert.match(unset[0] ?? '', /^printers\.yml:3: defaults: password_env/);
  });
});

describe('the mixed-farm example in the README', { timeout: 5000 }, () => {
  it('loads as documented', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('A mixed farm:');
    const block = /```yaml\n([\s\S]*?)```/.exec(readme.slice(start))?.[1];
    assert.ok(block, 'the README has the example');
    const printers = parseConfigText(block, 'printers.yml', { FARM_PASSWORD: 'x', MINI_PASSWORD: 'y', MK3_API_KEY: 'z' }).printers;
    const byName = new Map(printers.map((p) => [p.name, p] as const));
    assert.deepEqual([...byName.keys()], ['mk4-bay1', 'mk4-bay2', 'xl-bay1', 'mini-desk', 'mk3-pi']);
    assert.ok(printers.every((p) => p.matchModel === true));
    assert.deepEqual(byName.get('xl-bay1')?.destination, { storage: 'usb', path: 'xl' });
    assert.deepEqual(byName.get('xl-bay1')?.exclude, ['drafts/']);
    assert.deepEqual(byName.get('mini-desk')?.auth, { kind: 'digest', username: 'maker', password: 'y' });
    assert.deepEqual(byName.get('mk3-pi')?.auth, { kind: 'api-key', apiKey: 'z' });
    assert.equal(byName.get('mk3-pi')?.source, 'mk3');
  });
});
