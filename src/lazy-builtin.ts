// Node modules that cost start-up time and only some runs need, loaded on first use: node:https
// (with TLS, ~7 ms) for printers at https:// addresses, node:zlib (~4 ms) for .bgcode metadata.

import { createRequire } from 'node:module';
import type * as Https from 'node:https';
import type * as Zlib from 'node:zlib';

const load = createRequire(import.meta.url);
let https: typeof Https | undefined;
let zlib: typeof Zlib | undefined;

export function httpsModule(): typeof Https {
  https ??= load('node:https') as typeof Https;
  return https;
}

export function zlibModule(): typeof Zlib {
  zlib ??= load('node:zlib') as typeof Zlib;
  return zlib;
}
