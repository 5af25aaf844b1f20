// A fresh simulated farm, master folder and printers.yml for every test of a suite, and a way to
// run the CLI against them.

import { afterEach, beforeEach } from 'node:test';
import path from 'node:path';
import { startFarm, type SimFarm, type SimPrinter, type SimPrinterOptions } from '../../src/simulator/index.js';
import { runCli, type CliRun } from './cli.js';
import { tempDir, writeConfig, writeTree } from './fixtures.js';

export interface Workspace {
  readonly farm: SimFarm;
  /** The test's temporary folder (the CLI's working directory). */
  readonly dir: string;
  readonly master: string;
  /** The printers.yml path; tests may rewrite it. */
  config: string;
  printer(name: string): SimPrinter;
  /** `link-sync -c CONFIG -s MASTER ...args`, through main() in this process. */
  sync(...args: string[]): Promise<CliRun>;
  /** The same, as the built CLI in a child process (for exit codes and streams at the process boundary). */
  syncProcess(...args: string[]): Promise<CliRun>;
}

export interface WorkspaceOptions {
  printers: SimPrinterOptions[];
  master: Record<string, string | Buffer>;
  /** Extra environment for the CLI, given the test's folder. */
  env?: (dir: string) => Record<string, string>;
}

/** Registers beforeEach/afterEach hooks in the current suite; read the fields inside tests only. */
export function useWorkspace(options: WorkspaceOptions): Workspace {
  let farm: SimFarm | undefined;
  let work: { dir: string; cleanup: () => void } | undefined;
  const ws = {
    get farm() {
      if (!farm) throw new Error('the workspace exists only inside a test');
      return farm;
    },
    get dir() {
      return work!.dir;
    },
    get master() {
      return path.join(work!.dir, 'master');
    },
    config: '',
    printer: (name: string) => ws.farm.printers.find((p) => p.name === name)!,
    sync: (...args: string[]) =>
      runCli(['-c', ws.config, '-s', ws.master, ...args], { cwd: ws.dir, ...(options.env ? { env: options.env(ws.dir) } : {}) }),
    syncProcess: (...args: string[]) =>
      runCli(['-c', ws.config, '-s', ws.master, ...args], {
        cwd: ws.dir,
        process: true,
        ...(options.env ? { env: options.env(ws.dir) } : {}),
      }),
  };
  beforeEach(async () => {
    farm = await startFarm(options.printers);
    work = tempDir();
    writeTree(ws.master, options.master);
    ws.config = writeConfig(work.dir, farm.printers);
  });
  afterEach(async () => {
    await farm?.close();
    work?.cleanup();
    farm = undefined;
    work = undefined;
  });
  return ws;
}
