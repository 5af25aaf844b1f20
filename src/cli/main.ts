// main(argv, io) → exit code. Dispatches to a command and turns every error into one clear line.

import type { CliIo } from './io.js';
import { LinkSyncError } from '../errors.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import { runSync } from './commands/sync.js';
import { runSimulate } from './commands/simulate.js';
import { runDemo } from './commands/demo.js';

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'simulate') return await runSimulate(rest, io);
    if (command === 'demo') return await runDemo(rest, io);
    return await runSync(argv, io);
  } catch (error) {
    const code = exitCodeFor(error);
    if (error instanceof LinkSyncError && code !== ExitCode.INTERNAL) {
      io.stderr.write(`link-sync: error: ${error.toLine()}\n`);
      return code;
    }
    if (code === ExitCode.INTERRUPTED) {
      io.stderr.write('link-sync: interrupted\n');
      return code;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`link-sync: internal error (a bug; please report it with the command you ran):\n${detail}\n`);
    return ExitCode.INTERNAL;
  }
}
