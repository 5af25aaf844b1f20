// One request and its answer, with the connection policy of the personality applied to every reply:
// Pi closes after each response (HTTP/1.0 style); Buddy keeps GETs alive and closes after PUT and
// after error pages for requests that carry a body, without reading that body.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimAuthOutcome, SimPersonality, SimRequestLogEntry } from '../types.js';
import type { FaultSet } from './faults.js';

export type HeaderMap = Record<string, string | number>;

export class Exchange {
  readonly method: string;
  /** Raw request target, as received. */
  readonly target: string;
  /** The target up to the first '?'. */
  readonly rawPath: string;
  readonly hasBody: boolean;
  /** Set once the whole body was read, so a close need not cut it short. */
  bodyConsumed = false;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly entry: SimRequestLogEntry,
    private readonly personality: SimPersonality,
    private readonly faults: FaultSet,
  ) {
    this.method = (req.method ?? 'GET').toUpperCase();
    this.target = req.url ?? '/';
    const q = this.target.indexOf('?');
    this.rawPath = q < 0 ? this.target : this.target.slice(0, q);
    const length = Number(req.headers['content-length'] ?? 0);
    this.hasBody = length > 0 || req.headers['transfer-encoding'] !== undefined;
  }

  header(name: string): string | undefined {
    const v = this.req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  }

  set auth(outcome: SimAuthOutcome) {
    this.entry.auth = outcome;
  }

  /** `application/json` as the first Accept type (Buddy's rule). */
  acceptsJsonFirst(): boolean {
    const first = (this.header('accept') ?? '').split(',')[0] ?? '';
    return first.split(';')[0]?.trim().toLowerCase() === 'application/json';
  }

  acceptsJson(): boolean {
    return /application\/json/i.test(this.header('accept') ?? '');
  }

  /** Sends a complete answer. `chunked` streams it without Content-Length, as Buddy's listings come. */
  send(status: number, body: string | Buffer | undefined, headers: HeaderMap = {}, opts: { chunked?: boolean; close?: boolean } = {}): void {
    const res = this.res;
    if (res.headersSent || res.destroyed) return;
    const close = opts.close === true || this.closesAfter(status);
    res.statusCode = status;
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    if (close) {
      res.setHeader('Connection', 'close');
      if (this.hasBody && !this.bodyConsumed) this.cutAfterAnswer();
    }
    if (body === undefined || status === 204 || status === 304) {
      if (!opts.chunked && status !== 204 && status !== 304 && this.method !== 'HEAD') res.setHeader('Content-Length', 0);
      res.end();
      return;
    }
    const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const interval = this.faults.empty || this.method === 'HEAD' ? undefined : this.faults.trickle(this.method, this.rawPath);
    if (interval !== undefined) {
      if (!opts.chunked) res.setHeader('Content-Length', buf.length);
      return this.trickle(buf, interval);
    }
    if (opts.chunked && this.method !== 'HEAD') {
      // Writing before end() keeps Node from computing a Content-Length: the body goes chunked.
      res.write(buf);
      res.end();
      return;
    }
    res.setHeader('Content-Length', buf.length);
    res.end(buf);
  }

  /** The trickle fault: headers now, then one byte per interval until the body is out or the client leaves. */
  private trickle(buf: Buffer, intervalMs: number): void {
    const res = this.res;
    res.flushHeaders();
    let at = 0;
    const next = (): void => {
      if (res.destroyed) return;
      if (at >= buf.length) return void res.end();
      res.write(buf.subarray(at, at + 1));
      at++;
      setTimeout(next, intervalMs).unref();
    };
    next();
  }

  /** JSON answer; the malformed-json fault cuts it in half. */
  sendJson(status: number, value: unknown, headers: HeaderMap = {}, opts: { chunked?: boolean; close?: boolean } = {}): void {
    let text = JSON.stringify(value);
    if (this.faults.malformedJson(this.rawPath)) text = text.slice(0, Math.floor(text.length / 2));
    const chunked = opts.chunked ?? this.personality === 'buddy';
    this.send(status, text, { 'Content-Type': 'application/json', ...headers }, { ...opts, chunked });
  }

  /** Pi answers one request per connection. */
  get closesAfterEvery(): boolean {
    return this.personality === 'pi';
  }

  private closesAfter(status: number): boolean {
    if (this.personality === 'pi') return true;
    return this.method === 'PUT' || (status >= 300 && this.hasBody);
  }

  /** Answer, then drop the connection instead of draining a body nobody will read. */
  private cutAfterAnswer(): void {
    const socket = this.req.socket;
    this.res.once('finish', () => {
      setTimeout(() => socket.destroy(), 50).unref();
    });
  }
}
