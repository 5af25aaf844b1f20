// Runs the built CLI in the background (watch, a sync that waits) and waits, bounded, for what it does.

import { spawn } from 'node:child_process';
import { binPath, repoRoot } from './cli.js';

export interface BackgroundCli {
  stdout(): string;
  stderr(): string;
  /** Polls `check` every 100 ms until it is true; fails after `timeoutMs` saying what was awaited. */
  waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs?: number): Promise<void>;
  /** Sends the signal and resolves the exit; kills it after `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when the process ends by itself. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startCli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): BackgroundCli {
  const child = spawn(process.execPath, [binPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  let done = false;
  void exited.then(() => (done = true));
  const tail = () => `\nstdout (end):\n${stdout.slice(-3000)}\nstderr (end):\n${stderr.slice(-2000)}`;
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async waitFor(what, check, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        if (await check()) return;
        if (done) throw new Error(`link-sync ended before: ${what}${tail()}`);
        if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}${tail()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop(signal = 'SIGTERM', timeoutMs = 20_000) {
      if (!done) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
