// `link-sync simulate`: starts the farm, prints URLs and credentials, writes a usable config, stops on abort.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { runSimulate } from '../../src/cli/commands/simulate.js';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { parseRate } from '../../src/simulator/cli-args.js';
import { digestHeader } from './client.js';

const T = { timeout: 20_000 };

function fakeIo(cwd: string): { io: CliIo; out: () => string; err: () => string; stop: () => void } {
  let out = '';
  let err = '';
  const ac = new AbortController();
  const io: CliIo = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: {},
    cwd,
    signal: ac.signal,
  };
  return { io, out: () => out, err: () => err, stop: () => ac.abort() };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(check(), 'condition not reached');
}

describe('link-sync simulate', () => {
  it('parses rates with k, M and plain bytes', () => {
    assert.deepEqual(['200k', '1.5M', '5000', '64Ki', 'fast', '0'].map(parseRate), [
      200_000,
      1_500_000,
      5000,
      65_536,
      undefined,
      undefined,
    ]);
  });

  it('starts N printers with cycled models, writes printers.yml, and stops on Ctrl-C', T, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cmd-'));
    const { io, out, stop } = fakeIo(dir);
    try {
      const run = runSimulate(['--printers', '3', '--models', 'MK4,XL,MK3', '--rate', '200k', '--write-config', 'printers.yml'], io);
      await until(() => out().includes('Config written'));
      const config = parse(readFileSync(join(dir, 'printers.yml'), 'utf8')) as Record<string, Record<string, string>>;
      assert.deepEqual(Object.keys(config), ['mk4-1', 'xl-2', 'mk3-3']);
      assert.deepEqual(
        Object.values(config).map((c) => c['printer_type']),
        ['MK4', 'XL', 'MK3'],
      );
      const mk3 = config['mk3-3'] ?? {};
      assert.match(mk3['host'] ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(out().includes(mk3['host'] ?? '?'), 'the URL is printed');
      // The written credentials work against the running printer.
      const url = new URL(mk3['host'] ?? '');
      const probe = await fetch(new URL('/api/version', url));
      const auth = digestHeader(
        probe.headers.get('www-authenticate') ?? '',
        'GET',
        '/api/v1/info',
        mk3['username'] ?? '',
        mk3['password'] ?? '',
      );
      const info = await fetch(new URL('/api/v1/info', url), { headers: { Authorization: auth } });
      assert.equal(info.status, 200);
      stop();
      assert.equal(await run, 0);
      await assert.rejects(fetch(new URL('/api/version', url)));
    } finally {
      stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--write-config refuses, in one line and with exit 2, to overwrite a file it did not write', T, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cmd-'));
    const real = 'mk4-1:\n  printer_type: MK4\n  host: 192.168.0.10\n  username: maker\n  password: the-real-one\n';
    writeFileSync(join(dir, 'printers.yml'), real);
    const { io, out, err, stop } = fakeIo(dir);
    try {
      assert.equal(await runSimulate(['--write-config', 'printers.yml'], io), 2);
      assert.equal(readFileSync(join(dir, 'printers.yml'), 'utf8'), real, 'the real config is untouched');
      assert.equal(err().trimEnd().split('\n').length, 1, err());
      assert.match(
        err(),
        /^link-sync simulate: --write-config .*printers\.yml: the file exists and was not written by link-sync simulate; not overwriting it \(give another file name/,
      );
      assert.equal(out(), '', 'no printer was started');
    } finally {
      stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--write-config that cannot be written says why and what to do in words, with exit 2', T, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cmd-'));
    try {
      mkdirSync(join(dir, 'a-folder'));
      writeFileSync(join(dir, 'a-file'), 'x');
      for (const [target, says] of [
        ['a-folder', /--write-config .*a-folder: cannot read what is there \(it is a folder\) \(give another --write-config\)$/],
        ['a-file/printers.yml', /cannot write .*printers\.yml \(.*a-file is a file, not a folder\): give another --write-config$/],
      ] as const) {
        const { io, err, stop } = fakeIo(dir);
        const run = runSimulate(['--printers', '1', '--write-config', target], io);
        const code = await Promise.race([run, new Promise((r) => setTimeout(() => r('still running'), 10_000))]);
        stop();
        assert.equal(code, 2, target);
        assert.equal(err().trimEnd().split('\n').length, 1, err());
        assert.match(err().trimEnd(), says);
        assert.doesNotMatch(err(), /EISDIR|ENOTDIR|EEXIST/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--write-config marks its file in the first line and overwrites only such a file', T, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cmd-'));
    try {
      for (const round of [1, 2]) {
        const { io, out, stop } = fakeIo(dir);
        const run = runSimulate(['--write-config', 'sim.yml'], io);
        await until(() => out().includes('Config written'));
        const text = readFileSync(join(dir, 'sim.yml'), 'utf8');
        assert.match(text.split('\n')[0]!, /^# Written by link-sync simulate: /, `round ${round}`);
        stop();
        assert.equal(await run, 0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an empty --write-config or --storage-dir in one line naming the flag, with exit 2, starting nothing', T, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cmd-'));
    try {
      for (const [flag, says] of [
        ['--write-config', 'give a file name, e.g. --write-config sim-printers.yml'],
        ['--storage-dir', 'give a folder, or leave --storage-dir out to keep the files in memory'],
      ] as const) {
        const { io, out, err, stop } = fakeIo(dir);
        // Stopped before it starts: a run that got as far as starting printers ends at once.
        stop();
        assert.equal(await main(['simulate', flag, ''], io), 2, err());
        assert.equal(err(), `link-sync simulate: ${flag} is empty (${says})\n`);
        assert.equal(out(), '', 'no printer was started');
      }
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--help prints the options and starts nothing', T, async () => {
    const { io, out } = fakeIo(tmpdir());
    assert.equal(await runSimulate(['--help'], io), 0);
    assert.match(out(), /Usage: link-sync simulate/);
    assert.match(out(), /--write-config <FILE>/);
    assert.doesNotMatch(out(), /Simulated printers on/);
  });

  it('refuses unknown models and conflicting flags with exit code 2', T, async () => {
    const { io, err } = fakeIo(tmpdir());
    assert.equal(await runSimulate(['--models', 'MK4,Ender3'], io), 2);
    assert.match(err(), /unknown model "Ender3"/);
    assert.equal(await runSimulate(['--model', 'MK4', '--models', 'XL'], io), 2);
    assert.equal(await runSimulate(['--rate', 'fast'], io), 2);
  });
});
