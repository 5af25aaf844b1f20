// The User-Agent sent to every printer: "link-sync/<version>", constant for the whole run because
// PrusaLink on a Pi binds its Digest nonces to it.

import { VERSION } from '../version.js';

/** "link-sync/<version>" (the version from package.json, or written in by the bundler). */
export function defaultUserAgent(): string {
  return `link-sync/${VERSION}`;
}
