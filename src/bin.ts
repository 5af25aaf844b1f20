#!/usr/bin/env node
// The only file that touches `process`: wires argv, streams, environment and signals to main().

import { main } from './cli/main.js';

const controller = new AbortController();
let signals = 0;
const onSignal = (signal: NodeJS.Signals) => {
  signals++;
  if (signals === 1) {
    process.stderr.write(`\nlink-sync: ${signal} received: stopping cleanly (press Ctrl-C again to quit at once)\n`);
    controller.abort();
  } else {
    process.exit(130);
  }
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
});
process.exitCode = code;
// Exit as soon as what was written to stdout and stderr is out, without waiting for anything the run
// left behind (idle sockets, timers): an empty write calls back once every earlier write is flushed.
const flushed = (stream: NodeJS.WriteStream): Promise<void> => new Promise((resolve) => stream.write('', () => resolve()));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
