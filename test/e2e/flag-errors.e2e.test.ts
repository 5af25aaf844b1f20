// A command line refused while its flags are read, through the real CLI: the one-line error goes to
// stderr and, when --log-file can be read from the arguments, to that log as the run's closing line
// (cron keeps only the log). No value of an unknown flag is repeated in either.

import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, runCli, type CliRunOptions } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtures.js';

/** How the log file ends a run: time stamp, "run ended", exit code, then the error. */
const closingLine = (exit: number, error: string): RegExp =>
  new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z run ended: exit ${exit}; ${literal(error)}\\n$`);
const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('a refused command line and --log-file', { timeout: 60_000 }, () => {
  let work: { dir: string; cleanup: () => void };
  const log = (): string => path.join(work.dir, 'sync.log');
  const run = (args: string[], options: CliRunOptions = {}) => runCli(args, { cwd: work.dir, timeoutMs: 20_000, ...options });
  beforeEach(() => {
    work = tempDir('link-sync-flag-errors-');
    mkdirSync(path.join(work.dir, 'master'));
  });
  afterEach(() => work.cleanup());

  const refused: Array<[what: string, args: (log: string) => string[], error: string]> = [
    [
      'a bad value of another flag',
      (l) => ['-s', 'master', '--log-file', l, '--timeout', 'abc'],
      "option '--timeout <SECONDS>' argument 'abc' is invalid. must be a non-negative number of seconds (see link-sync --help)",
    ],
    [
      'a bad value before --log-file is read',
      (l) => ['-s', 'master', '--timeout', 'abc', '--log-file', l],
      "option '--timeout <SECONDS>' argument 'abc' is invalid. must be a non-negative number of seconds (see link-sync --help)",
    ],
    [
      'an unknown flag, with --log-file=PATH',
      (l) => ['-s', 'master', `--log-file=${l}`, '--gp'],
      "unknown option '--gp' (did you mean --go?) (see link-sync --help)",
    ],
    [
      'contradictory flags',
      (l) => ['--log-file', l, '-s', 'master', '--quiet', '--verbose'],
      'contradictory flags: --quiet and --verbose (use one of them; see link-sync --help)',
    ],
    [
      'a destination outside the storage',
      (l) => ['-gs', 'master', '--log-file', l, '-d', 'farm/../..'],
      '-d "farm/../..": ".." is not allowed (give a folder inside the printer storage, e.g. -d /usb/farm; see link-sync --help)',
    ],
    [
      'watch with an interval below 5 s',
      (l) => ['watch', '-s', 'master', '--log-file', l, '--interval', '1'],
      "option '--interval <SECONDS>' argument '1' is invalid. must be at least 5 seconds: printers are never polled faster (see link-sync --help)",
    ],
    [
      'watch with --fail-on-busy',
      (l) => ['watch', '-s', 'master', '--fail-on-busy', '--log-file', l],
      '--fail-on-busy has no meaning for watch (watch waits for busy printers; drop --fail-on-busy)',
    ],
  ];
  for (const [what, args, error] of refused) {
    test(`${what}: the error on stderr, and appended to the log as the run's closing line, exit 2`, async () => {
      const out = await run(args(log()));
      assert.equal(out.code, 2, out.stderr);
      assert.equal(out.stderr, `link-sync: error: ${error}\n`);
      assert.match(readFileSync(log(), 'utf8'), closingLine(2, error));
    });
  }

  test('each refused run appends its own line after what the log already holds', async () => {
    await run(['-s', 'master', '--log-file', log(), '--timeout', 'abc']);
    await run(['-s', 'master', '--log-file', log(), '--retries', 'many']);
    const lines = readFileSync(log(), 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines[1]!, / run ended: exit 2; option '--retries <N>' argument 'many' is invalid\. must be a whole number, 0 or more /);
  });

  test("an unknown flag's value, which may be a password, reaches neither stderr nor the log", async () => {
    for (const flag of ['--password=hunter2-SECRET', '-Phunter2-SECRET']) {
      const out = await run(['-s', 'master', '--log-file', log(), flag]);
      assert.equal(out.code, 2, out.stderr);
      assert.match(out.stderr, /^link-sync: error: unknown option '(--password=|-P)\.\.\.' \(see link-sync --help\)\n$/);
    }
    const logged = readFileSync(log(), 'utf8');
    assert.equal(logged.trimEnd().split('\n').length, 2, logged);
    assert.doesNotMatch(logged, /hunter2|SECRET/);
    assert.match(logged, /run ended: exit 2; unknown option '--password=\.\.\.'/);
  });

  test('a log that cannot be opened leaves the error on stderr only, as one line', async () => {
    for (const where of [path.join(work.dir, 'no-such-folder', 'sync.log'), path.join(work.dir, 'master')]) {
      const out = await run(['-s', 'master', '--log-file', where, '--timeout', 'abc']);
      assert.equal(out.code, 2, out.stderr);
      assert.equal(
        out.stderr,
        "link-sync: error: option '--timeout <SECONDS>' argument 'abc' is invalid. must be a non-negative number of seconds (see link-sync --help)\n",
      );
    }
    assert.deepEqual(readdirSync(work.dir), ['master']);
    assert.deepEqual(readdirSync(path.join(work.dir, 'master')), []);
  });

  test('"--log-file" taken as the value of another flag names no log', async () => {
    const out = await run(['-s', '--log-file', 'x.log', '--timeout', 'abc']);
    assert.equal(out.code, 2, out.stderr);
    assert.equal(existsSync(path.join(work.dir, 'x.log')), false);
  });

  test('the bundled CLI, started as cron starts it, logs a refused command line', async () => {
    const bin = path.join(repoRoot, 'dist/cli/link-sync.mjs');
    const out = await run(['-s', 'master', '--timeout', 'abc', '--log-file', 'sync.log'], { bin });
    assert.equal(out.code, 2, out.stderr);
    assert.equal(out.stdout, '');
    const error = "option '--timeout <SECONDS>' argument 'abc' is invalid. must be a non-negative number of seconds (see link-sync --help)";
    assert.equal(out.stderr, `link-sync: error: ${error}\n`);
    assert.match(readFileSync(log(), 'utf8'), closingLine(2, error));
  });
});
