// `link-sync demo`: the quick-start. Starts three simulated printers (MK4S, XL, MK3S on a Pi), syncs the
// bundled example master folder onto them for real, then runs again to show that nothing is left to do.

import { fileURLToPath } from 'node:url';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFarm } from '../../simulator/index.js';
import { sync } from '../../run/sync.js';
import type { FarmConfig } from '../../config/types.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../../errors.js';
import { pickReporters } from './sync.js';
import { ExitCode, exitCodeForSummary } from '../../report/exit-codes.js';

/** The example master folder shipped with the package. */
export function exampleMasterFolder(): string {
  // The nearest examples/master above this module: dist/src/cli/commands, or dist/cli/chunks when bundled.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'examples/master');
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../examples/master');
    dir = parent;
  }
}

const DEMO_HELP = `Usage: link-sync demo

Starts three simulated printers (MK4S, XL, MK3S) on 127.0.0.1, syncs the bundled example folder
onto them with --go, then runs a dry run to show nothing is left to do. Nothing leaves this machine.

Options:
  -h, --help  show this help
`;

export async function runDemo(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    io.stdout.write(DEMO_HELP);
    return ExitCode.OK;
  }
  if (argv.length > 0)
    throw new UsageError(`demo: unexpected argument ${JSON.stringify(argv[0])}`, {
      hint: 'link-sync demo takes no options; see link-sync demo --help',
    });
  const farm = await startFarm([
    { name: 'mk4s-1', model: 'MK4S', rateBytesPerSec: 100_000 },
    { name: 'xl-2', model: 'XL', rateBytesPerSec: 150_000 },
    { name: 'mk3s-3', model: 'MK3S', rateBytesPerSec: 300_000 },
  ]);
  // The simulated printers are gone after the demo: keep their sync records out of the user's state folder.
  const stateDir = mkdtempSync(path.join(tmpdir(), 'link-sync-demo-'));
  try {
    const config: FarmConfig = {
      path: '(demo)',
      warnings: [],
      printers: farm.printers.map((p) => ({
        name: p.name,
        printerType: p.model,
        baseUrl: p.url,
        auth: { kind: 'digest' as const, username: p.credentials.username, password: p.credentials.password },
      })),
    };
    const out = (line: string) => io.stdout.write(`${line}\n`);
    // The same view a real run gets: live on a terminal, plain lines in a pipe.
    const run = async (go: boolean) => {
      const reporters = await pickReporters({ json: false, quiet: false }, io);
      let code = ExitCode.INTERNAL as number;
      try {
        const summary = await sync({ config, source, go, stateDir, onEvent: reporters.sink, signal: io.signal });
        code = exitCodeForSummary(summary);
        return summary;
      } finally {
        reporters.close(code);
      }
    };
    out('Demo: three simulated printers on 127.0.0.1 (nothing leaves this machine):');
    for (const p of farm.printers) out(`  ${p.name.padEnd(8)} ${p.model.padEnd(5)} ${p.url}`);
    const source = exampleMasterFolder();
    out(`\n$ link-sync -s ${path.relative(io.cwd, source) || '.'} --go`);
    const first = await run(true);
    out(`\n$ link-sync -s ${path.relative(io.cwd, source) || '.'}   # again, dry run: nothing left to do`);
    const second = await run(false);
    out('\nTry it against your own printers: write printers.yml (see README) and run link-sync -s FOLDER.');
    return Math.max(exitCodeForSummary(first), exitCodeForSummary(second));
  } finally {
    await farm.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}
