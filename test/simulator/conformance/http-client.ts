// A raw node:http client for the conformance suite: exact request-targets, both digest dialects, API keys, no retries it did not ask for.

import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { buddyAuthorization, parseChallenge, piAuthorization, type Challenge } from './digest.js';

export type Body = Buffer | string | (() => Readable);

export interface SendOptions {
  method: string;
  /** Raw request-target, sent as is (already percent-encoded). */
  target: string;
  headers?: Record<string, string | number>;
  body?: Body;
  timeoutMs?: number;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** False when the server closed the socket before the response body ended. */
  complete: boolean;
  /** Set when the socket failed after the response head arrived (EPIPE/ECONNRESET on early errors). */
  socketError?: string;
  text(): string;
  json(): unknown;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** One request on its own connection. Resolves with the response even if writing the body then fails. */
export function send(baseUrl: string, options: SendOptions): Promise<RawResponse> {
  const base = new URL(baseUrl);
  const headers: Record<string, string | number> = { ...(options.headers ?? {}) };
  const body = options.body;
  if (body !== undefined && typeof body !== 'function' && !hasHeader(headers, 'content-length')) {
    headers['Content-Length'] = Buffer.byteLength(body);
  }
  return new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    let head: { status: number; headers: IncomingHttpHeaders } | undefined;
    const chunks: Buffer[] = [];
    const finish = (complete: boolean, socketError?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (head === undefined) {
        reject(new Error(`no response to ${options.method} ${options.target}: ${socketError ?? 'connection closed'}`));
        return;
      }
      const buf = Buffer.concat(chunks);
      const res: RawResponse = {
        status: head.status,
        headers: head.headers,
        body: buf,
        complete,
        text: () => buf.toString('utf8'),
        json: () => JSON.parse(buf.toString('utf8')) as unknown,
      };
      if (socketError !== undefined) res.socketError = socketError;
      resolve(res);
    };
    const req = httpRequest({
      host: base.hostname,
      port: base.port,
      method: options.method,
      path: options.target,
      headers,
      agent: false,
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`timed out after ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`));
    }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    req.on('response', (res) => {
      head = { status: res.statusCode ?? 0, headers: res.headers };
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish(true));
      res.on('error', (e) => finish(false, e.message));
      res.on('close', () => finish(res.complete));
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      // An early error page arrives before the server stops reading; keep it if we have it.
      if (head !== undefined) setTimeout(() => finish(false, e.code ?? e.message), 50);
      else finish(false, e.code ?? e.message);
    });
    if (body === undefined) req.end();
    else if (typeof body === 'function') {
      const stream = body();
      stream.on('error', (e) => req.destroy(e));
      stream.pipe(req);
    } else req.end(body);
  });
}

function hasHeader(headers: Record<string, unknown>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

/** Percent-encodes each path segment; `+` and spaces are encoded too (Buddy reads `+` as a space). */
export function encodePath(relPath: string): string {
  return relPath
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => encodeURIComponent(s))
    .join('/');
}

export function filesTarget(storage: string, relPath = ''): string {
  const enc = encodePath(relPath);
  return enc === '' ? `/api/v1/files/${storage}` : `/api/v1/files/${storage}/${enc}`;
}

export type AuthMode = 'digest' | 'apikey' | 'none';

export interface ClientOptions {
  baseUrl: string;
  username: string;
  password: string;
  apiKey?: string;
  userAgent?: string;
  /** Which formula to sign with; by default the one the challenge asks for (qop present ⇒ Pi). */
  formula?: 'buddy' | 'pi';
}

export interface RequestOptions {
  headers?: Record<string, string | number>;
  body?: Body;
  auth?: AuthMode;
  timeoutMs?: number;
  /** Retry once on a stale nonce (default true). */
  retryStale?: boolean;
}

/** Holds a nonce between requests, as a real client would. */
export class SimClient {
  private challenge: Challenge | undefined;
  readonly userAgent: string;

  constructor(readonly options: ClientOptions) {
    this.userAgent = options.userAgent ?? 'link-sync-conformance/1';
  }

  get lastChallenge(): Challenge | undefined {
    return this.challenge;
  }

  /** Forgets the nonce so that the next request fetches a fresh one. */
  forgetNonce(): void {
    this.challenge = undefined;
  }

  /** Uses this exact challenge for the next signature (nonce reuse and stale-nonce tests). */
  useChallenge(challenge: Challenge): void {
    this.challenge = challenge;
  }

  async fetchChallenge(): Promise<Challenge> {
    const res = await send(this.options.baseUrl, {
      method: 'GET',
      target: '/api/version',
      headers: { 'User-Agent': this.userAgent },
    });
    const header = firstHeader(res.headers['www-authenticate']);
    if (res.status !== 401 || header === undefined) {
      throw new Error(`expected a 401 digest challenge from GET /api/version, got ${res.status}`);
    }
    this.challenge = parseChallenge(header);
    return this.challenge;
  }

  authorization(method: string, target: string, challenge: Challenge): string {
    const formula = this.options.formula ?? (challenge.params.qop !== undefined ? 'pi' : 'buddy');
    const nonce = challenge.params.nonce ?? '';
    if (formula === 'buddy') {
      return buddyAuthorization({ password: this.options.password, nonce, method, uri: target, username: this.options.username });
    }
    return piAuthorization({
      username: this.options.username,
      password: this.options.password,
      realm: challenge.params.realm ?? '',
      nonce,
      opaque: challenge.params.opaque,
      method,
      uri: target,
    });
  }

  async request(method: string, target: string, options: RequestOptions = {}): Promise<RawResponse> {
    const auth = options.auth ?? 'digest';
    const base: Record<string, string | number> = { 'User-Agent': this.userAgent, ...(options.headers ?? {}) };
    const once = (headers: Record<string, string | number>): Promise<RawResponse> => {
      const sendOptions: SendOptions = { method, target, headers };
      if (options.body !== undefined) sendOptions.body = options.body;
      if (options.timeoutMs !== undefined) sendOptions.timeoutMs = options.timeoutMs;
      return send(this.options.baseUrl, sendOptions);
    };
    if (auth === 'none') return once(base);
    if (auth === 'apikey') return once({ ...base, 'X-Api-Key': this.options.apiKey ?? '' });
    const challenge = this.challenge ?? (await this.fetchChallenge());
    const res = await once({ ...base, Authorization: this.authorization(method, target, challenge) });
    const again = firstHeader(res.headers['www-authenticate']);
    if (res.status === 401 && again !== undefined) {
      const fresh = parseChallenge(again);
      if (fresh.scheme.toLowerCase() === 'digest') this.challenge = fresh;
      if ((options.retryStale ?? true) && fresh.params.stale?.toLowerCase() === 'true') {
        return once({ ...base, Authorization: this.authorization(method, target, fresh) });
      }
    }
    return res;
  }

  get(target: string, options: RequestOptions = {}): Promise<RawResponse> {
    return this.request('GET', target, { ...options, headers: { Accept: 'application/json', ...(options.headers ?? {}) } });
  }

  /** GET that must answer 200 with JSON. */
  async getJson(target: string): Promise<unknown> {
    const res = await this.get(target);
    if (res.status !== 200) throw new Error(`GET ${target} answered ${res.status}: ${res.text().slice(0, 200)}`);
    return res.json();
  }

  put(target: string, body: Body, headers: Record<string, string | number> = {}, options: RequestOptions = {}): Promise<RawResponse> {
    return this.request('PUT', target, {
      ...options,
      body,
      headers: { 'Content-Type': 'text/x.gcode', Accept: 'application/json', ...headers },
    });
  }

  delete(target: string, headers: Record<string, string | number> = {}): Promise<RawResponse> {
    return this.request('DELETE', target, { headers: { Accept: 'application/json', ...headers } });
  }

  head(target: string, options: RequestOptions = {}): Promise<RawResponse> {
    return this.request('HEAD', target, options);
  }
}

export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
