// Pi's auth: an X-Api-Key header, when present, decides alone (wrong or unset key: 403);
// otherwise MD5-sess digest with qop=auth, nonces bound to the User-Agent.

import { timingSafeEqual } from 'node:crypto';
import { parseDigestHeader, type PiDigest } from '../auth/digest-server.js';
import type { Exchange } from '../server/exchange.js';
import { piUnauthorized } from './errors.js';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True when the request may go on; otherwise the 401/403 has been sent. */
export function piAuthenticate(ex: Exchange, digest: PiDigest, apiKey: string | undefined): boolean {
  const key = ex.header('x-api-key');
  if (key !== undefined) {
    if (apiKey !== undefined && sameSecret(key, apiKey)) {
      ex.auth = 'api-key';
      return true;
    }
    ex.auth = 'invalid';
    ex.send(403, 'Bad X-Api-Key.\n', { 'Content-Type': 'text/plain; charset=utf-8' });
    return false;
  }
  const userAgent = ex.header('user-agent') ?? '';
  const header = ex.header('authorization');
  const params = header ? parseDigestHeader(header) : undefined;
  if (!params) {
    ex.auth = header ? 'invalid' : 'none';
    piUnauthorized(ex, digest.challenge(userAgent, false));
    return false;
  }
  const result = digest.check(params, ex.method, ex.target, userAgent);
  if (result.ok) {
    ex.auth = 'digest';
    return true;
  }
  ex.auth = 'invalid';
  piUnauthorized(ex, digest.challenge(userAgent, result.stale));
  return false;
}
