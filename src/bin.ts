#!/usr/bin/env node
// The only file that touches `process`: wires argv, streams, environment and signals to main().

import { setFlagsFromString } from 'node:v8';
import { main } from './cli/main.js';
import { guardOutput, isClosedPipe } from './cli/output-guard.js';
import { folderCause } from './local/folder-words.js';
import type { NoticeBoard } from './cli/io.js';

// A run allocates far more than it keeps (a first sync reads one answer per printer file, each soon
// garbage). V8's default lets the heap grow to about four times the live data before collecting:
// 260-335 MB at 64 printers x 10,000 files for some 30 MB live. Doubling at most keeps that near
// 190-230 MB, for about a tenth more CPU (docs/performance.md). Read at each collection, so setting
// it here, after start-up, takes effect.
setFlagsFromString('--heap-growing-percent=100');

const controller = new AbortController();
const notices: NoticeBoard = { show: (text) => void stderr.write(`\n${text}\n`) };
let stops = 0;
const stop = (why: string) => {
  stops++;
  if (stops === 1) {
    notices.show(`link-sync: ${why}: stopping cleanly (press Ctrl-C again to quit at once)`);
    controller.abort();
  } else {
    stderr.write(`\nlink-sync: ${why} again: quitting at once; uploads under way may be left for the printer to drop\n`);
    process.exit(130);
  }
};
process.on('SIGINT', () => stop('SIGINT received'));
process.on('SIGTERM', () => stop('SIGTERM received'));
// A closed terminal (an SSH session that dropped) stops the run as cleanly as SIGTERM: the record is
// saved and the summary logged, where Node's default would end the process on the spot.
process.on('SIGHUP', () => stop('SIGHUP received'));

// Output never crashes the run: a closed stdout stops it like SIGTERM; a full disk silences stdout only.
const stderr = guardOutput(process.stderr, () => undefined);
const stdout = guardOutput(process.stdout, (error) => {
  if (isClosedPipe(error)) {
    if (stops === 0) {
      stops++;
      stderr.write(`link-sync: stdout was closed (${error.code}): stopping cleanly; nothing new is started\n`);
      controller.abort();
    }
  } else {
    stderr.write(`link-sync: warning: cannot write to stdout (${folderCause(error)}); the sync goes on, its output is lost\n`);
  }
});

const code = await main(process.argv.slice(2), {
  stdout,
  stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
  notices,
});
process.exitCode = code;
// Exit as soon as what was written to stdout and stderr is out, without waiting for anything the run
// left behind (idle sockets, timers): an empty write calls back once every earlier write is flushed.
const flushed = (stream: NodeJS.WriteStream): Promise<void> => new Promise((resolve) => stream.write('', () => resolve()));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
