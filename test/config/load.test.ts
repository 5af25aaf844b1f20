// Loading printers.yml / printers.json: valid files normalise, and every bad input yields a
// ConfigError whose lines name the file, line, printer and key, and never a secret.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/errors.js';
import { loadConfig } from '../../src/config/load.js';
import { parseConfigText } from '../../src/config/parse.js';
import { selectPrinters } from '../../src/config/select.js';
import type { FarmConfig } from '../../src/config/types.js';

const SECRET = /SECRET|hunter2/;
const ENV = { FARM_PW: 'ENV-SECRET-PW', FARM_KEY: 'ENV-SECRET-KEY', EMPTY: '' };

const VALID_YAML = `# the farm
mk4-1:
  printer_type: Original Prusa MK4
  host: 192.168.0.10
  username: maker
  password: hunter2-SECRET
XL-Big:
  printer_type: xl
  host: https://xl.farm.example:8443/
  username: maker
  password_env: FARM_PW
mk3s:
  printer_type: i3 MK3S+
  host: "[fd00::3]"
  api_key: KEY-SECRET
mini:
  printer_type: MINI+
  host: mini.local:8080
  api_key_env: FARM_KEY
`;

const VALID_JSON = `{
  "mk4-1": {"printer_type": "Original Prusa MK4", "host": "192.168.0.10", "username": "maker", "password": "hunter2-SECRET"},
  "XL-Big": {"printer_type": "xl", "host": "https://xl.farm.example:8443/", "username": "maker", "password_env": "FARM_PW"},
  "mk3s": {"printer_type": "i3 MK3S+", "host": "[fd00::3]", "api_key": "KEY-SECRET"},
  "mini": {"printer_type": "MINI+", "host": "mini.local:8080", "api_key_env": "FARM_KEY"}
}
`;

const EXPECTED_PRINTERS: FarmConfig['printers'] = [
  {
    name: 'mk4-1',
    printerType: 'MK4',
    baseUrl: 'http://192.168.0.10',
    auth: { kind: 'digest', username: 'maker', password: 'hunter2-SECRET' },
  },
  {
    name: 'XL-Big',
    printerType: 'XL',
    baseUrl: 'https://xl.farm.example:8443',
    auth: { kind: 'digest', username: 'maker', password: 'ENV-SECRET-PW' },
  },
  { name: 'mk3s', printerType: 'MK3S+', baseUrl: 'http://[fd00::3]', auth: { kind: 'api-key', apiKey: 'KEY-SECRET' } },
  { name: 'mini', printerType: 'MINI+', baseUrl: 'http://mini.local:8080', auth: { kind: 'api-key', apiKey: 'ENV-SECRET-KEY' } },
];

/** Runs parseConfigText and selects every printer (a run without -p/-x), expecting a ConfigError; checks no secret leaks into anything shown. */
function configError(text: string, file = 'printers.yml', env: Record<string, string | undefined> = ENV): ConfigError {
  try {
    const config = parseConfigText(text, file, env);
    selectPrinters(config.printers, [], [], config.unresolved);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    for (const shown of [error.message, error.hint ?? '', ...error.errors]) assert.doesNotMatch(shown, SECRET);
    return error;
  }
  assert.fail('expected a ConfigError');
}

describe('config loading: valid files', { timeout: 5000 }, () => {
  it('reads a YAML file into normalised printers in file order', () => {
    const config = parseConfigText(VALID_YAML, 'printers.yml', ENV);
    assert.deepEqual(config.printers, EXPECTED_PRINTERS);
    assert.deepEqual(config.warnings, []);
    assert.ok(config.path.endsWith('printers.yml'));
  });

  it('reads the same printers from a JSON file', () => {
    assert.deepEqual(parseConfigText(VALID_JSON, 'printers.json', ENV).printers, EXPECTED_PRINTERS);
  });

  it('reads JSON written in a .yml file (JSON is YAML)', () => {
    assert.deepEqual(parseConfigText(VALID_JSON, 'printers.yml', ENV).printers, EXPECTED_PRINTERS);
  });

  it('reads YAML from a file with another extension', () => {
    assert.deepEqual(parseConfigText(VALID_YAML, 'farm.conf', ENV).printers, EXPECTED_PRINTERS);
  });

  it('accepts a byte-order mark and tab-indented JSON', () => {
    const text = '\uFEFF{\n\t"a": {\n\t\t"printer_type": "MK4S",\n\t\t"host": "a",\n\t\t"api_key": "k"\n\t}\n}\n';
    assert.equal(parseConfigText(text, 'p.json', {}).printers[0]?.printerType, 'MK4S');
  });
});

interface BadCase {
  name: string;
  text: string;
  file?: string;
  env?: Record<string, string | undefined>;
  /** Each expected line: its start (file:line: printer "x": ) and words it must contain. */
  lines: Array<[start: string, ...words: string[]]>;
}

const P = 'printers.yml';
const printer = (body: string, name = 'mk4-2'): string => `${name}:\n${body}`;
const OK_BODY = '  printer_type: MK4\n  host: 192.168.0.12\n';
const OTHER_BODY = '  printer_type: XL\n  host: 192.168.0.13\n';

const BAD: BadCase[] = [
  {
    name: 'a YAML syntax error, with its line',
    text: 'mk4:\n\thost: x\n  password: hunter2\n',
    lines: [[`${P}:2: YAML syntax error`, 'tab', 'spaces']],
  },
  {
    name: 'a YAML syntax error near a password, without quoting it',
    text: 'mk4:\n  host: x\n  username: maker\n   password: hunter2-SECRET\n',
    lines: [[`${P}:3: YAML syntax error`]],
  },
  {
    name: 'a bad escape in a quoted password, without quoting it',
    text: 'mk4:\n  password: "hunter2\\q-SECRET"\n',
    lines: [[`${P}:2: YAML syntax error`, 'escape']],
  },
  {
    name: 'a JSON syntax error (trailing comma), with its line',
    file: 'printers.json',
    text: '{\n  "mk4": {\n    "host": "x",\n  }\n}\n',
    lines: [['printers.json:4: JSON syntax error', 'property name', 'trailing commas']],
  },
  {
    name: 'a JSON syntax error at an unquoted password, without quoting it',
    file: 'printers.json',
    text: '{\n  "mk4": {"password": hunter2-SECRET}\n}\n',
    lines: [['printers.json:2: JSON syntax error', 'column 23', 'a value']],
  },
  { name: 'an empty file', text: '', lines: [[`${P}:1: the file is empty`]] },
  { name: 'a file of blank lines', text: '\n   \n', lines: [[`${P}:1: the file is empty`]] },
  { name: 'a file of comments only', text: '# printers go here\n', lines: [[`${P}:1: the file is empty`]] },
  { name: 'an empty JSON file', file: 'printers.json', text: '', lines: [['printers.json:1: the file is empty']] },
  { name: 'a top-level list', text: '- mk4\n- xl\n', lines: [[`${P}:1: the top level must be a mapping`, 'got a list']] },
  { name: 'a top-level word', text: 'printers\n', lines: [[`${P}:1: the top level must be a mapping`, 'got text']] },
  {
    name: 'a top-level JSON array',
    file: 'printers.json',
    text: '[{"host": "x"}]',
    lines: [['printers.json:1: the top level must be an object', 'got a list']],
  },
  { name: 'an empty mapping', text: '{}\n', lines: [[`${P}: no printers are configured`]] },
  {
    name: 'settings that are not a mapping',
    text: 'mk4: http://192.168.0.10\n',
    lines: [[`${P}:1: printer "mk4": settings must be a mapping`, 'got text', 'indent']],
  },
  { name: 'a printer with no settings', text: 'mk4:\n', lines: [[`${P}:1: printer "mk4": settings must be a mapping`, 'got nothing']] },
  {
    name: 'a missing host',
    text: printer('  printer_type: MK4\n  api_key: KEY-SECRET\n'),
    lines: [[`${P}:1: printer "mk4-2": missing host`, 'add host:']],
  },
  {
    name: 'a missing printer_type',
    text: printer('  host: x\n  api_key: KEY-SECRET\n'),
    lines: [[`${P}:1: printer "mk4-2": missing printer_type`, 'MK4S', 'CORE One']],
  },
  {
    name: 'a host that is not a URL',
    text: printer('  printer_type: MK4\n  host: htp://x\n  api_key: k\n'),
    lines: [[`${P}:3: printer "mk4-2": host "htp://x" is not a valid URL`, 'http://192.168.0.10']],
  },
  {
    name: 'a host with a path',
    text: printer('  printer_type: MK4\n  host: http://x/api\n  api_key: k\n'),
    lines: [[`${P}:3: printer "mk4-2": host "http://x/api" must not contain a path`]],
  },
  {
    name: 'a host holding credentials, without repeating them',
    text: printer('  printer_type: MK4\n  host: http://maker:hunter2-SECRET@x\n  api_key: k\n'),
    lines: [[`${P}:3: printer "mk4-2": host must not contain a user name or password`, 'username']],
  },
  {
    name: 'a host that is a number',
    text: printer('  printer_type: MK4\n  host: 42\n  api_key: k\n'),
    lines: [[`${P}:3: printer "mk4-2": host must be text`, 'got a number']],
  },
  {
    name: 'a host that is a list',
    text: printer('  printer_type: MK4\n  host: [a, b]\n  api_key: k\n'),
    lines: [[`${P}:3: printer "mk4-2": host must be text`, 'got a list']],
  },
  {
    name: 'a numeric password, without quoting it',
    text: printer(`${OK_BODY}  username: maker\n  password: 918273\n`),
    lines: [[`${P}:5: printer "mk4-2": password must be text`, 'got a number', 'quotes']],
  },
  {
    name: 'an empty password',
    text: printer(`${OK_BODY}  username: maker\n  password: ""\n`),
    lines: [[`${P}:5: printer "mk4-2": password is empty`]],
  },
  {
    name: 'an unknown printer_type, listing the accepted ones',
    text: printer('  printer_type: MK5\n  host: x\n  api_key: k\n'),
    lines: [
      [
        `${P}:2: printer "mk4-2": printer_type "MK5" is not a known model`,
        'did you mean "MK4"',
        'MK4S',
        'MK3.5',
        'XL',
        'MINI+',
        'CORE One',
        'MK3S+',
        'MK2.5S',
      ],
    ],
  },
  {
    name: 'an unknown key, suggesting the right one',
    text: printer(`${OK_BODY}  username: maker\n  pasword: hunter2-SECRET\n`),
    lines: [[`${P}:5: printer "mk4-2": unknown key "pasword"`, 'did you mean "password"?']],
  },
  {
    name: 'a habitual key name, suggesting ours',
    text: printer('  model: MK4\n  host: x\n  api_key: k\n'),
    lines: [
      [`${P}:1: printer "mk4-2": missing printer_type`],
      [`${P}:2: printer "mk4-2": unknown key "model"`, 'did you mean "printer_type"?'],
    ],
  },
  {
    name: 'an unknown key far from any other, listing the known ones',
    text: printer(`${OK_BODY}  api_key: k\n  colour: red\n`),
    lines: [[`${P}:5: printer "mk4-2": unknown key "colour"`, 'known keys: printer_type, host, username']],
  },
  {
    name: 'two names differing only in case',
    text: `${printer(`${OK_BODY}  api_key: k\n`, 'MK4-2')}${printer(`${OTHER_BODY}  api_key: k\n`)}`,
    lines: [[`${P}:5: printer "mk4-2": printer name differs only in case from "MK4-2" on line 1`, 'case-insensitively']],
  },
  {
    name: 'the same name twice',
    text: `${printer(`${OK_BODY}  api_key: k\n`)}${printer(`${OTHER_BODY}  api_key: k\n`)}`,
    lines: [[`${P}:5: printer "mk4-2": printer name is written twice (first on line 1)`]],
  },
  {
    name: 'two printers at one address',
    text: `${printer('  printer_type: MK4\n  host: HTTP://192.168.0.12:80/\n  api_key: k\n', 'a')}${printer(`${OK_BODY}  api_key: k\n`, 'b')}`,
    lines: [[`${P}:7: printer "b": host http://192.168.0.12 is also the host of printer "a" on line 3`]],
  },
  {
    name: 'a key written twice',
    text: printer(`${OK_BODY}  host: y\n  api_key: k\n`),
    lines: [[`${P}:4: printer "mk4-2": key "host" is written twice (first on line 3)`]],
  },
  {
    name: 'a missing environment variable, named',
    text: printer(`${OK_BODY}  username: maker\n  password_env: FARM_PASSWORD_MK4\n`),
    lines: [[`${P}:5: printer "mk4-2": password_env: environment variable FARM_PASSWORD_MK4 is not set`, 'export FARM_PASSWORD_MK4=']],
  },
  {
    name: 'an empty environment variable, named',
    text: printer(`${OK_BODY}  api_key_env: EMPTY\n`),
    lines: [[`${P}:4: printer "mk4-2": api_key_env: environment variable EMPTY is empty`]],
  },
  {
    name: 'an *_env that is no variable name, without quoting it',
    text: printer(`${OK_BODY}  username: maker\n  password_env: hunter2-SECRET!\n`),
    lines: [[`${P}:5: printer "mk4-2": password_env is not an environment variable name`]],
  },
  {
    name: 'both a password and an API key',
    text: printer(`${OK_BODY}  username: maker\n  password: hunter2-SECRET\n  api_key: KEY-SECRET\n`),
    lines: [[`${P}:6: printer "mk4-2": has both a password and an API key`, 'keep one']],
  },
  {
    name: 'both password and password_env',
    text: printer(`${OK_BODY}  username: maker\n  password: hunter2-SECRET\n  password_env: FARM_PW\n`),
    lines: [[`${P}:6: printer "mk4-2": has both password and password_env`]],
  },
  {
    name: 'no credentials at all',
    text: printer(OK_BODY),
    lines: [[`${P}:1: printer "mk4-2": has no credentials`, 'username: maker', 'api_key']],
  },
  {
    name: 'a password without a username',
    text: printer(`${OK_BODY}  password: hunter2-SECRET\n`),
    lines: [[`${P}:4: printer "mk4-2": has a password but no username`, 'maker']],
  },
  {
    name: 'a username with an API key',
    text: printer(`${OK_BODY}  username: maker\n  api_key: KEY-SECRET\n`),
    lines: [[`${P}:4: printer "mk4-2": has a username but no password`]],
  },
  { name: 'an unresolvable alias', text: 'mk4: *defaults\n', lines: [[`${P}:1: printer "mk4": uses a YAML alias`]] },
  {
    name: 'several problems at once, in file order, from several printers',
    text: `${printer('  printer_type: MK5\n  host: htp://x\n  pasword: hunter2-SECRET\n', 'a')}${printer('  printer_type: xl\n  host: 42\n  api_key: KEY-SECRET\n', 'b')}`,
    lines: [
      [`${P}:2: printer "a": printer_type "MK5"`],
      [`${P}:3: printer "a": host "htp://x"`],
      [`${P}:4: printer "a": unknown key "pasword"`],
      [`${P}:7: printer "b": host must be text`],
    ],
  },
  {
    name: 'problems in JSON with their lines',
    file: 'printers.json',
    text: '{\n  "a": {\n    "printer_type": "MK4",\n    "host": "x",\n    "pasword": "hunter2-SECRET"\n  }\n}\n',
    lines: [['printers.json:5: printer "a": unknown key "pasword"', 'did you mean "password"?']],
  },
];

describe('config loading: every bad input is named', { timeout: 5000 }, () => {
  for (const c of BAD) {
    it(`reports ${c.name}`, () => {
      const error = configError(c.text, c.file, c.env);
      assert.equal(error.errors.length, c.lines.length, error.errors.join('\n'));
      c.lines.forEach(([start, ...words], i) => {
        const line = error.errors[i] ?? '';
        assert.ok(line.startsWith(start), `line ${i}: ${JSON.stringify(line)} should start with ${JSON.stringify(start)}`);
        for (const word of words)
          assert.ok(line.includes(word), `line ${i}: ${JSON.stringify(line)} should mention ${JSON.stringify(word)}`);
      });
    });
  }

  it('puts a single problem on one line with its own hint', () => {
    const error = configError(printer('  printer_type: MK4\n  host: htp://x\n  api_key: k\n'));
    assert.equal(error.message, `${P}:3: printer "mk4-2": host "htp://x" is not a valid URL: scheme "htp" is not http or https`);
    assert.equal(error.hint, 'use http://192.168.0.10 or a bare host name');
    assert.equal(error.code, 'CONFIG');
  });

  it('starts a message about several problems with their count, then one line each', () => {
    const error = configError(
      `${printer('  printer_type: MK5\n  host: x\n  api_key: k\n', 'a')}${printer('  host: x\n  api_key: k\n', 'b')}`,
    );
    const lines = error.message.split('\n');
    assert.equal(lines[0], `${P}: 2 problems in the printer config`);
    assert.equal(lines.length, 3);
    assert.ok(lines[1]?.includes('printer "a": printer_type "MK5"'));
    assert.ok(lines[2]?.includes('printer "b": missing printer_type'));
  });

  it('names the file as the caller shows it', () => {
    try {
      parseConfigText('[]', '/etc/farm/printers.yml', {}, { displayName: 'farm.yml' });
      assert.fail('expected a ConfigError');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /^farm\.yml:1: /);
    }
  });
});

describe('config loading: files on disk', { timeout: 10000 }, () => {
  const withDir = async (run: (dir: string) => Promise<void>): Promise<void> => {
    const dir = await mkdtemp(join(tmpdir(), 'link-sync-config-'));
    try {
      await run(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  it('says how to fix a missing file', () =>
    withDir(async (dir) => {
      await assert.rejects(loadConfig(join(dir, 'printers.yml'), {}, { displayName: 'printers.yml' }), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.message, 'printers.yml: config file not found');
        assert.equal(error.hint, 'create printers.yml or pass -c PATH');
        return true;
      });
    }));

  it('refuses a folder given as the config file', () =>
    withDir(async (dir) => {
      await mkdir(join(dir, 'printers.yml'));
      await assert.rejects(loadConfig(join(dir, 'printers.yml'), {}), /is a folder, not a file/);
    }));

  it('reports a file it may not read', { skip: process.getuid?.() === 0 ? 'root reads any file' : false }, () =>
    withDir(async (dir) => {
      const file = join(dir, 'printers.yml');
      await writeFile(file, VALID_YAML);
      await chmod(file, 0o000);
      await assert.rejects(
        loadConfig(file, ENV),
        (error: unknown) => error instanceof ConfigError && /permission denied/.test(error.message),
      );
    }),
  );

  it('loads a valid file and returns its absolute path', () =>
    withDir(async (dir) => {
      const file = join(dir, 'printers.json');
      await writeFile(file, VALID_JSON, { mode: 0o600 });
      const config = await loadConfig(file, ENV);
      assert.equal(config.path, file);
      assert.deepEqual(config.printers, EXPECTED_PRINTERS);
      assert.deepEqual(config.warnings, []);
    }));

  it('warns when other users can read a password written in the file', { skip: process.platform === 'win32' }, () =>
    withDir(async (dir) => {
      const file = join(dir, 'printers.yml');
      await writeFile(file, VALID_YAML);
      await chmod(file, 0o644);
      const config = await loadConfig(file, ENV, { displayName: 'printers.yml' });
      assert.equal(config.warnings?.length, 1);
      assert.match(
        config.warnings?.[0] ?? '',
        /printers\.yml holds a password or API key and other users can read it \(mode 644\): run chmod 600 printers\.yml/,
      );
      assert.doesNotMatch(config.warnings?.[0] ?? '', SECRET);
    }),
  );

  it('does not warn when the secrets come from the environment', () =>
    withDir(async (dir) => {
      const file = join(dir, 'printers.yml');
      await writeFile(file, printer(`${OK_BODY}  username: maker\n  password_env: FARM_PW\n`));
      await chmod(file, 0o644);
      assert.deepEqual((await loadConfig(file, ENV)).warnings, []);
    }));
});

// Two jobs share one file: one syncs the MK4 group with MK4_PW set, the other the XL with XL_PW.
const SHARED = `mk4-1:
  printer_type: MK4
  host: 192.168.0.10
  username: maker
  password_env: MK4_PW
  groups: [mk4]
xl:
  printer_type: XL
  host: 192.168.0.11
  username: maker
  password_env: XL_PW
mini:
  printer_type: MINI
  host: 192.168.0.12
  api_key_env: MINI_KEY
  groups: [mk4]
`;

describe('config loading: a secret variable missing from the environment', { timeout: 5000 }, () => {
  const MK4_JOB = { MK4_PW: 'MK4-SECRET', MINI_KEY: 'MINI-SECRET' };
  const names = (include: string[], exclude: string[], env: Record<string, string | undefined>): string[] => {
    const config = parseConfigText(SHARED, P, env);
    return selectPrinters(config.printers, include, exclude, config.unresolved).printers.map((p) => p.name);
  };
  const selectError = (include: string[], exclude: string[], env: Record<string, string | undefined>): ConfigError => {
    const config = parseConfigText(SHARED, P, env);
    try {
      selectPrinters(config.printers, include, exclude, config.unresolved);
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      for (const shown of [error.message, error.hint ?? '', ...error.errors]) assert.doesNotMatch(shown, SECRET);
      return error;
    }
    assert.fail('expected a ConfigError');
  };

  it('loads, holding the printer apart without a secret', () => {
    const config = parseConfigText(SHARED, P, MK4_JOB);
    assert.deepEqual(
      config.printers.map((p) => p.name),
      ['mk4-1', 'mini'],
    );
    assert.deepEqual(
      config.unresolved?.map((p) => p.name),
      ['xl'],
    );
    assert.doesNotMatch(JSON.stringify(config.unresolved), SECRET);
  });

  it('is no error for a run that leaves that printer out (-x, -p, -p GROUP)', () => {
    assert.deepEqual(names([], ['xl'], MK4_JOB), ['mk4-1', 'mini']);
    assert.deepEqual(names(['mini'], [], MK4_JOB), ['mini']);
    assert.deepEqual(names(['MK4'], [], MK4_JOB), ['mk4-1', 'mini']);
  });

  it('is the error it always was, with its line, for a run that selects that printer', () => {
    for (const [include, exclude] of [
      [[], []],
      [['xl'], []],
      [[], ['mini']],
    ] as const) {
      const error = selectError([...include], [...exclude], MK4_JOB);
      assert.equal(error.message, `${P}:11: printer "xl": password_env: environment variable XL_PW is not set`);
      assert.equal(error.hint, 'export XL_PW=... before running link-sync');
    }
    const empty = selectError(['xl'], [], { ...MK4_JOB, XL_PW: '' });
    assert.equal(empty.message, `${P}:11: printer "xl": password_env: environment variable XL_PW is empty`);
  });

  it('lists every selected printer whose variable is missing, and only those', () => {
    const error = selectError(['xl', 'mk4'], [], { MK4_PW: 'MK4-SECRET' });
    assert.deepEqual(error.errors, [
      `${P}:11: printer "xl": password_env: environment variable XL_PW is not set (export XL_PW=... before running link-sync)`,
      `${P}:15: printer "mini": api_key_env: environment variable MINI_KEY is not set (export MINI_KEY=... before running link-sync)`,
    ]);
  });

  it('leaves every other problem an error of the whole file', () => {
    const duplicateHost = `${SHARED}mk4-2:\n  printer_type: MK4\n  host: 192.168.0.11\n  api_key: KEY-SECRET\n`;
    const error = configError(duplicateHost, P, MK4_JOB);
    assert.deepEqual(error.errors, [
      `${P}:11: printer "xl": password_env: environment variable XL_PW is not set (export XL_PW=... before running link-sync)`,
      `${P}:19: printer "mk4-2": host http://192.168.0.11 is also the host of printer "xl" on line 9 (list each printer once; a printer takes one transfer at a time)`,
    ]);
    const badName = configError(SHARED.replace('XL_PW', 'XL-PW'), P, MK4_JOB);
    assert.match(badName.message, /^printers\.yml:11: printer "xl": password_env is not an environment variable name$/);
  });
});

describe('config loading: other problems and missing secret variables in one error', { timeout: 5000 }, () => {
  // mk4-1 has a misspelt model and its variable set; xl lacks XL_PW; mini lacks MINI_KEY and has a bad host.
  const FILE = SHARED.replace('printer_type: MK4', 'printer_type: MK5').replace('host: 192.168.0.12', 'host: htp://192.168.0.12');
  const ENV_MK4 = { MK4_PW: 'MK4-SECRET' };
  const MODEL = `${P}:2: printer "mk4-1": printer_type "MK5" is not a known model`;
  const XL = `${P}:11: printer "xl": password_env: environment variable XL_PW is not set (export XL_PW=... before running link-sync)`;
  const HOST = `${P}:14: printer "mini": host "htp://192.168.0.12" is not a valid URL`;
  const MINI = `${P}:15: printer "mini": api_key_env: environment variable MINI_KEY is not set (export MINI_KEY=... before running link-sync)`;
  const lines = (selection?: { printers?: string[]; exclude?: string[] }, text = FILE): string[] => {
    try {
      parseConfigText(text, P, ENV_MK4, selection ? { selection } : {});
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      for (const shown of [error.message, error.hint ?? '', ...error.errors]) assert.doesNotMatch(shown, SECRET);
      return error.errors;
    }
    assert.fail('expected a ConfigError');
  };
  const starts = (got: string[], expected: string[]): void => {
    assert.equal(got.length, expected.length, got.join('\n'));
    for (const [i, line] of expected.entries()) assert.ok(got[i]?.startsWith(line), `${got[i]}\nshould start with\n${line}`);
  };

  it('lists every missing variable with the other problems, in file order, for a run of every printer', () => {
    starts(lines(), [MODEL, XL, HOST, MINI]);
    starts(lines({}), [MODEL, XL, HOST, MINI]);
  });

  it('lists only the missing variables of the printers -p or -x select, by name or group', () => {
    starts(lines({ printers: ['xl'] }), [MODEL, XL, HOST]);
    starts(lines({ printers: ['MK4'] }), [MODEL, HOST, MINI]);
    starts(lines({ exclude: ['xl'] }), [MODEL, HOST, MINI]);
    starts(lines({ exclude: ['mini', 'xl'] }), [MODEL, HOST]);
    // -x is ignored with -p, as when the printers are selected.
    starts(lines({ printers: ['xl'], exclude: ['xl'] }), [MODEL, XL, HOST]);
  });

  it('passes over names that match nothing: the file is reported, the names are checked once it loads', () => {
    starts(lines({ printers: ['nosuch'] }), [MODEL, HOST]);
    starts(lines({ printers: ['nosuch', 'xl'] }), [MODEL, XL, HOST]);
  });

  it('reports a variable missing for defaults once, at its line', () => {
    const text = `defaults:\n  username: maker\n  password_env: FARM_PW\na:\n  printer_type: MK5\n  host: h1\nb:\n  printer_type: MK4\n  host: h2\n`;
    const got = lines({}, text);
    starts(got, [`${P}:3: defaults: password_env: environment variable FARM_PW is not set`, `${P}:5: printer "a": printer_type "MK5"`]);
  });

  it('still loads a file whose only problem is a missing variable, leaving it to the selection', () => {
    const config = parseConfigText(SHARED, P, ENV_MK4, {
      selection: { printers: ['xl'] },
    });
    assert.deepEqual(
      config.printers.map((p) => p.name),
      ['mk4-1'],
    );
    assert.deepEqual(
      config.unresolved?.map((p) => p.name),
      ['xl', 'mini'],
    );
  });

  it('reads the selection through loadConfig as the CLI does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'link-sync-config-'));
    try {
      const file = join(dir, 'printers.yml');
      await writeFile(file, FILE, { mode: 0o600 });
      await assert.rejects(loadConfig(file, ENV_MK4, { displayName: P, selection: { exclude: ['mini'] } }), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        starts(error.errors, [MODEL, XL, HOST]);
        return true;
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
