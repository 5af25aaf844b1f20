// One HTTP exchange with a printer over node:http/https: a total deadline, abort by TCP reset, a
// streamed upload body, and early answers (a printer may refuse a PUT before reading its body and
// close the socket). Whether an upload still moves is judged by its caller (upload-watch.ts).

import type { Agent as HttpAgent, ClientRequest, IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { BodyReader, UploadBody } from './api.js';
import { httpsModule } from '../lazy-builtin.js';
import { timerDelay } from '../timers.js';

export interface Exchange {
  method: string;
  /** Raw request target, already percent-encoded. */
  target: string;
  headers: Record<string, string>;
  body?: UploadBody;
  /** Called as body bytes are handed to the socket (not bytes the printer took). */
  onBytes?: (sent: number) => void;
  /** Aborting resets the connection; a reason that is an ExchangeAbort names the failure. */
  signal?: AbortSignal;
  /** Give up on the whole exchange (connect, body, whole answer) after this long. */
  deadlineMs: number;
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
  /** The origin's host name without IPv6 brackets, and its port: worked out once per printer. */
  hostname: string;
  port: number | undefined;
  agent: HttpAgent;
  connectTimeoutMs: number;
  /** Requests without a body: longest silence on the socket before giving up. */
  responseTimeoutMs: number;
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

/** The connection ended before the whole answer arrived (short of its Content-Length, or a chunked
 * body without its last chunk): a lost connection, never a shorter answer. */
export class AnswerCutOff extends TransportFailure {
  constructor(received: number, expected: number | undefined, reusedSocket: boolean, bodyBytesSent: number) {
    const of = expected === undefined ? '' : ` of ${expected}`;
    super(`the answer broke off after ${received}${of} bytes`, 'ECONNRESET', true, reusedSocket, bodyBytesSent);
    this.name = 'AnswerCutOff';
  }
}

/** An abort reason that says why (a stalled upload, a printer's deadline), so the failure can too. */
export class ExchangeAbort extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ExchangeAbort';
  }
}

/** The upload source produced more or fewer bytes than announced. */
export class BodyLengthMismatch extends Error {
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
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

/** A download brought (or announced) more bytes than the listing gave: stopped before they fill the disk. */
export class DownloadTooLarge extends Error {
  constructor(
    readonly expected: number,
    /** Bytes received so far, or the Content-Length the answer announced. */
    readonly actual: number,
    readonly announced: boolean,
  ) {
    super(
      announced
        ? `the printer listed ${expected} bytes but its answer announces ${actual}`
        : `the printer listed ${expected} bytes but sent more (at least ${actual})`,
    );
    this.name = 'DownloadTooLarge';
  }
}

/** The upload source could not be read (a local problem, not the printer's). */
export class BodyReadFailure extends Error {
  constructor(cause: unknown) {
    super(`the file could not be read: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'BodyReadFailure';
  }
}

export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function codeOf(err: unknown): string {
  if (err !== null && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return 'EUNKNOWN';
}

const PUMP_CHUNK = 64 * 1024;

export function exchange(settings: TransportSettings, ex: Exchange): Promise<RawResponse> {
  // Aborted before it began (Ctrl-C between two requests): no request, no socket, nothing to undo.
  if (ex.signal?.aborted) {
    return Promise.reject(abortFailure(ex.signal, false, false, 0));
  }
  return new Promise<RawResponse>((resolve, reject) => new ExchangeRun(settings, ex, resolve, reject).start());
}

function abortFailure(signal: AbortSignal, connected: boolean, reused: boolean, sent: number): TransportFailure {
  const reason: unknown = signal.reason;
  if (reason instanceof ExchangeAbort) return new TransportFailure(reason.message, reason.code, connected, reused, sent);
  return new TransportFailure('aborted', 'ABORT_ERR', connected, reused, sent);
}

/**
 * Ends a connection so the printer drops what it has not taken yet. Closing (FIN) would let the
 * kernel deliver every buffered byte and the printer finish an upload we gave up on; a reset
 * (SO_LINGER 0) discards them. TLS sockets cannot be reset from Node and are closed instead.
 */
export function resetConnection(socket: Socket | null | undefined): void {
  if (!socket || socket.destroyed) return;
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

/** The state of one exchange; each step is a method, in the order they happen. */
class ExchangeRun {
  private settled = false;
  private connected = false;
  private sent = 0;
  private requestDone = false;
  private response: IncomingMessage | undefined;
  private source: Readable | undefined;
  private readerClose: (() => void) | undefined;
  /** Per pump buffer, the waiter for the socket to let go of it. */
  private readonly releasers: Array<(() => void) | undefined> = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly chunks: Buffer[] = [];
  private received = 0;
  private req!: ClientRequest;
  private readonly onAbort = (): void => this.fail(abortFailure(this.ex.signal!, this.connected, this.req.reusedSocket, this.sent));

  constructor(
    private readonly settings: TransportSettings,
    private readonly ex: Exchange,
    private readonly resolve: (res: RawResponse) => void,
    private readonly reject: (err: unknown) => void,
  ) {}

  start(): void {
    const { origin } = this.settings;
    const send = origin.protocol === 'https:' ? httpsModule().request : httpRequest;
    this.req = send({
      protocol: origin.protocol,
      hostname: this.settings.hostname,
      port: this.settings.port,
      method: this.ex.method,
      path: this.ex.target,
      headers: this.ex.headers,
      agent: this.settings.agent,
    });
    // Listeners first: every later step may destroy the request, which reports through 'error'.
    this.req.on('error', (err) => {
      // Writing the body may fail after the printer already answered and closed: keep the answer.
      if (!this.response) this.fail(err);
    });
    this.req.on('finish', () => (this.requestDone = true));
    this.req.on('response', (res) => this.readAnswer(res));
    this.ex.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.watchConnect();
    this.armDeadlines();
    this.sendBody();
  }

  /** Step 1: the TCP connect has its own short limit. */
  private watchConnect(): void {
    this.req.on('socket', (socket) => {
      if (!socket.connecting) {
        this.connected = true;
        return;
      }
      const timer = this.timer(this.settings.connectTimeoutMs, () =>
        this.fail(new TransportFailure('connect timeout', 'ETIMEDOUT', false, false, this.sent)),
      );
      socket.once('connect', () => {
        this.connected = true;
        clearTimeout(timer);
      });
    });
  }

  /** Step 2: a total deadline for everything; for requests without a body, a silence limit too. */
  private armDeadlines(): void {
    const limit = this.ex.deadlineMs;
    // EDEADLINE, not ETIMEDOUT: a printer that answers too slowly would do so again, so no retry.
    this.timer(limit, () =>
      this.fail(
        new TransportFailure(`not finished within ${seconds(limit)}`, 'EDEADLINE', this.connected, this.req.reusedSocket, this.sent),
      ),
    );
    // An upload's socket may rightly be silent for long (the printer drains buffered bytes): its
    // liveness is judged from the printer's own progress by the caller.
    if (this.ex.body) return;
    this.req.setTimeout(this.settings.responseTimeoutMs);
    this.req.on('timeout', () =>
      this.fail(
        new TransportFailure(
          `no answer within ${seconds(this.settings.responseTimeoutMs)}`,
          'ETIMEDOUT',
          this.connected,
          this.req.reusedSocket,
          this.sent,
        ),
      ),
    );
  }

  /** Step 3: the body, streamed (or read into two reused buffers). */
  private sendBody(): void {
    const body = this.ex.body;
    if (!body) {
      this.req.end();
      return;
    }
    if (body.openReader) {
      this.pumpReader(body, body.openReader.bind(body));
      return;
    }
    let stream: Readable;
    try {
      stream = body.open();
    } catch (err) {
      this.fail(new BodyReadFailure(err));
      return;
    }
    this.source = stream;
    stream.on('data', (chunk: Buffer | string) => {
      if (this.stopped()) return;
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (!this.count(buf.length, body.size)) return;
      if (!this.req.write(buf)) {
        stream.pause();
        this.req.once('drain', () => stream.resume());
      }
    });
    stream.on('end', () => {
      if (this.stopped()) return;
      if (this.sent !== body.size) return this.fail(new BodyLengthMismatch(body.size, this.sent));
      this.req.end();
    });
    stream.on('error', (err) => {
      if (!this.stopped()) this.fail(new BodyReadFailure(err));
    });
  }

  /** Two buffers taken in turn: one is read into while the socket still holds the other. */
  private pumpReader(body: UploadBody, openReader: () => BodyReader): void {
    let reader: BodyReader;
    try {
      reader = openReader();
    } catch (err) {
      this.fail(new BodyReadFailure(err));
      return;
    }
    this.readerClose = () => reader.close();
    // A small file needs no 64 KiB buffers: one byte over its size still shows a file that grew.
    const chunk = Math.min(PUMP_CHUNK, body.size + 1);
    const buffers = [Buffer.allocUnsafe(chunk), Buffer.allocUnsafe(chunk)];
    const flushed: Array<Promise<void>> = [Promise.resolve(), Promise.resolve()];
    void (async () => {
      for (let i = 0; !this.stopped(); i ^= 1) {
        await flushed[i];
        if (this.stopped()) return;
        let n: number;
        try {
          n = await reader.read(buffers[i]!);
        } catch (err) {
          if (!this.stopped()) this.fail(new BodyReadFailure(err));
          return;
        }
        if (this.stopped()) return;
        if (n === 0) {
          if (this.sent !== body.size) return this.fail(new BodyLengthMismatch(body.size, this.sent));
          this.req.end();
          return;
        }
        if (!this.count(n, body.size)) return;
        // The socket may keep the buffer until this callback; settling releases every waiter too.
        const slot = i;
        flushed[slot] = new Promise<void>((release) => {
          this.releasers[slot] = release;
          this.req.write(buffers[slot]!.subarray(0, n), () => release());
        });
      }
    })();
  }

  /** Counts body bytes handed to the socket; false (and failed) when the file grew. */
  private count(n: number, size: number): boolean {
    this.sent += n;
    if (this.sent > size) {
      this.fail(new BodyLengthMismatch(size, this.sent));
      return false;
    }
    this.ex.onBytes?.(this.sent);
    return true;
  }

  /** Step 4: the answer, bounded in size. */
  private readAnswer(res: IncomingMessage): void {
    this.response = res;
    // The printer has decided; sending the rest of the body would only hit a closing socket.
    if (!this.requestDone) this.source?.destroy();
    const status = res.statusCode ?? 0;
    if (this.ex.receive && status >= 200 && status < 300) {
      this.ex.receive(res).then(
        () => {
          if (this.settled) return;
          this.settled = true;
          this.cleanup();
          this.resolve({ status, headers: res.headers, body: Buffer.alloc(0) });
        },
        (err: unknown) => this.fail(err),
      );
      return;
    }
    res.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      if (this.received > this.settings.maxResponseBytes) {
        this.fail(new TransportFailure('response too large', 'ERESPONSETOOLARGE', this.connected, this.req.reusedSocket, this.sent));
        return;
      }
      this.chunks.push(chunk);
    });
    res.on('end', () => this.finish());
    res.on('close', () => this.finish());
    res.on('error', () => this.finish());
  }

  private stopped(): boolean {
    return this.settled || this.response !== undefined;
  }

  private timer(ms: number, fire: () => void): NodeJS.Timeout {
    const t = setTimeout(fire, timerDelay(ms));
    this.timers.push(t);
    return t;
  }

  private cleanup(): void {
    this.readerClose?.();
    for (const release of this.releasers.splice(0)) release?.();
    for (const t of this.timers) clearTimeout(t);
    this.ex.signal?.removeEventListener('abort', this.onAbort);
    this.source?.destroy();
  }

  private fail(err: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.cleanup();
    // An unfinished upload must be dropped by the printer, not completed from buffered bytes.
    if (this.ex.body) resetConnection(this.req.socket);
    this.req.destroy();
    if (
      err instanceof BodyLengthMismatch ||
      err instanceof BodyReadFailure ||
      err instanceof TransportFailure ||
      err instanceof ReceiveFailure ||
      err instanceof DownloadTooLarge
    ) {
      this.reject(err);
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    this.reject(new TransportFailure(message, codeOf(err), this.connected, this.req.reusedSocket, this.sent, { cause: err }));
  }

  private finish(): void {
    const response = this.response;
    if (this.settled || !response) return;
    // A cut-off listing may still be valid JSON: only a complete answer may be used.
    if (!response.complete) {
      const length = Number(response.headers['content-length']);
      const expected = Number.isSafeInteger(length) ? length : undefined;
      return this.fail(new AnswerCutOff(this.received, expected, this.req.reusedSocket, this.sent));
    }
    this.settled = true;
    this.cleanup();
    // A request whose body was cut short by an early answer cannot share its socket again.
    if (!this.requestDone) this.req.destroy();
    this.resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(this.chunks) });
  }
}
