// Server side of HTTP digest auth in the two dialects: Buddy (RFC 2069 style, no qop, time-stamped
// nonces) and Pi (PoorWSGI: MD5-sess, qop=auth, nonces bound to the User-Agent in time buckets).

import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const BUDDY_REALM = 'Printer API';
export const PI_REALM = 'Administrator';

export function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Parses `Digest k="v", k2=v2` into lower-case keys. Undefined when it is not a Digest header. */
export function parseDigestHeader(value: string): Record<string, string> | undefined {
  const m = /^\s*Digest\s+(.*)$/is.exec(value);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (let p = re.exec(m[1] ?? ''); p; p = re.exec(m[1] ?? '')) {
    out[(p[1] ?? '').toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '');
  }
  return out;
}

export type DigestCheck = { ok: true } | { ok: false; stale: boolean };

/** Buddy: nonce = 8 hex of issue time + 8 hex MAC; dies with the process (new secret on boot). */
export class BuddyDigest {
  private readonly secret = randomBytes(16);

  constructor(
    private readonly password: string,
    private readonly lifetimeSec: number,
    private readonly now: () => number = Date.now,
  ) {}

  challenge(stale: boolean): string {
    return `Digest realm="${BUDDY_REALM}", nonce="${this.nonce()}", stale=${stale ? 'true' : 'false'}`;
  }

  nonce(nowMs = this.now()): string {
    const t = Math.floor(nowMs / 1000)
      .toString(16)
      .padStart(8, '0')
      .slice(-8);
    return t + this.mac(t);
  }

  /** Only `nonce` and `response` count; user, uri, qop and realm are ignored as the firmware does. */
  check(header: Record<string, string>, method: string, rawTarget: string, nowMs = this.now()): DigestCheck {
    const nonce = header['nonce'] ?? '';
    const response = (header['response'] ?? '').toLowerCase();
    if (!/^[0-9a-f]{16}$/.test(nonce)) return { ok: false, stale: false };
    const t = nonce.slice(0, 8);
    if (!sameText(nonce.slice(8), this.mac(t))) return { ok: false, stale: false };
    const ha1 = md5(`maker:${BUDDY_REALM}:${this.password}`);
    const ha2 = md5(`${method}:${rawTarget}`);
    const correct = sameText(response, md5(`${ha1}:${nonce}:${ha2}`));
    const ageSec = nowMs / 1000 - parseInt(t, 16);
    if (ageSec < 0 || ageSec > this.lifetimeSec) return { ok: false, stale: correct };
    return correct ? { ok: true } : { ok: false, stale: false };
  }

  private mac(t: string): string {
    return createHmac('sha256', this.secret).update(t).digest('hex').slice(0, 8);
  }
}

/** Pi: nonce = sha3-256(secret:bucket:user-agent); valid in its bucket and the next one. */
export class PiDigest {
  private readonly secret = randomBytes(16).toString('hex');
  readonly opaque: string;

  constructor(
    private readonly username: string,
    private readonly password: string,
    private readonly bucketSec: number,
    private readonly now: () => number = Date.now,
  ) {
    this.opaque = createHash('sha256').update(`${this.secret}:${PI_REALM}`).digest('hex');
  }

  challenge(userAgent: string, stale: boolean): string {
    const base = `Digest realm="${PI_REALM}",qop="auth",algorithm="MD5-sess",nonce="${this.nonce(userAgent)}",opaque="${this.opaque}"`;
    return stale ? `${base},stale=true` : base;
  }

  nonce(userAgent: string, nowMs = this.now()): string {
    return this.token(userAgent, Math.floor(nowMs / 1000 / this.bucketSec));
  }

  check(header: Record<string, string>, method: string, rawTarget: string, userAgent: string, nowMs = this.now()): DigestCheck {
    const bucket = Math.floor(nowMs / 1000 / this.bucketSec);
    const nonce = header['nonce'] ?? '';
    if (header['username'] !== this.username || header['realm'] !== PI_REALM) return { ok: false, stale: false };
    if (header['opaque'] !== this.opaque) return { ok: false, stale: false };
    const uri = header['uri'] ?? '';
    if (uri === '' || !uri.endsWith(rawTarget)) return { ok: false, stale: false };
    if (nonce !== this.token(userAgent, bucket) && nonce !== this.token(userAgent, bucket - 1)) {
      return { ok: false, stale: true };
    }
    const { cnonce = '', nc = '', qop = '' } = header;
    if (qop !== 'auth') return { ok: false, stale: false };
    const ha1 = md5(`${md5(`${this.username}:${PI_REALM}:${this.password}`)}:${nonce}:${cnonce}`);
    const ha2 = md5(`${method}:${uri}`);
    const expected = md5(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`);
    return sameText((header['response'] ?? '').toLowerCase(), expected) ? { ok: true } : { ok: false, stale: false };
  }

  private token(userAgent: string, bucket: number): string {
    return createHash('sha3-256').update(`${this.secret}:${bucket}:${userAgent}`).digest('hex');
  }
}
