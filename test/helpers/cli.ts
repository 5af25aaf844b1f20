// Runs the CLI with a time limit and captures its output: in this process through main(argv, io), or as
// the built dist/src/bin.js a user starts, where the process boundary (exit code, signals) is under test.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { main } from '../../src/cli/main.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const binPath = path.join(repoRoot, 'dist/src/bin.js');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** Start the built CLI as a child process instead of calling main() here. */
  process?: boolean;
  /** Start this entry (the bundled CLI) as a child process instead of dist/src/bin.js. Implies `process`. */
  bin?: string;
  /** In this process: aborts the run as bin.ts does on Ctrl-C or SIGTERM. */
  signal?: AbortSignal;
  /** Start the built CLI through this command (e.g. `unshare ...`), which ends by running its arguments. Implies `process`. */
  wrap?: string[];
}

/**
 * Unless the test names a state folder (XDG_STATE_HOME in env, or --state-dir), each run gets an empty
 * one of its own: sync records never land in the real home, and parallel test files never share a lock.
 */
export function runCli(args: string[], options: CliRunOptions = {}): Promise<CliRun> {
  const ownState = options.env && 'XDG_STATE_HOME' in options.env ? undefined : mkdtempSync(path.join(tmpdir(), 'link-sync-state-'));
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NO_COLOR: '1',
    ...(ownState ? { XDG_STATE_HOME: ownState } : {}),
    ...options.env,
  };
  const run = options.process || options.bin || options.wrap ? spawnCli(args, env, options) : callMain(args, env, options);
  return ownState ? run.finally(() => rmSync(ownState, { recursive: true, force: true })) : run;
}

/** main(argv, io) in this process, with the environment and folder a spawned CLI would get; output is not a terminal. */
async function callMain(args: string[], env: Record<string, string | undefined>, options: CliRunOptions): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const timeoutMs = options.timeoutMs ?? 60_000;
  let limit: NodeJS.Timeout | undefined;
  const overdue = new Promise<never>((_, reject) => {
    limit = setTimeout(() => {
      reject(new Error(`link-sync ${args.join(' ')} did not finish in ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
  });
  const io = {
    stdout: { write: (chunk: string) => (stdout += chunk), isTTY: false },
    stderr: { write: (chunk: string) => (stderr += chunk), isTTY: false },
    env,
    cwd: options.cwd ?? repoRoot,
    signal: options.signal ?? new AbortController().signal,
  };
  try {
    const code = await Promise.race([main(args, io), overdue]);
    return { code, signal: null, stdout, stderr };
  } finally {
    clearTimeout(limit);
  }
}

function spawnCli(args: string[], env: Record<string, string | undefined>, options: CliRunOptions): Promise<CliRun> {
  return new Promise<CliRun>((resolve, reject) => {
    const command = [...(options.wrap ?? []), process.execPath, options.bin ?? binPath, ...args];
    const child = spawn(command[0]!, command.slice(1), {
      cwd: options.cwd ?? repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const limit = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `link-sync ${args.join(' ')} did not finish in ${options.timeoutMs ?? 60_000} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
