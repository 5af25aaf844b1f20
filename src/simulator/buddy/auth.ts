// Buddy's auth: digest (user always "maker") or X-Api-Key equal to the password; whichever of the
// two headers comes last wins, as the firmware's parser keeps only the last one it saw.

import { timingSafeEqual } from 'node:crypto';
import { BUDDY_REALM, parseDigestHeader, type BuddyDigest } from '../auth/digest-server.js';
import type { Exchange } from '../server/exchange.js';
import { buddyError } from './errors.js';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True when the request may go on; otherwise the 401 has been sent. */
export function buddyAuthenticate(ex: Exchange, digest: BuddyDigest, password: string): boolean {
  let last: { kind: 'digest' | 'key'; value: string } | undefined;
  const raw = ex.req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] ?? '').toLowerCase();
    if (name === 'authorization') last = { kind: 'digest', value: raw[i + 1] ?? '' };
    else if (name === 'x-api-key') last = { kind: 'key', value: raw[i + 1] ?? '' };
  }
  if (last?.kind === 'key') {
    if (sameSecret(last.value, password)) {
      ex.auth = 'api-key';
      return true;
    }
    ex.auth = 'invalid';
    buddyError(ex, 401, 'Unauthorized', { headers: { 'WWW-Authenticate': `ApiKey realm="${BUDDY_REALM}"` } });
    return false;
  }
  const params = last ? parseDigestHeader(last.value) : undefined;
  if (!params) {
    ex.auth = last ? 'invalid' : 'none';
    buddyError(ex, 401, 'Unauthorized', { headers: { 'WWW-Authenticate': digest.challenge(false) } });
    return false;
  }
  const result = digest.check(params, ex.method, ex.target);
  if (result.ok) {
    ex.auth = 'digest';
    return true;
  }
  ex.auth = 'invalid';
  buddyError(ex, 401, 'Unauthorized', { headers: { 'WWW-Authenticate': digest.challenge(result.stale) } });
  return false;
}
