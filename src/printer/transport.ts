// One HTTP exchange with a printer over node:http/https: timeouts, abort, a streamed upload body,
// and early answers (a printer may refuse a PUT before reading its body and close the socket).

import type { Agent as HttpAgent, ClientRequest, IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import type { BodyReader, UploadBody } from './api.js';

export interface Exchange {
  method: string;
  /** Raw request target, already percent-encoded. */
  target: string;
  headers: Record<string, string>;
  body?: UploadBody;
  onBytes?: (sent: number) => void;
  signal?: AbortSignal;
  /** Give up on the whole exchange after this long (uploads: derived from the size). */
  deadlineMs?: number;
  /** Streams a 2xx answer's body instead of buffering it (downloads); the exchange resolves with an
   * empty body once this resolves. Called afresh for every attempt. */
  receive?: (res: IncomingMessage) => Promise<void>;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface TransportSettings {
  origin: URL;
  agent: HttpAgent;
  connectTimeoutMs: number;
  /** Longest silence on the socket (no bytes either way) before giving up. */
  responseTimeoutMs: number;
  /** While an upload body is being sent: longest time without the printer taking any of it. */
  stallTimeoutMs: number;
  maxResponseBytes: number;
}

/** Why an exchange got no usable response. */
export class TransportFailure extends Error {
  constructor(
    message: string,
    readonly code: string,
    /** The socket was connected, so the request (or part of it) may have reached the printer. */
    readonly connected: boolean,
    /** The socket came from the keep-alive pool (a stale pooled socket fails like this). */
    readonly reusedSocket: boolean,
    readonly bodyBytesSent: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransportFailure';
  }
}

/** The upload source produced more or fewer bytes than announced. */
export class BodyLengthMismatch extends Error {
  constructor(readonly expected: number, readonly actual: number) {
    super(`the file changed while it was being sent (${actual} bytes instead of ${expected})`);
    this.name = 'BodyLengthMismatch';
  }
}

/** A streamed answer could not be stored (a local problem, not the printer's): never retried. */
export class ReceiveFailure extends Error {
  constructor(cause: unknown) {
    super(`the download could not be written: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ReceiveFailure';
  }
}

/** The upload source could not be read (a local problem, not the printer's). */
export class BodyReadFailure extends Error {
  constructor(cause: unknown) {
    super(`the file could not be read: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'BodyReadFailure';
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function codeOf(err: unknown): string {
  if (err !== null && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return 'EUNKNOWN';
}

export function exchange(settings: TransportSettings, ex: Exchange): Promise<RawResponse> {
  const { origin } = settings;
  const send = origin.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    let connected = false;
    let sent = 0;
    let requestDone = false;
    let response: IncomingMessage | undefined;
    let source: Readable | undefined;
    let connectTimer: NodeJS.Timeout | undefined;
    let deadlineTimer: NodeJS.Timeout | undefined;
    const chunks: Buffer[] = [];
    let received = 0;

    let readerClose: (() => void) | undefined;
    /** Per pump buffer, the waiter for the socket to let go of it. */
    const releasers: Array<(() => void) | undefined> = [];
    const cleanup = (): void => {
      readerClose?.();
      for (const release of releasers.splice(0)) release?.();
      if (connectTimer) clearTimeout(connectTimer);
      if (deadlineTimer) clearTimeout(deadlineTimer);
      ex.signal?.removeEventListener('abort', onAbort);
      source?.destroy();
    };
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      cleanup();
      req.destroy();
      if (err instanceof BodyLengthMismatch || err instanceof BodyReadFailure || err instanceof TransportFailure || err instanceof ReceiveFailure) {
        reject(err);
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      reject(new TransportFailure(message, codeOf(err), connected, req.reusedSocket, sent, { cause: err }));
    };
    const finish = (): void => {
      if (settled || !response) return;
      settled = true;
      cleanup();
      // A request whose body was cut short by an early answer cannot share its socket again.
      if (!requestDone) req.destroy();
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
    };
    function onAbort(): void {
      fail(new TransportFailure('aborted', 'ABORT_ERR', connected, req.reusedSocket, sent));
    }

    const hostname = origin.hostname.replace(/^\[(.*)\]$/, '$1');
    const req: ClientRequest = send({
      protocol: origin.protocol,
      hostname,
      port: origin.port === '' ? undefined : Number(origin.port),
      method: ex.method,
      path: ex.target,
      headers: ex.headers,
      agent: settings.agent,
    });

    if (ex.signal?.aborted) {
      onAbort();
      return;
    }
    ex.signal?.addEventListener('abort', onAbort, { once: true });

    req.on('socket', (socket) => {
      if (!socket.connecting) {
        connected = true;
        return;
      }
      connectTimer = setTimeout(() => {
        fail(new TransportFailure('connect timeout', 'ETIMEDOUT', false, false, sent));
      }, settings.connectTimeoutMs);
      socket.once('connect', () => {
        connected = true;
        if (connectTimer) clearTimeout(connectTimer);
      });
    });
    // While the body goes out, silence means the printer stopped taking it (a stall); afterwards,
    // that it is slow to answer. Both are socket inactivity, with their own limits.
    const sendingBody = (): boolean => ex.body !== undefined && !requestDone && !response;
    req.setTimeout(ex.body ? settings.stallTimeoutMs : settings.responseTimeoutMs);
    req.on('timeout', () => {
      const message = sendingBody()
        ? `no upload progress for ${seconds(settings.stallTimeoutMs)}`
        : `no answer within ${seconds(settings.responseTimeoutMs)}`;
      fail(new TransportFailure(message, 'ETIMEDOUT', connected, req.reusedSocket, sent));
    });
    if (ex.deadlineMs !== undefined) {
      const limit = ex.deadlineMs;
      deadlineTimer = setTimeout(() => {
        fail(new TransportFailure(`not finished within ${seconds(limit)}`, 'ETIMEDOUT', connected, req.reusedSocket, sent));
      }, limit);
    }
    req.on('error', (err) => {
      // Writing the body may fail after the printer already answered and closed: keep the answer.
      if (response) return;
      fail(err);
    });
    req.on('finish', () => {
      requestDone = true;
      if (ex.body && !settled) req.setTimeout(settings.responseTimeoutMs);
    });
    req.on('response', (res) => {
      response = res;
      // The printer has decided; sending the rest of the body would only hit a closing socket.
      if (!requestDone) source?.destroy();
      const status = res.statusCode ?? 0;
      if (ex.receive && status >= 200 && status < 300) {
        ex.receive(res).then(() => {
          if (settled) return;
          settled = true;
          cleanup();
          resolve({ status, headers: res.headers, body: Buffer.alloc(0) });
        }, fail);
        return;
      }
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > settings.maxResponseBytes) {
          fail(new TransportFailure('response too large', 'ERESPONSETOOLARGE', connected, req.reusedSocket, sent));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', () => finish());
    });

    if (!ex.body) {
      req.end();
      return;
    }
    const body = ex.body;
    if (body.openReader) {
      pumpReader(body.openReader.bind(body));
      return;
    }
    let stream: Readable;
    try {
      stream = body.open();
    } catch (err) {
      fail(new BodyReadFailure(err));
      return;
    }
    source = stream;
    stream.on('data', (chunk: Buffer | string) => {
      if (settled || response) return;
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      sent += buf.length;
      if (sent > body.size) return fail(new BodyLengthMismatch(body.size, sent));
      ex.onBytes?.(sent);
      if (!req.write(buf)) {
        stream.pause();
        req.once('drain', () => stream.resume());
      }
    });
    stream.on('end', () => {
      if (settled || response) return;
      if (sent !== body.size) return fail(new BodyLengthMismatch(body.size, sent));
      req.end();
    });
    stream.on('error', (err) => {
      if (settled || response) return;
      fail(new BodyReadFailure(err));
    });

    /** Two buffers taken in turn: one is read into while the socket still holds the other. */
    function pumpReader(openReader: () => BodyReader): void {
      let reader: BodyReader;
      try {
        reader = openReader();
      } catch (err) {
        fail(new BodyReadFailure(err));
        return;
      }
      readerClose = () => reader.close();
      const buffers = [Buffer.allocUnsafe(PUMP_CHUNK), Buffer.allocUnsafe(PUMP_CHUNK)];
      const flushed: Array<Promise<void>> = [Promise.resolve(), Promise.resolve()];
      const stop = (): boolean => settled || response !== undefined;
      void (async () => {
        for (let i = 0; !stop(); i ^= 1) {
          await flushed[i];
          if (stop()) return;
          let n: number;
          try {
            n = await reader.read(buffers[i]!);
          } catch (err) {
            if (!stop()) fail(new BodyReadFailure(err));
            return;
          }
          if (stop()) return;
          if (n === 0) {
            if (sent !== body.size) return fail(new BodyLengthMismatch(body.size, sent));
            req.end();
            return;
          }
          sent += n;
          if (sent > body.size) return fail(new BodyLengthMismatch(body.size, sent));
          ex.onBytes?.(sent);
          // The socket may keep the buffer until this callback; settling releases every waiter too.
          const slot = i;
          flushed[slot] = new Promise<void>((release) => {
            releasers[slot] = release;
            req.write(buffers[slot]!.subarray(0, n), () => release());
          });
        }
      })();
    }
  });
}

const PUMP_CHUNK = 64 * 1024;
