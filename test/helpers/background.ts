// Runs the CLI in the background (watch, a sync that waits) and waits, bounded, for what it does: in
// this process through main(argv, io), or as the built CLI where the process boundary is under test.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { binPath, repoRoot } from './cli.js';

export interface BackgroundCli {
  stdout(): string;
  stderr(): string;
  /** Polls `check` every 50 ms until it is true; fails after `timeoutMs` saying what was awaited. */
  waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs?: number): Promise<void>;
  /**
   * Stops the run and resolves its exit. A child process gets the signal (SIGKILL after `timeoutMs`);
   * in this process SIGINT and SIGTERM abort the run as bin.ts does on either signal.
   */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when the run ends by itself. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface BackgroundOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Start the built CLI as a child process instead of calling main() here. */
  process?: boolean;
}

export function startCli(args: string[], options: BackgroundOptions = {}): BackgroundCli {
  return options.process ? startProcess(args, options) : startMain(args, options);
}

/** The part shared by both ways: output so far, and bounded waiting. */
function background(
  args: string[],
  out: { stdout: () => string; stderr: () => string },
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  stop: BackgroundCli['stop'],
): BackgroundCli {
  let done = false;
  void exited.then(() => (done = true));
  const tail = () => `\nstdout (end):\n${out.stdout().slice(-3000)}\nstderr (end):\n${out.stderr().slice(-2000)}`;
  return {
    ...out,
    exited,
    stop,
    async waitFor(what, check, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        if (await check()) return;
        if (done) throw new Error(`link-sync ${args[0]} ended before: ${what}${tail()}`);
        if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}${tail()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** main(argv, io) in this process, with its own empty state folder unless the test names one. */
function startMain(args: string[], options: BackgroundOptions): BackgroundCli {
  let stdout = '';
  let stderr = '';
  const ownState = options.env && 'XDG_STATE_HOME' in options.env ? undefined : mkdtempSync(path.join(tmpdir(), 'link-sync-state-'));
  const controller = new AbortController();
  const io = {
    stdout: { write: (chunk: string) => (stdout += chunk), isTTY: false },
    stderr: { write: (chunk: string) => (stderr += chunk), isTTY: false },
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NO_COLOR: '1',
      ...(ownState ? { XDG_STATE_HOME: ownState } : {}),
      ...options.env,
    },
    cwd: options.cwd ?? repoRoot,
    signal: controller.signal,
  };
  const exited = main(args, io)
    .then((code) => ({ code, signal: null }))
    .finally(() => {
      if (ownState) rmSync(ownState, { recursive: true, force: true });
    });
  return background(args, { stdout: () => stdout, stderr: () => stderr }, exited, async (_signal, timeoutMs = 20_000) => {
    controller.abort();
    let limit: NodeJS.Timeout | undefined;
    const overdue = new Promise<never>((_, reject) => {
      limit = setTimeout(() => reject(new Error(`link-sync ${args[0]} did not stop within ${timeoutMs} ms of the abort`)), timeoutMs);
    });
    try {
      return await Promise.race([exited, overdue]);
    } finally {
      clearTimeout(limit);
    }
  });
}

function startProcess(args: string[], options: BackgroundOptions): BackgroundCli {
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
  let ended = false;
  void exited.then(() => (ended = true));
  return background(args, { stdout: () => stdout, stderr: () => stderr }, exited, async (signal = 'SIGTERM', timeoutMs = 20_000) => {
    if (!ended) child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  });
}
