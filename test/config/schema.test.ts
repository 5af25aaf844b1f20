// The JSON Schema shipped in schema/ is the one generated from the zod schema, and it agrees with
// the loader on what a valid file looks like. Set UPDATE_SCHEMA=1 to rewrite the file.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { configJsonSchema, defaultsSchema, printerEntrySchema, PRINTER_KEYS } from '../../src/config/schema.js';
import { checkedPart, entryCheckers } from '../../src/config/entry-check.js';
import { parseConfigText } from '../../src/config/parse.js';

// Compiled to dist/test/config/, three levels below the repository root.
const SCHEMA_FILE = fileURLToPath(new URL('../../../schema/printers.schema.json', import.meta.url));
const ENTRY_SCHEMA_FILE = fileURLToPath(new URL('../../../src/config/entry-schema.ts', import.meta.url));

/** src/config/entry-schema.ts: the parts of the JSON Schema the loader checks entries against. */
function entrySchemaModule(): string {
  const schema = configJsonSchema() as {
    properties: { defaults: Record<string, unknown> };
    else: { additionalProperties: Record<string, unknown> };
  };
  const data = (value: unknown): string => JSON.stringify(value, null, 2);
  return [
    '// Generated from schema.ts by `UPDATE_SCHEMA=1 npm test` (test/config/schema.test.ts fails while it is stale):',
    '// the validation keywords of schema/printers.schema.json for a printer entry and for `defaults`, read by entry-check.ts.',
    '',
    `export const PRINTER_ENTRY_SCHEMA = ${data(checkedPart(schema.else.additionalProperties))};`,
    '',
    `export const DEFAULTS_SCHEMA = ${data(checkedPart(schema.properties.defaults))};`,
    '',
  ].join('\n');
}

describe('config JSON Schema', { timeout: 10000 }, () => {
  it('matches schema/printers.schema.json in the repository', async () => {
    const generated = `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
    if (process.env['UPDATE_SCHEMA'] === '1') await writeFile(SCHEMA_FILE, generated);
    const stored = await readFile(SCHEMA_FILE, 'utf8');
    assert.equal(stored, generated, 'schema/printers.schema.json is stale: run UPDATE_SCHEMA=1 npm test');
  });

  it('matches src/config/entry-schema.ts, which the loader checks entries with', async () => {
    const generated = entrySchemaModule();
    if (process.env['UPDATE_SCHEMA'] === '1') await writeFile(ENTRY_SCHEMA_FILE, generated);
    const stored = await readFile(ENTRY_SCHEMA_FILE, 'utf8');
    assert.equal(stored, generated, 'src/config/entry-schema.ts is stale: run UPDATE_SCHEMA=1 npm test');
  });

  const validate = new Ajv2020({ strict: false }).compile(configJsonSchema());
  const cases: Array<[name: string, config: unknown, valid: boolean]> = [
    ['digest login', { 'mk4-1': { printer_type: 'MK4S', host: '192.168.0.10', username: 'maker', password: 'p' } }, true],
    ['password from the environment', { xl: { printer_type: 'XL', host: 'xl.local', username: 'maker', password_env: 'FARM_PW' } }, true],
    ['API key', { mk3: { printer_type: 'MK3S', host: 'pi.local', api_key: 'k' } }, true],
    ['an unknown key', { mk3: { printer_type: 'MK3S', host: 'pi.local', api_key: 'k', pasword: 'x' } }, false],
    ['a missing host', { mk3: { printer_type: 'MK3S', api_key: 'k' } }, false],
    ['a numeric host', { mk3: { printer_type: 'MK3S', host: 42, api_key: 'k' } }, false],
    ['no credentials', { mk3: { printer_type: 'MK3S', host: 'pi.local' } }, false],
    ['a password and an API key', { mk3: { printer_type: 'MK3S', host: 'pi', username: 'maker', password: 'p', api_key: 'k' } }, false],
    ['a password without a username', { mk3: { printer_type: 'MK3S', host: 'pi', password: 'p' } }, false],
    ['a bad variable name', { mk3: { printer_type: 'MK3S', host: 'pi', api_key_env: '1X' } }, false],
    ['a list at the top', [{ printer_type: 'MK3S', host: 'pi', api_key: 'k' }], false],
    [
      'per-printer routing keys',
      {
        xl: {
          printer_type: 'XL',
          host: 'xl',
          api_key: 'k',
          destination: '/usb/farm',
          source: 'xl',
          include: ['*.bgcode'],
          exclude: ['old/'],
          groups: ['bay1'],
          match_model: true,
        },
      },
      true,
    ],
    [
      'credentials and model from defaults',
      {
        defaults: { printer_type: 'MK4S', username: 'maker', password_env: 'FARM_PW', match_model: true },
        a: { host: 'a' },
        b: { host: 'b', printer_type: 'XL' },
      },
      true,
    ],
    ['a printer without host despite defaults', { defaults: { api_key: 'k', printer_type: 'MK4' }, a: { printer_type: 'MK4' } }, false],
    ['a host in defaults', { defaults: { host: 'h', api_key: 'k' }, a: { printer_type: 'MK4', host: 'a' } }, false],
    ['an unknown key in defaults', { defaults: { colour: 'red' }, a: { printer_type: 'MK4', host: 'a', api_key: 'k' } }, false],
    ['include written as text', { a: { printer_type: 'MK4', host: 'a', api_key: 'k', include: '*.bgcode' } }, false],
    ['match_model written as text', { a: { printer_type: 'MK4', host: 'a', api_key: 'k', match_model: 'yes' } }, false],
  ];
  for (const [name, config, valid] of cases) {
    it(`${valid ? 'accepts' : 'refuses'} ${name}, as the loader does`, () => {
      assert.equal(validate(config), valid);
      const loaderAccepts = (() => {
        try {
          parseConfigText(JSON.stringify(config), 'printers.json', { FARM_PW: 'x' });
          return true;
        } catch {
          return false;
        }
      })();
      assert.equal(loaderAccepts, valid);
    });
  }
});

describe('entry checker (schema/printers.schema.json) against the zod schema', { timeout: 10000 }, () => {
  const zodIssues = (schema: typeof printerEntrySchema | typeof defaultsSchema, value: unknown): unknown[] => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return [];
    return parsed.error.issues.map((i) =>
      i.code === 'unrecognized_keys' ? { code: i.code, path: i.path, keys: i.keys } : { code: i.code, path: i.path },
    );
  };
  const entries: Array<[name: string, value: Record<string, unknown>]> = [
    ['a complete entry', { printer_type: 'MK4S', host: 'h', username: 'maker', password: 'p' }],
    [
      'every routing key',
      {
        printer_type: 'XL',
        host: 'xl',
        api_key: 'k',
        destination: '/usb/farm',
        source: 'xl',
        include: ['*.bgcode'],
        exclude: ['old/'],
        groups: ['bay1'],
        match_model: true,
      },
    ],
    ['nothing', {}],
    [
      'wrong types everywhere',
      { printer_type: 4, host: null, username: true, password: ['p'], include: 'x', groups: [1, ''], match_model: 'yes' },
    ],
    ['empty texts', { printer_type: '', host: '', password: '', api_key: '', destination: '', source: '', exclude: [''] }],
    ['bad variable names', { printer_type: 'MK4', host: 'h', password_env: '1X', api_key_env: '' }],
    ['unknown keys among known ones', { pasword: 'x', printer_type: 'MK4', colour: 'red', host: 'h', url: 'u' }],
    ['a null list item', { printer_type: 'MK4', host: 'h', api_key: 'k', include: ['a', null, ''] }],
  ];
  const { printer, defaults } = entryCheckers();
  for (const [name, value] of entries) {
    it(`reports what zod reports for ${name}`, () => {
      assert.deepEqual(printer.check(value), zodIssues(printerEntrySchema, value));
      const { host: _host, ...rest } = value;
      assert.deepEqual(defaults.check(rest), zodIssues(defaultsSchema, rest));
    });
  }
  it('knows the keys in the schema order', () => {
    assert.deepEqual(printer.keys, PRINTER_KEYS);
    assert.deepEqual(defaults.keys, Object.keys(defaultsSchema.shape));
  });
});
