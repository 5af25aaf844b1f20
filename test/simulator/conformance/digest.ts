// Digest auth as both PrusaLink dialects compute it, written independently of src/printer so the suite checks the simulator, not our client.

import { createHash, randomBytes } from 'node:crypto';

export function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses one `WWW-Authenticate` value: `Digest realm="x", nonce="y", stale=false`. */
export function parseChallenge(header: string): Challenge {
  const trimmed = header.trim();
  const space = trimmed.indexOf(' ');
  const scheme = space < 0 ? trimmed : trimmed.slice(0, space);
  const rest = space < 0 ? '' : trimmed.slice(space + 1);
  const params: Record<string, string> = {};
  // Values are either quoted strings (may contain commas) or bare tokens.
  const re = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?/g;
  for (let m = re.exec(rest); m !== null; m = re.exec(rest)) {
    const key = m[1];
    if (key === undefined) continue;
    params[key.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
  }
  return { scheme, params };
}

export interface BuddyDigestInput {
  password: string;
  nonce: string;
  method: string;
  /** The raw request-target exactly as sent on the request line. */
  uri: string;
  /** Sent in the header, but the firmware hashes the fixed user `maker` whatever this says. */
  username?: string;
}

/** Buddy: response = MD5(HA1:nonce:HA2), HA1 = MD5("maker:Printer API:"+pw), no qop. */
export function buddyResponse(input: BuddyDigestInput): string {
  const ha1 = md5(`maker:Printer API:${input.password}`);
  const ha2 = md5(`${input.method}:${input.uri}`);
  return md5(`${ha1}:${input.nonce}:${ha2}`);
}

export function buddyAuthorization(input: BuddyDigestInput): string {
  const user = input.username ?? 'maker';
  return `Digest username="${user}", realm="Printer API", nonce="${input.nonce}", uri="${input.uri}", response="${buddyResponse(input)}"`;
}

export interface PiDigestInput {
  username: string;
  password: string;
  realm: string;
  nonce: string;
  opaque: string | undefined;
  method: string;
  uri: string;
  cnonce?: string;
  nc?: string;
}

/** Pi (RFC 2617, MD5-sess, qop=auth): HA1 = MD5(MD5(user:realm:pw):nonce:cnonce). */
export function piResponse(input: PiDigestInput & { cnonce: string; nc: string }): string {
  const ha1 = md5(`${md5(`${input.username}:${input.realm}:${input.password}`)}:${input.nonce}:${input.cnonce}`);
  const ha2 = md5(`${input.method}:${input.uri}`);
  return md5(`${ha1}:${input.nonce}:${input.nc}:${input.cnonce}:auth:${ha2}`);
}

export function piAuthorization(input: PiDigestInput): string {
  const cnonce = input.cnonce ?? randomBytes(8).toString('hex');
  const nc = input.nc ?? '00000001';
  const response = piResponse({ ...input, cnonce, nc });
  const parts = [
    `username="${input.username}"`,
    `realm="${input.realm}"`,
    `nonce="${input.nonce}"`,
    `uri="${input.uri}"`,
    'algorithm=MD5-sess',
    'qop=auth',
    `nc=${nc}`,
    `cnonce="${cnonce}"`,
    `response="${response}"`,
  ];
  if (input.opaque !== undefined) parts.push(`opaque="${input.opaque}"`);
  return `Digest ${parts.join(', ')}`;
}
