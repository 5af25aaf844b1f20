// The package version: written in by the bundler (scripts/bundle.mjs), else read once from
// package.json (two folders up from dist/src).

import { readFileSync } from 'node:fs';

declare const LINK_SYNC_BUNDLED_VERSION: string | undefined;

function readVersion(): string {
  if (typeof LINK_SYNC_BUNDLED_VERSION === 'string') return LINK_SYNC_BUNDLED_VERSION;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const VERSION = readVersion();
export const USER_AGENT = `link-sync/${VERSION}`;
