// --log-file when a run cannot start, through the real CLI against a simulated printer: the log ends
// with the exit code the process ends with and the error stderr shows, for watch as for sync (cron
// and a service manager keep only the log), every line of it time-stamped and inert, and nothing
// reaches the printer.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import path from 'node:path';
import { startFarm, type SimFarm } from '../../src/simulator/index.js';
import { acquireStateLock } from '../../src/record/lock.js';
import { ExitCode } from '../../src/report/exit-codes.js';
import { runCli } from '../helpers/cli.js';
import { startCli } from '../helpers/background.js';
import { gcode, tempDir, writeConfig, writeTree } from '../helpers/fixtures.js';
import { lockFolder, type Locked } from '../helpers/locked-folder.js';
import { withServer } from '../helpers/test-server.js';

const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /;

/** The log's lines, each checked for its time stamp, without it. */
function logLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => {
      assert.match(line, STAMP, `a log line without its time stamp: ${JSON.stringify(line)}`);
      return line.replace(STAMP, '');
    });
}

/** A TCP port that is in use until the test closes the server. */
function portInUse(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

describe('--log-file when a run cannot start', { timeout: 120_000 }, () => {
  let farm: SimFarm;
  let work: { dir: string; cleanup: () => void };
  let config: string;
  let busy: Server;
  before(async () => {
    farm = await startFarm([{ name: 'mk4-a', model: 'MK4' }]);
    work = tempDir('link-sync-log-errors-');
    config = writeConfig(work.dir, farm.printers);
    busy = await portInUse();
  });
  after(async () => {
    await new Promise((resolve) => busy.close(resolve));
    await farm.close();
    work.cleanup();
  });

  /** A folder of its own for one case: a master folder, a state folder, the log. */
  function folder(name: string) {
    const dir = path.join(work.dir, name);
    writeTree(path.join(dir, 'master'), { 'a.gcode': gcode('a', 500) });
    mkdirSync(path.join(dir, 'state'));
    return { dir, log: path.join(dir, 'run.log'), state: path.join(dir, 'state') };
  }

  const watchCases: Array<[what: string, args: (c: { config: string; port: number }) => string[], says: RegExp, locked?: boolean]> = [
    ['a config file that is missing', () => ['-c', 'nowhere.yml', '-s', 'master'], /^nowhere\.yml: config file not found \(/],
    ['a source folder that is missing', (c) => ['-c', c.config, '-s', 'no-master'], /no-master/],
    ['a state folder locked by another run', (c) => ['-c', c.config, '-s', 'master', '--go'], /lock/i, true],
    ['a --http port in use', (c) => ['-c', c.config, '-s', 'master', '--http', `127.0.0.1:${c.port}`], /--http/],
  ];
  for (const [index, [what, args, says, locked]] of watchCases.entries()) {
    test(`watch with ${what}: the log ends with exit 2 and the error, as stderr says`, async (t) => {
      const { dir, log, state } = folder(`watch-${index}`);
      if (locked) {
        const lock = await acquireStateLock(path.join(state, 'link-sync'));
        t.after(() => lock.release());
      }
      farm.printers[0]!.clearRequests();
      const port = (busy.address() as AddressInfo).port;
      const out = await runCli(['watch', ...args({ config, port }), '--log-file', log], {
        cwd: dir,
        env: { XDG_STATE_HOME: state },
        timeoutMs: 30_000,
      });
      assert.equal(out.code, ExitCode.USAGE, out.stderr);
      const error = out.stderr.match(/^link-sync: error: (.*)\n$/)?.[1];
      assert.ok(error !== undefined, `one error line on stderr:\n${out.stderr}`);
      assert.match(error, says);
      assert.equal(logLines(log).at(-1), `run ended: exit 2; ${error}`);
      assert.deepEqual(farm.printers[0]!.requests(), []);
    });
  }

  // U+202E (right-to-left override) reorders a line on a terminal; JSON.stringify leaves it as it is.
  const SEVERAL = '"mk4\u202e":\n  printer_type: FOO\n  host: 10.0.0.2\n';
  const ONE = '"mk4\u202e":\n  printer_type: MK4\n  host: 10.0.0.2\n';
  for (const command of [[], ['watch']]) {
    const name = command[0] ?? 'sync';
    test(`${name} with a config of several problems: one time-stamped, inert log line per problem, then the closing line`, async () => {
      const { dir, log, state } = folder(`${name}-several`);
      writeFileSync(path.join(dir, 'bad.yml'), SEVERAL, { mode: 0o600 });
      farm.printers[0]!.clearRequests();
      const out = await runCli([...command, '-c', 'bad.yml', '-s', 'master', '--log-file', log], {
        cwd: dir,
        env: { XDG_STATE_HOME: state },
        timeoutMs: 30_000,
      });
      assert.equal(out.code, ExitCode.USAGE, out.stderr);
      const hint = ' (fix each line above, then run again)';
      const [heading, ...problems] = out.stderr.trimEnd().split('\n');
      assert.equal(heading, 'link-sync: error: bad.yml: 2 problems in the printer config');
      assert.equal(problems.length, 2, out.stderr);
      assert.ok(problems[1]!.endsWith(hint), out.stderr);
      const expected = problems.map((line) => line.replace(/^ {2}/, '').replace(hint, ''));
      for (const line of expected) assert.match(line, /^bad\.yml:\d: printer "mk4\\u202e": /);
      assert.deepEqual(logLines(log), [...expected, `run ended: exit 2; bad.yml: 2 problems in the printer config${hint}`]);
      assert.doesNotMatch(readFileSync(log, 'utf8'), /\u202e/, 'no raw override in the log');
      assert.deepEqual(farm.printers[0]!.requests(), []);
    });
  }

  test('a config of one problem: its closing line is inert, as on stderr', async () => {
    const { dir, log, state } = folder('sync-one');
    writeFileSync(path.join(dir, 'bad.yml'), ONE, { mode: 0o600 });
    const out = await runCli(['-c', 'bad.yml', '-s', 'master', '--log-file', log], { cwd: dir, env: { XDG_STATE_HOME: state } });
    assert.equal(out.code, ExitCode.USAGE, out.stderr);
    const error = out.stderr.match(/^link-sync: error: (.*)\n$/)?.[1];
    assert.match(error ?? '', /^bad\.yml:\d: printer "mk4\\u202e": has no credentials/, out.stderr);
    assert.deepEqual(logLines(log), [`run ended: exit 2; ${error}`]);
  });

  test('watch stopped by SIGTERM still ends its log with exit 0', async () => {
    const { dir, log, state } = folder('watch-stopped');
    const cli = startCli(['watch', '-c', config, '-s', 'master', '--poll-ms', '300', '--log-file', log], {
      cwd: dir,
      env: { XDG_STATE_HOME: state },
    });
    await cli.waitFor('the dry run of mk4-a in the log', () => existsSync(log) && /mk4-a/.test(readFileSync(log, 'utf8')));
    const end = await cli.stop('SIGTERM');
    assert.equal(end.code, ExitCode.OK, cli.stderr());
    assert.match(logLines(log).at(-1)!, /^run ended: exit 0/);
  });
});

describe('--log-file when the lock cannot be removed after the summary', { timeout: 60_000 }, () => {
  // The state folder stops taking changes during the run (made read-only by someone else, or a disk
  // remounted read-only): the run syncs and prints its summary, then cannot remove its lock there.
  test('the lock cannot be removed: a warning in words, and the run ends as its printers did', async (t) => {
    const farm = await startFarm([{ name: 'mk4-a', model: 'MK4' }]);
    const work = tempDir('link-sync-log-late-');
    const master = path.join(work.dir, 'master');
    const state = path.join(work.dir, 'state');
    const log = path.join(work.dir, 'run.log');
    writeTree(master, { 'a.gcode': gcode('a', 500) });
    mkdirSync(state);
    let locked: Locked | undefined;
    let run: Awaited<ReturnType<typeof runCli>> | undefined;
    try {
      const target = new URL(farm.printers[0]!.url);
      await withServer(
        (req, res) => {
          // The run holds its lock before it asks any printer.
          locked ??= lockFolder(state);
          forward(req, res, target);
        },
        async (baseUrl) => {
          const config = writeConfig(work.dir, farm.printers);
          writeFileSync(config, readFileSync(config, 'utf8').replace(farm.printers[0]!.url, baseUrl));
          run = await runCli(['-c', config, '-s', master, '--go', '--state-dir', state, '--log-file', log], { cwd: work.dir });
        },
      );
    } finally {
      if (locked?.ok) locked.unlock();
      await farm.close();
    }
    try {
      if (locked && !locked.ok) return t.skip(locked.why);
      const show = `exit ${run!.code}\n${run!.stdout}\n${run!.stderr}`;
      // The sync is done: the lock left behind is no bug, and no failure of the run.
      assert.equal(run!.code, 0, show);
      const warning =
        /warning: cannot remove the lock .*link-sync\.lock \((operation not permitted|permission denied)\); the next run on this host takes it over/;
      assert.match(run!.stderr, warning, show);
      assert.doesNotMatch(run!.stderr, /ENOTDIR|EPERM|EACCES|a bug in link-sync/, show);
      const lines = logLines(log);
      assert.ok(
        lines.some((line) => warning.test(line)),
        `${lines.join('\n')}\n${show}`,
      );
      assert.match(lines.at(-1)!, /^run ended: exit 0; printers: 1 in sync; /, `${lines.join('\n')}\n${show}`);
    } finally {
      work.cleanup();
    }
  });
});

/** Passes one request on to the printer at `target` and its answer back. */
function forward(req: IncomingMessage, res: ServerResponse, target: URL): void {
  const out = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  out.on('error', () => res.destroy());
  req.pipe(out);
}
