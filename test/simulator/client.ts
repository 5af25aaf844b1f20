// A small HTTP client for the simulator tests: both digest dialects, raw request targets, bodies.

import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { SimPrinter } from '../../src/simulator/index.js';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  /** The socket broke before (or instead of) a complete answer. */
  error?: string;
}

export interface SendOptions {
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Write the body slowly in chunks of this size (to see early answers). */
  chunkSize?: number;
  /** Send only this many body bytes, then wait (a stalled client). */
  stopAfter?: number;
  /** Give up (destroy the socket) after this long. */
  abortAfterMs?: number;
}

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** One raw request; never throws for HTTP status or socket errors. */
export function send(printer: SimPrinter, method: string, target: string, opts: SendOptions = {}): Promise<Reply> {
  return new Promise((resolve) => {
    const body = typeof opts.body === 'string' ? Buffer.from(opts.body) : opts.body;
    const headers: Record<string, string> = { 'User-Agent': 'sim-test/1', ...(opts.headers ?? {}) };
    if (body && headers['Content-Length'] === undefined && headers['Transfer-Encoding'] === undefined)
      headers['Content-Length'] = String(body.length);
    const req = httpRequest({ host: '127.0.0.1', port: printer.port, method, path: target, headers, agent: false });
    let settled = false;
    const done = (r: Reply): void => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      const end = (error?: string): void => {
        const b = Buffer.concat(chunks);
        done({ status: res.statusCode ?? 0, headers: res.headers, body: b, text: b.toString('utf8'), ...(error ? { error } : {}) });
      };
      res.on('end', () => end());
      res.on('error', (e) => end(e.message));
      res.on('aborted', () => end('aborted'));
    });
    req.on('error', (e: NodeJS.ErrnoException) =>
      done({ status: 0, headers: {}, body: Buffer.alloc(0), text: '', error: e.code ?? e.message }),
    );
    if (opts.abortAfterMs !== undefined) {
      const timer = setTimeout(() => req.destroy(new Error('client gave up')), opts.abortAfterMs);
      req.on('close', () => clearTimeout(timer));
    }
    if (!body) return void req.end();
    if (opts.stopAfter !== undefined) return void req.write(body.subarray(0, opts.stopAfter));
    const size = opts.chunkSize ?? body.length;
    let offset = 0;
    const pump = (): void => {
      while (offset < body.length) {
        const chunk = body.subarray(offset, offset + size);
        offset += chunk.length;
        if (opts.chunkSize) {
          req.write(chunk);
          setTimeout(pump, 5);
          return;
        }
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

function params(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of header.matchAll(/([a-z]+)=(?:"([^"]*)"|([^\s,]+))/gi)) out[(m[1] ?? '').toLowerCase()] = m[2] ?? m[3] ?? '';
  return out;
}

/** The Authorization header answering `challenge` for this request. */
export function digestHeader(challenge: string, method: string, target: string, user: string, password: string): string {
  const p = params(challenge);
  const realm = p['realm'] ?? '';
  const nonce = p['nonce'] ?? '';
  if (p['qop'] === undefined) {
    const response = md5(`${md5(`${user}:${realm}:${password}`)}:${nonce}:${md5(`${method}:${target}`)}`);
    return `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${target}", response="${response}"`;
  }
  const cnonce = randomBytes(8).toString('hex');
  const nc = '00000001';
  let ha1 = md5(`${user}:${realm}:${password}`);
  if ((p['algorithm'] ?? '').toUpperCase() === 'MD5-SESS') ha1 = md5(`${ha1}:${nonce}:${cnonce}`);
  const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${md5(`${method}:${target}`)}`);
  return `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${target}", algorithm=${p['algorithm'] ?? 'MD5'}, qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}", opaque="${p['opaque'] ?? ''}"`;
}

/** Gets a challenge with a cheap GET, then sends the request pre-authorised with digest. */
export async function authed(printer: SimPrinter, method: string, target: string, opts: SendOptions = {}): Promise<Reply> {
  const probe = await send(printer, 'GET', '/api/version', {
    headers: opts.headers?.['User-Agent'] ? { 'User-Agent': opts.headers['User-Agent'] } : {},
  });
  const challenge = String(probe.headers['www-authenticate'] ?? '');
  const { username, password } = printer.credentials;
  const authorization = digestHeader(challenge, method, target, username, password);
  return send(printer, method, target, { ...opts, headers: { ...(opts.headers ?? {}), Authorization: authorization } });
}

export function json(reply: Reply): any {
  return JSON.parse(reply.text);
}
