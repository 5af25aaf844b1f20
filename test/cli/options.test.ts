// The sync command line: every flag spelling, repeats, defaults, help/version, and usage errors.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../src/errors.js';
import { logFileOf, parseDestination, parseSyncArgs, resolveSourcePaths, type SyncCliOptions } from '../../src/cli/options.js';

const VERSION = '9.8.7';

function makeIo() {
  let out = '';
  return {
    io: { stdout: { write: (s: string) => (out += s), columns: 100 }, env: { HOME: '/home/fred' }, cwd: '/work/farm' },
    out: () => out,
  };
}

function parse(...argv: string[]): SyncCliOptions {
  const result = parseSyncArgs(argv, makeIo().io, VERSION);
  assert.equal(result.kind, 'run');
  if (result.kind !== 'run') throw new Error('unreachable');
  return result.options;
}

function usageError(argv: string[]): UsageError {
  try {
    parseSyncArgs(argv, makeIo().io, VERSION);
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected UsageError, got ${String(error)}`);
    assert.ok(!error.message.includes('\n'), 'a usage error is one line');
    return error;
  }
  assert.fail(`expected a UsageError for ${argv.join(' ')}`);
}

describe('sync options: spellings and defaults', { timeout: 5000 }, () => {
  it('defaults everything but the source', () => {
    assert.deepEqual(parse('-s', 'gcode'), {
      config: 'printers.yml',
      configPath: '/work/farm/printers.yml',
      printers: [],
      exclude: [],
      source: '/work/farm/gcode',
      relativeTo: '/work/farm/gcode',
      destination: { path: '' },
      destinationGiven: false,
      matchModel: false,
      execute: false,
      ignoreState: false,
      delete: true,
      modifyWindowSec: 60,
      json: false,
      quiet: false,
      verbose: false,
      allowSelfSigned: false,
      failOnBusy: false,
      checksum: false,
      force: false,
      deleteOtherDestinations: false,
      retries: 3,
    } satisfies SyncCliOptions);
  });

  const table: Array<[argv: string[], expected: Partial<SyncCliOptions>]> = [
    [['-s', 'g', '-c', 'farm.json'], { config: 'farm.json', configPath: '/work/farm/farm.json' }],
    [['-s', 'g', '--log-file', 'sync.log'], { logFile: '/work/farm/sync.log' }],
    [['-s', 'g', '--fail-on-busy'], { failOnBusy: true }],
    [['-s', 'g', '--state-dir', 'state'], { stateDir: '/work/farm/state' }],
    [['-s', 'g', '--state-dir=~/st'], { stateDir: '/home/fred/st' }],
    [['-s', 'g', '--checksum', '--force'], { checksum: true, force: true }],
    [['-s', 'g', '--max-delete', '20', '--retries', '0'], { maxDelete: 20, retries: 0 }],
    [['-s', 'g', '--timeout', '2.5', '--retry-delay', '0.1'], { timeoutMs: 2500, retryDelayMs: 100 }],
    [['-s', 'g', '--config', '/etc/p.yml'], { config: '/etc/p.yml', configPath: '/etc/p.yml' }],
    [['-s', 'g', '--config=~/p.yml'], { configPath: '/home/fred/p.yml' }],
    [['--source', 'g'], { source: '/work/farm/g' }],
    [['--source=/abs/g'], { source: '/abs/g' }],
    [['-s/abs/g'], { source: '/abs/g' }],
    [['-s', '~/gcode'], { source: '/home/fred/gcode' }],
    [['-s', 'g', '-p', 'mk4-1'], { printers: ['mk4-1'] }],
    [['-s', 'g', '-p', 'a', 'b', 'c'], { printers: ['a', 'b', 'c'] }],
    [['-s', 'g', '-p', 'a', '-p', 'b', 'c', '--printer', 'd', '--printer=e'], { printers: ['a', 'b', 'c', 'd', 'e'] }],
    [['-p', 'a', 'b', '-s', 'g'], { printers: ['a', 'b'], source: '/work/farm/g' }],
    [['-s', 'g', '-x', 'a'], { exclude: ['a'] }],
    [['-s', 'g', '-x', 'a', 'b', '-x', 'c', '--exclude', 'd'], { exclude: ['a', 'b', 'c', 'd'] }],
    [['-s', 'g', '-d', 'farm'], { destination: { path: 'farm' }, destinationGiven: true }],
    [['-s', 'g', '-d', '/'], { destination: { path: '' }, destinationGiven: true }],
    [['-s', 'g', '--match-model'], { matchModel: true }],
    [['-s', 'g', '--destination', '/usb/farm/'], { destination: { storage: 'usb', path: 'farm' } }],
    [['-s', '/a/b/c', '-r', '/a'], { source: '/a/b/c', relativeTo: '/a' }],
    [['-s', '/a/b/c', '--relative-to', '/a/b'], { relativeTo: '/a/b' }],
    [['-s', 'g', '-g'], { execute: true }],
    [['-s', 'g', '--go'], { execute: true }],
    [['-s', 'g', '--execute'], { execute: true }],
    [['-gs', 'g'], { execute: true, source: '/work/farm/g' }],
    [['-s', 'g', '--ignore-state'], { ignoreState: true }],
    [['-s', 'g', '--no-delete'], { delete: false }],
    [['-s', 'g', '--modify-window', '0'], { modifyWindowSec: 0 }],
    [['-s', 'g', '--modify-window=2.5'], { modifyWindowSec: 2.5 }],
    [['-s', 'g', '--modify-window', '3600'], { modifyWindowSec: 3600 }],
    [['-s', 'g', '--json'], { json: true }],
    [['-s', 'g', '--quiet'], { quiet: true }],
    [['-s', 'g', '--verbose'], { verbose: true }],
    [['-s', 'g', '--allow-self-signed'], { allowSelfSigned: true }],
    [['-s', 'g', '-s', 'h'], { source: '/work/farm/h' }],
  ];
  for (const [argv, expected] of table) {
    it(`reads ${argv.join(' ')}`, () => {
      const options = parse(...argv);
      for (const [key, value] of Object.entries(expected)) assert.deepEqual(options[key as keyof SyncCliOptions], value, key);
    });
  }
});

describe('sync options: help and version', { timeout: 5000 }, () => {
  for (const flag of ['--help', '-h']) {
    it(`prints help to stdout for ${flag} and asks for exit 0`, () => {
      const { io, out } = makeIo();
      assert.deepEqual(parseSyncArgs([flag], io, VERSION), { kind: 'exit', code: 0 });
      assert.ok(
        out().includes(
          'Usage: link-sync [-c CONFIG] [-p NAME ...] [-x NAME ...] -s SOURCE [-d DESTINATION] [-r RELATIVE_TO] [-g|--go|--execute] [--ignore-state]',
        ),
        out(),
      );
      for (const word of ['--ignore-state', '--no-delete', '--modify-window', '--allow-self-signed', 'Exit codes'])
        assert.ok(out().includes(word), word);
    });
  }

  it('prints the version to stdout and asks for exit 0, even without -s', () => {
    const { io, out } = makeIo();
    assert.deepEqual(parseSyncArgs(['--version'], io, VERSION), { kind: 'exit', code: 0 });
    assert.equal(out().trim(), VERSION);
  });
});

describe('sync options: usage errors', { timeout: 5000 }, () => {
  const table: Array<[argv: string[], says: RegExp]> = [
    [[], /missing -s\/--source SOURCE/],
    [['-g'], /missing -s\/--source/],
    [['-s'], /option '-s, --source <SOURCE>' argument missing/],
    [['-s', 'g', '--gp'], /unknown option '--gp' \(did you mean --go\?\)/],
    [['-s', 'g', '--delete'], /unknown option '--delete'/],
    [['-s', 'g', '-z'], /unknown option '-z'/],
    [['-s', 'g', 'extra'], /unexpected argument "extra"/],
    [['-s', 'g', '-p'], /argument missing/],
    [['-s', 'g', '--modify-window', 'soon'], /'soon' is invalid.*non-negative number/],
    [['-s', 'g', '--modify-window', '-1'], /'-1' is invalid/],
    [['-s', 'g', '--modify-window', ''], /'' is invalid/],
    [['-s', 'g', '--modify-window', 'Infinity'], /is invalid/],
    [['-s', 'g', '--quiet', '--verbose'], /contradictory flags: --quiet and --verbose/],
    [['-s', '/a/b', '-r', '/a/c'], /-r "\/a\/c" is not the source folder or one of its parents/],
    // An unset variable in `-r "$ROOT"`: not the working folder, which would move every file on the printers.
    [['-s', 'b/c', '-r', ''], /^-r\/--relative-to is empty$/],
    [['-s', 'b/c', '--relative-to= '], /^-r\/--relative-to is empty$/],
    [['-s', 'g', '-d', 'farm/../..'], /-d "farm\/\.\.\/\.\.": "\.\." is not allowed/],
    [['-s', 'g', '-d', '/sdcard/farm'], /sdcard storage is read-only/],
    // An unset variable in `-d "$DEST"`: not the storage root, which would mirror and delete across all of it.
    [['-s', 'g', '-d', ''], /^-d\/--destination is empty$/],
    [['-s', 'g', '--destination='], /^-d\/--destination is empty$/],
    [['-s', 'g', '-d', '  '], /^-d\/--destination is empty$/],
    [['-s', 'g', '-d', 'farm/wh?t'], /^-d "farm\/wh\?t": "wh\?t" contains the character "\?", which no printer allows in a folder name$/],
    [['-s', ''], /-s\/--source is empty/],
    [['-s', 'g', '-c', ''], /-c\/--config is empty/],
    [['-s', 'g', '-p', ''], /-p: a printer name is empty/],
    [['-s', 'g', '--state-dir', ''], /--state-dir is empty/],
    [['-s', 'g', '--backup-dir', ''], /^--backup-dir is empty$/],
    [['-s', 'g', '--log-file', ''], /^--log-file is empty$/],
    [['-s', 'g', '--log-file=  '], /^--log-file is empty$/],
    // What follows an unknown flag may be a secret: it is not repeated.
    [['-s', 'g', '--password=hunter2'], /^unknown option '--password=\.\.\.'$/],
    [['-s', 'g', '-Phunter2'], /^unknown option '-P\.\.\.'$/],
  ];
  for (const [argv, says] of table) {
    it(`refuses ${argv.length === 0 ? 'no arguments' : argv.map((a) => (a === '' ? "''" : a)).join(' ')}`, () => {
      const error = usageError(argv);
      assert.match(error.message, says);
      assert.match(error.hint ?? '', /see link-sync --help/);
      assert.equal(error.code, 'USAGE');
    });
  }
});

describe('the --log-file of a refused command line', { timeout: 5000 }, () => {
  const table: Array<[argv: string[], expected: string | undefined]> = [
    [['-s', 'g', '--log-file', 'sync.log', '--timeout', 'abc'], '/work/farm/sync.log'],
    [['--timeout', 'abc', '--log-file=~/sync.log'], '/home/fred/sync.log'],
    [['--log-file', 'a.log', '--log-file', 'b.log'], '/work/farm/b.log'],
    [['-p', 'a', 'b', '--log-file', 'x.log', '--gp'], '/work/farm/x.log'],
    [['--gp', '--log-file', 'x.log'], '/work/farm/x.log'],
    [['-d', '--log-file', '--log-file', 'y.log'], '/work/farm/y.log'],
    [['-gs', '--log-file', 'x.log'], undefined],
    [['-s', '--log-file', 'x.log'], undefined],
    [['-s', 'g', '--', '--log-file', 'x.log'], undefined],
    [['-s', 'g', '--log-file'], undefined],
    [['-s', 'g', '--log-file', ''], undefined],
    [['-s', 'g', '--log-file', '  '], undefined],
    [['-s', 'g', '--timeout', 'abc'], undefined],
  ];
  for (const [argv, expected] of table) {
    it(`reads ${argv.map((a) => (a.trim() === '' ? JSON.stringify(a) : a)).join(' ')} as ${expected ?? 'no log'}`, () =>
      assert.equal(logFileOf(argv, makeIo().io, VERSION), expected));
  }
});

describe('destination normalisation', { timeout: 5000 }, () => {
  const table: Array<[raw: string | undefined, expected: ReturnType<typeof parseDestination>]> = [
    [undefined, { path: '' }],
    ['/', { path: '' }],
    ['.', { path: '' }],
    ['/usb/', { storage: 'usb', path: '' }],
    ['/usb', { storage: 'usb', path: '' }],
    ['usb', { storage: 'usb', path: '' }],
    ['USB/Farm', { storage: 'usb', path: 'Farm' }],
    ['usb/farm', { storage: 'usb', path: 'farm' }],
    ['/usb/farm/', { storage: 'usb', path: 'farm' }],
    ['/usb//farm/./parts/', { storage: 'usb', path: 'farm/parts' }],
    ['/local/farm', { storage: 'local', path: 'farm' }],
    ['local', { storage: 'local', path: '' }],
    ['farm', { path: 'farm' }],
    ['/farm', { path: 'farm' }],
    ['farm/usb', { path: 'farm/usb' }],
    ['usb/usb', { storage: 'usb', path: 'usb' }],
    ['usb\\farm\\parts', { storage: 'usb', path: 'farm/parts' }],
    ['My Prints/2025', { path: 'My Prints/2025' }],
  ];
  for (const [raw, expected] of table) {
    it(`reads -d ${JSON.stringify(raw)}`, () => assert.deepEqual(parseDestination(raw), expected));
  }

  for (const raw of [
    '..',
    '/usb/..',
    'farm/../x',
    '..\\x',
    '/sdcard',
    'sdcard/farm',
    '',
    ' ',
    '\t',
    'a"b',
    'farm/a?b',
    'a\u0001b',
    'a\u007fb',
  ]) {
    it(`refuses -d ${JSON.stringify(raw)}`, () => assert.throws(() => parseDestination(raw), UsageError));
  }

  it('says how to name the storage root when -d is empty', () => {
    assert.throws(
      () => parseDestination(''),
      (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.equal(error.message, '-d/--destination is empty');
        assert.match(error.hint ?? '', /^give -d \/ for the storage root/);
        return true;
      },
    );
  });

  it('names the control character a -d holds', () => {
    assert.throws(() => parseDestination('farm\tx'), /"farm\\tx" contains the control character U\+0009, which no printer allows/);
  });

  // Only what no printer stores is refused here: a Pi keeps these names, Buddy reports each file.
  for (const raw of ['a:b', 'x.', 'a*b', 'farm/#1', '100%']) {
    it(`leaves -d ${JSON.stringify(raw)} to each printer's rules`, () => assert.equal(parseDestination(raw).path, raw));
  }
});

describe('relative-to check', { timeout: 5000 }, () => {
  const ok: Array<[source: string, relativeTo: string | undefined, expected: { source: string; relativeTo: string }]> = [
    ['g', undefined, { source: '/cwd/g', relativeTo: '/cwd/g' }],
    ['/a/b', '/a/b', { source: '/a/b', relativeTo: '/a/b' }],
    ['/a/b/', '/a/b', { source: '/a/b', relativeTo: '/a/b' }],
    ['/a/b/c', '/a', { source: '/a/b/c', relativeTo: '/a' }],
    ['/a/b/c', '/', { source: '/a/b/c', relativeTo: '/' }],
    ['b/c', '.', { source: '/cwd/b/c', relativeTo: '/cwd' }],
    ['/a/b/../c', '/a', { source: '/a/c', relativeTo: '/a' }],
    ['/a/..b/c', '/a', { source: '/a/..b/c', relativeTo: '/a' }],
  ];
  for (const [source, relativeTo, expected] of ok) {
    it(`accepts -s ${source} -r ${relativeTo ?? '(none)'}`, () =>
      assert.deepEqual(resolveSourcePaths(source, relativeTo, '/cwd'), expected));
  }

  const bad: Array<[source: string, relativeTo: string]> = [
    ['/a/b', '/a/b/c'],
    ['/a/b', '/a/c'],
    ['/a/bc', '/a/b'],
    ['g', '/elsewhere'],
  ];
  for (const [source, relativeTo] of bad) {
    it(`refuses -s ${source} -r ${relativeTo}`, () => assert.throws(() => resolveSourcePaths(source, relativeTo, '/cwd'), UsageError));
  }
});
