// `link-sync simulate --firmware legacy`: legacy-only printers, and a printers.yml that reaches them.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { runSimulate } from '../../src/cli/commands/simulate.js';
import type { CliIo } from '../../src/cli/io.js';

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

describe('link-sync simulate --firmware legacy', () => {
  it('starts legacy-only printers and writes an API key for Buddy 4.4', T, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-legacy-'));
    const { io, out, stop } = fakeIo(dir);
    try {
      const run = runSimulate(['--printers', '2', '--models', 'MINI,MK3S', '--firmware', 'legacy', '--write-config', 'printers.yml'], io);
      await until(() => out().includes('Config written'));
      assert.match(out(), /mini-1 .*\(legacy API\)/);
      const config = parse(readFileSync(join(dir, 'printers.yml'), 'utf8')) as Record<string, Record<string, string>>;
      const mini = config['mini-1'] ?? {};
      assert.deepEqual(Object.keys(mini).sort(), ['api_key', 'host', 'printer_type']);
      const version = await fetch(new URL('/api/version', mini['host']), { headers: { 'X-Api-Key': mini['api_key'] ?? '' } });
      assert.equal(((await version.json()) as { text: string }).text, 'PrusaLink MINI');
      assert.ok(config['mk3s-2']?.['password'], 'the Pi keeps its login');
      stop();
      assert.equal(await run, 0);
    } finally {
      stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a model that never had a legacy firmware', T, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-legacy-'));
    const { io, err } = fakeIo(dir);
    try {
      assert.equal(await runSimulate(['--model', 'MK4', '--firmware', 'legacy'], io), 2);
      assert.match(err(), /MK4 never had a legacy-only firmware/);
      assert.equal(await runSimulate(['--firmware', 'old'], io), 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
