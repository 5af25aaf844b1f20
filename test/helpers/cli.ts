// Spawns the built CLI (dist/src/bin.js) as a user would, with a time limit, and captures its output.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

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
  /** Send this signal after the delay (ms), e.g. to test Ctrl-C. */
  killAfter?: { ms: number; signal: NodeJS.Signals };
  /** The entry to run instead of dist/src/bin.js (the bundled CLI). */
  bin?: string;
}

/**
 * Unless the test names a state folder (XDG_STATE_HOME in env, or --state-dir), each run gets an empty
 * one of its own: sync records never land in the real home, and parallel test files never share a lock.
 */
export function runCli(args: string[], options: CliRunOptions = {}): Promise<CliRun> {
  const ownState = options.env && 'XDG_STATE_HOME' in options.env ? undefined : mkdtempSync(path.join(tmpdir(), 'link-sync-state-'));
  const run = new Promise<CliRun>((resolve, reject) => {
    const child = spawn(process.execPath, [options.bin ?? binPath, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...(ownState ? { XDG_STATE_HOME: ownState } : {}), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const limit = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`link-sync ${args.join(' ')} did not finish in ${options.timeoutMs ?? 60_000} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    if (options.killAfter) {
      const { ms, signal } = options.killAfter;
      setTimeout(() => child.kill(signal), ms).unref();
    }
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return ownState ? run.finally(() => rmSync(ownState, { recursive: true, force: true })) : run;
}
