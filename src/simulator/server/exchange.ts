// One request and its answer, with the connection policy of the personality applied to every reply:
// Pi closes after each response (HTTP/1.0 style); Buddy keeps GETs alive and closes after PUT and
// after error pages for requests that carry a body, without reading that body.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimAuthOutcome, SimPersonality, SimRequestLogEntry } from '../types.js';
import type { FaultSet, ListingFault } from './faults.js';

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
  send(
    status: number,
    body: string | Buffer | undefined,
    headers: HeaderMap = {},
    opts: { chunked?: boolean; close?: boolean } = {},
  ): void {
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
    const extra = this.method === 'GET' && status === 200 ? this.faults.listingEntries(this.rawPath) : undefined;
    let body: string | Buffer = extra ? withListingEntries(value, extra) : JSON.stringify(value);
    if (this.faults.malformedJson(this.rawPath)) body = body.slice(0, Math.floor(body.length / 2));
    const chunked = opts.chunked ?? this.personality === 'buddy';
    this.send(status, body, { 'Content-Type': 'application/json', ...headers }, { ...opts, chunked });
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

/**
 * The listing with the fault's entries added: to `children` (v1 folders), else to the first storage
 * folder of a legacy `files` tree, else to `files` itself. Raw entries are spliced in as bytes.
 */
function withListingEntries(value: unknown, fault: ListingFault): Buffer {
  const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  const marks = (fault.raw ?? []).map((_, i) => `@@raw-entry-${i}@@`);
  const added: unknown[] = [...(fault.entries ?? []), ...marks];
  const files = copy['files'];
  const wrapper = Array.isArray(files)
    ? files.find((f) => typeof f === 'object' && f !== null && Array.isArray((f as Record<string, unknown>)['children']))
    : undefined;
  if (Array.isArray(copy['children'])) (copy['children'] as unknown[]).push(...added);
  else if (wrapper && 'origin' in (wrapper as object)) ((wrapper as Record<string, unknown>)['children'] as unknown[]).push(...added);
  else if (Array.isArray(files)) files.push(...added);
  else copy['children'] = added;
  let text = JSON.stringify(copy);
  const parts: Buffer[] = [];
  for (const [i, mark] of marks.entries()) {
    const at = text.indexOf(`"${mark}"`);
    parts.push(Buffer.from(text.slice(0, at), 'utf8'), Buffer.from(fault.raw![i]!, 'base64'));
    text = text.slice(at + mark.length + 2);
  }
  parts.push(Buffer.from(text, 'utf8'));
  return Buffer.concat(parts);
}
