// main(argv, io) → exit code. Dispatches to a command and turns every error into one clear line.

import type { CliIo } from './io.js';
import { ConfigError, LinkSyncError, UsageError } from '../errors.js';
import { ExitCode, exitCodeFor } from '../report/exit-codes.js';
import { inertLine } from '../report/inert.js';

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    // `link-sync help [command]` is `link-sync [command] --help`: it prints and starts nothing.
    if (command === 'help') {
      const [topic, ...extra] = rest;
      if (extra.length > 0 || (topic !== undefined && !['simulate', 'demo', 'sync', 'pull'].includes(topic))) {
        throw new UsageError(`help: unknown command ${JSON.stringify(topic)}`, {
          hint: 'commands: pull, simulate, demo; link-sync help lists the sync options',
        });
      }
      return await main(topic === undefined || topic === 'sync' ? ['--help'] : [topic, '--help'], io);
    }
    // Each command loads only what it needs: a cron run never loads the simulator.
    if (command === 'simulate') return await (await import('./commands/simulate.js')).runSimulate(rest, io);
    if (command === 'pull') return await (await import('./commands/pull.js')).runPull(rest, io);
    if (command === 'demo') return await (await import('./commands/demo.js')).runDemo(rest, io);
    if (command === 'status') return await (await import('./commands/status.js')).runStatus(rest, io);
    if (command === 'watch') return await (await import('./commands/watch.js')).runWatch(rest, io);
    return await (await import('./commands/sync.js')).runSync(argv, io);
  } catch (error) {
    const code = exitCodeFor(error);
    if (error instanceof LinkSyncError && code !== ExitCode.INTERNAL) {
      io.stderr.write(`link-sync: error: ${errorText(error)}\n`);
      return code;
    }
    if (code === ExitCode.INTERRUPTED) {
      io.stderr.write('link-sync: interrupted\n');
      return code;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(
      `link-sync: internal error (a bug; please report it with the command you ran):\n${detail.split('\n').map(inertLine).join('\n')}\n`,
    );
    return ExitCode.INTERNAL;
  }
}

/**
 * The error for the terminal, made inert (a hostile name cannot break the line). A config with
 * several problems gets its count, then one line per problem, each made inert on its own.
 */
function errorText(error: LinkSyncError): string {
  if (!(error instanceof ConfigError) || error.heading === undefined) return inertLine(error.toLine());
  const hint = error.hint === undefined ? '' : ` (${inertLine(error.hint)})`;
  return [inertLine(error.heading), ...error.errors.map((line) => `  ${inertLine(line)}`)].join('\n') + hint;
}
