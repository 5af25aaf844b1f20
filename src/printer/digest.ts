// HTTP auth challenges and Digest responses (RFC 2617 / 7616 with MD5 and MD5-sess), pure.
// Buddy challenges without qop (legacy formula), Pi with qop=auth and MD5-sess; both are covered.

import * as crypto from 'node:crypto';

/** One challenge of a WWW-Authenticate header; scheme and parameter names are lower case. */
export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

/** What a Digest challenge asks for. */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  /** As the server wrote it ("MD5", "MD5-sess"); undefined when absent (MD5 implied). */
  algorithm: string | undefined;
  /** qop options offered, lower case; empty when the server sent none. */
  qop: string[];
  opaque: string | undefined;
  stale: boolean;
}

const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const SPACE = /[ \t]/;

/**
 * Parses a WWW-Authenticate value into its challenges. Several challenges may share one value
 * (Node joins repeated headers with ", "), parameters may be quoted or bare, and quoted values may
 * hold commas and escaped quotes.
 */
export function parseWwwAuthenticate(value: string): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  let i = 0;
  const n = value.length;
  const skip = (re: RegExp): void => {
    while (i < n && re.test(value.charAt(i))) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < n && TOKEN_CHAR.test(value.charAt(i))) i++;
    return value.slice(start, i);
  };
  const quoted = (): string => {
    let text = '';
    i++; // opening quote
    while (i < n && value.charAt(i) !== '"') {
      if (value.charAt(i) === '\\' && i + 1 < n) i++;
      text += value.charAt(i);
      i++;
    }
    i++; // closing quote
    return text;
  };

  while (i < n) {
    skip(/[ \t,]/);
    const scheme = token();
    if (scheme === '') {
      i++; // a stray character: step over it rather than loop forever
      continue;
    }
    const challenge: AuthChallenge = { scheme: scheme.toLowerCase(), params: {} };
    out.push(challenge);
    for (;;) {
      skip(/[ \t,]/);
      const mark = i;
      const name = token();
      skip(SPACE);
      if (name === '') break;
      if (value.charAt(i) !== '=') {
        i = mark; // a bare token: the next challenge starts here
        break;
      }
      if (value.charAt(i + 1) === '=') {
        skip(/=/); // token68 padding ("abc=="): nothing we use
        continue;
      }
      i++; // '='
      skip(SPACE);
      challenge.params[name.toLowerCase()] = value.charAt(i) === '"' ? quoted() : token();
      skip(SPACE);
      if (i >= n) break;
    }
  }
  return out;
}

/** The first Digest challenge with an algorithm we can answer, or undefined. */
export function findDigestChallenge(challenges: AuthChallenge[]): DigestChallenge | undefined {
  for (const c of challenges) {
    if (c.scheme !== 'digest') continue;
    const { realm, nonce } = c.params;
    if (realm === undefined || nonce === undefined) continue;
    const algorithm = c.params['algorithm'];
    if (algorithm !== undefined && !/^md5(-sess)?$/i.test(algorithm)) continue;
    const qop = (c.params['qop'] ?? '')
      .split(',')
      .map((q) => q.trim().toLowerCase())
      .filter((q) => q !== '');
    if (qop.length > 0 && !qop.includes('auth')) continue; // auth-int would need the body hash
    return {
      realm,
      nonce,
      algorithm,
      qop,
      opaque: c.params['opaque'],
      stale: (c.params['stale'] ?? '').toLowerCase() === 'true',
    };
  }
  return undefined;
}

export interface DigestInput {
  challenge: DigestChallenge;
  username: string;
  password: string;
  method: string;
  /** The raw request target exactly as sent (path and query, percent-encoded). */
  uri: string;
  /** Request counter for this nonce, starting at 1 (used only with qop). */
  nc: number;
  /** Client nonce (used with qop or MD5-sess). */
  cnonce: string;
}

// Node 20.12+ hashes in one call, without a Hash object per digest (two digests per request). A
// namespace import: naming `hash` in the import would fail to load on older Node 20 releases.
const md5: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('md5', text, 'hex')
    : (text) => crypto.createHash('md5').update(text, 'utf8').digest('hex');

const quote = (text: string): string => `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** The `response` value: MD5(HA1:nonce:HA2) without qop, MD5(HA1:nonce:nc:cnonce:qop:HA2) with it. */
export function digestResponse(input: DigestInput): string {
  return responseWith(md5(`${input.username}:${input.challenge.realm}:${input.password}`), input);
}

/** The response from the hash of user, realm and password, which stays the same for a whole run. */
function responseWith(userHash: string, input: Omit<DigestInput, 'username' | 'password'>): string {
  const { challenge: c, method, uri, cnonce } = input;
  const ha1 = c.algorithm?.toLowerCase() === 'md5-sess' ? md5(`${userHash}:${c.nonce}:${cnonce}`) : userHash;
  const ha2 = md5(`${method}:${uri}`);
  if (c.qop.includes('auth')) return md5(`${ha1}:${c.nonce}:${ncHex(input.nc)}:${cnonce}:auth:${ha2}`);
  return md5(`${ha1}:${c.nonce}:${ha2}`);
}

/** The full `Authorization` header value. It contains a secret-derived hash: never log it. */
export function digestAuthorization(input: DigestInput): string {
  return authorizationWith(md5(`${input.username}:${input.challenge.realm}:${input.password}`), input);
}

function authorizationWith(userHash: string, input: Omit<DigestInput, 'password'>): string {
  const c = input.challenge;
  const parts = [`username=${quote(input.username)}`, `realm=${quote(c.realm)}`, `nonce=${quote(c.nonce)}`, `uri=${quote(input.uri)}`];
  // Pi compares the algorithm literally, so echo it as the server spelled it.
  if (c.algorithm !== undefined) parts.push(`algorithm=${c.algorithm}`);
  parts.push(`response=${quote(responseWith(userHash, input))}`);
  if (c.qop.includes('auth')) parts.push('qop=auth', `nc=${ncHex(input.nc)}`, `cnonce=${quote(input.cnonce)}`);
  else if (c.algorithm?.toLowerCase() === 'md5-sess') parts.push(`cnonce=${quote(input.cnonce)}`);
  if (c.opaque !== undefined) parts.push(`opaque=${quote(c.opaque)}`);
  return `Digest ${parts.join(', ')}`;
}

function ncHex(nc: number): string {
  return nc.toString(16).padStart(8, '0');
}

/**
 * Holds the current nonce for one printer and signs requests with it, counting nc.
 * Reusing a nonce is allowed by both implementations until it expires.
 */
export class DigestSigner {
  private nc = 0;
  /** MD5(user:realm:password): hashed once per challenge, not once per request. */
  private readonly userHash: string;
  /** Buddy's challenges (no qop, plain MD5) need no client nonce: none is drawn for them. */
  private readonly needsCnonce: boolean;

  constructor(
    readonly challenge: DigestChallenge,
    private readonly username: string,
    password: string,
    private readonly makeCnonce: () => string = () => crypto.randomBytes(8).toString('hex'),
  ) {
    this.userHash = md5(`${username}:${challenge.realm}:${password}`);
    this.needsCnonce = challenge.qop.includes('auth') || challenge.algorithm?.toLowerCase() === 'md5-sess';
  }

  authorize(method: string, uri: string): string {
    this.nc += 1;
    return authorizationWith(this.userHash, {
      challenge: this.challenge,
      username: this.username,
      method,
      uri,
      nc: this.nc,
      cnonce: this.needsCnonce ? this.makeCnonce() : '',
    });
  }
}
