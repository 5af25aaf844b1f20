// The User-Agent sent to every printer: "link-sync/<version>", constant for the whole run because
// PrusaLink on a Pi binds its Digest nonces to it.

import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** Reads the version from package.json once (dist/src/printer → package root). */
export function defaultUserAgent(): string {
  if (cached !== undefined) return cached;
  let version = '0.0.0';
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    if (pkg !== null && typeof pkg === 'object' && 'version' in pkg && typeof pkg.version === 'string') {
      version = pkg.version;
    }
  } catch {
    // a bundled or relocated build: a version-less agent still works
  }
  cached = `link-sync/${version}`;
  return cached;
}
