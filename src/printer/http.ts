// The request layer for one printer: one request at a time over a keep-alive socket, a constant
// User-Agent, and auth that costs one 401 per run (the Digest nonce is reused until it goes stale).

import { Agent as HttpAgent } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { PrinterError, SourceError } from '../errors.js';
import { httpsModule } from '../lazy-builtin.js';
import type { PrinterAuth } from '../config/types.js';
import type { UploadBody } from './api.js';
import { DigestSigner, findDigestChallenge, parseWwwAuthenticate } from './digest.js';
import { errorText, hintFor, socketError, statusError } from './http-errors.js';
import { processConnectionSlots, type ConnectionSlots } from './connection-slots.js';
import {
  AnswerCutOff,
  BodyLengthMismatch,
  BodyReadFailure,
  DownloadTooLarge,
  ReceiveFailure,
  TransportFailure,
  exchange,
  type TransportSettings,
} from './transport.js';
import { UploadWatch, type TransferPoll } from './upload-watch.js';
import type { ConnectionOptions } from './connection.js';
import { NO_RETRIES, parseRetryAfter, retriesFor, retryDelayMs, retryReason, sleep, type AttemptFailure } from './retry.js';

/** The client of one printer: the connection options every layer shares, and what only the client needs. */
export interface HttpClientOptions extends ConnectionOptions {
  /** The printer's name in the config, for errors. */
  printer: string;
  /** "http://host:port" or "https://host:port". */
  baseUrl: string;
  auth: PrinterAuth;
  /** Must not change during a run: Pi binds nonces to it. */
  userAgent: string;
  /** Open connections shared with other printers (default: the process-wide bound). */
  slots?: ConnectionSlots;
  /** For the backoff jitter; tests pin it. */
  random?: () => number;
  /** Check a nonce older than this with a cheap GET before an upload (Pi's nonces live ≥ 60 s). */
  nonceMaxAgeMs?: number;
  now?: () => number;
}

export interface RequestSpec {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  /** Raw request target, percent-encoded: exactly what goes on the request line and into the digest. */
  target: string;
  /** What this request does, for errors: "upload of parts/a.gcode". */
  what: string;
  headers?: Record<string, string>;
  body?: UploadBody;
  onBytes?: (sent: number) => void;
  /** An upload's liveness: the printer's own transfer count, when it can report one. */
  transferPoll?: TransferPoll;
  /** Told each time the printer reports more of the upload taken. */
  onTaken?: (bytes: number) => void;
  signal?: AbortSignal;
  /** Streams a 2xx answer's body (downloads) instead of buffering it; called afresh for every attempt. */
  receive?: (res: IncomingMessage) => Promise<void>;
  /** The bytes a download is expected to bring: sizes its time limit. */
  receiveBytes?: number;
}

export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Attempts made, retries included. */
  attempts: number;
  /** An earlier attempt lost its connection after it was sent: the printer may have acted on it. */
  earlierAttemptMayHaveArrived: boolean;
}

/** One retry about to happen, for the run's output. */
export interface ExchangeNotice {
  printer: string;
  method: string;
  /** The raw request target, e.g. /api/v1/files/usb/PARTS. */
  target: string;
  /** The status, or the socket error code when there was no answer. */
  status: number | string;
  durationMs: number;
}

export interface RetryNotice {
  printer: string;
  what: string;
  /** 1 for the first retry. */
  retry: number;
  retries: number;
  delayMs: number;
  reason: string;
}

const VERSION_TARGET = '/api/version';

export class PrinterHttp {
  readonly printer: string;
  private readonly settings: TransportSettings;
  private readonly agent: HttpAgent;
  /** A second socket for reading upload progress while the upload holds the first one (made on first use). */
  private pollSettings: TransportSettings | undefined;
  private readonly makeAgent: () => HttpAgent;
  private readonly now: () => number;
  private readonly nonceMaxAgeMs: number;
  private signer: DigestSigner | undefined;
  private nonceSince = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly slots: ConnectionSlots;
  private holdsSlot = false;
  private queued = 0;

  constructor(private readonly options: HttpClientOptions) {
    this.printer = options.printer;
    const origin = new URL(options.baseUrl);
    // One socket per printer: the printers have few connection slots and one transfer at a time.
    const agentOptions = { keepAlive: true, maxSockets: 1, maxFreeSockets: 1 };
    this.makeAgent = (): HttpAgent =>
      origin.protocol === 'https:'
        ? new (httpsModule().Agent)({ ...agentOptions, rejectUnauthorized: !options.allowSelfSigned })
        : new HttpAgent(agentOptions);
    this.agent = this.makeAgent();
    this.settings = {
      origin,
      hostname: origin.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: origin.port === '' ? undefined : Number(origin.port),
      agent: this.agent,
      connectTimeoutMs: options.timeouts?.connectMs ?? 10_000,
      responseTimeoutMs: options.timeouts?.responseMs ?? 30_000,
      maxResponseBytes: 8 * 1024 * 1024,
    };
    this.slots = options.slots ?? processConnectionSlots();
    this.now = options.now ?? Date.now;
    this.nonceMaxAgeMs = options.nonceMaxAgeMs ?? 45_000;
  }

  /**
   * Sends one request, queued behind any other request to this printer, retried as the policy
   * allows. Resolves with any status except auth failures, which throw PrinterError kind 'auth';
   * socket failures throw too. A status still worth retrying when the retries run out resolves.
   */
  request(spec: RequestSpec): Promise<HttpResult> {
    const run = async (): Promise<HttpResult> => {
      const link = linkSignals(spec.signal, this.options.signal);
      try {
        if (!this.holdsSlot) {
          await this.slots.acquire(this.printer, link.signal);
          this.holdsSlot = true;
        }
        return await this.withRetries({ ...spec, ...(link.signal ? { signal: link.signal } : {}) });
      } finally {
        link.dispose();
        this.queued--;
        this.yieldSlot();
      }
    };
    this.queued++;
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  close(): void {
    this.agent.destroy();
    this.pollSettings?.agent.destroy();
    if (this.holdsSlot) {
      this.holdsSlot = false;
      this.slots.release();
    }
  }

  /** Between requests, an idle connection is closed for a printer waiting for one (only then: keep-alive saves a handshake). */
  private yieldSlot(): void {
    if (!this.holdsSlot || this.queued > 0 || !this.slots.contended) return;
    this.agent.destroy();
    this.holdsSlot = false;
    this.slots.release();
  }

  /**
   * One GET on the second socket, outside the queue and without retries: reading an upload's
   * progress while the upload holds the first socket. The caller keeps at most one in flight.
   */
  async peek(target: string, what: string): Promise<HttpResult> {
    const headers: Record<string, string> = { 'User-Agent': this.options.userAgent, Accept: 'application/json' };
    const auth = this.options.auth;
    if (auth.kind === 'api-key') headers['X-Api-Key'] = auth.apiKey;
    else if (this.signer) headers['Authorization'] = this.signer.authorize('GET', target);
    this.pollSettings ??= { ...this.settings, agent: this.makeAgent() };
    const started = Date.now();
    try {
      const raw = await exchange(this.pollSettings, {
        method: 'GET',
        target,
        headers,
        deadlineMs: Math.min(this.requestDeadlineMs(), POLL_DEADLINE_MS),
        ...(this.options.signal ? { signal: this.options.signal } : {}),
      });
      this.options.onExchange?.({ printer: this.printer, method: 'GET', target, status: raw.status, durationMs: Date.now() - started });
      return { ...raw, attempts: 1, earlierAttemptMayHaveArrived: false };
    } catch (err) {
      this.options.onExchange?.({
        printer: this.printer,
        method: 'GET',
        target,
        status: err instanceof TransportFailure ? err.code : 'error',
        durationMs: Date.now() - started,
      });
      throw socketError(this.printer, what, this.settings.origin.origin, err);
    }
  }

  /** Requests without a body: the whole answer within this. */
  private requestDeadlineMs(): number {
    return 2 * this.settings.responseTimeoutMs;
  }

  private async withRetries(spec: RequestSpec): Promise<HttpResult> {
    const policy = this.options.retry ?? NO_RETRIES;
    const traits = { method: spec.method, hasBody: spec.body !== undefined };
    let mayHaveArrived = false;
    for (let attempt = 1; ; attempt++) {
      let failure: AttemptFailure;
      let retryAfterMs: number | undefined;
      let error: unknown;
      let res: HttpResult | undefined;
      try {
        res = await this.attempt(spec);
        res.attempts = attempt;
        res.earlierAttemptMayHaveArrived = mayHaveArrived;
        if (res.status < 400) return res;
        failure = { kind: 'status', status: res.status, text: errorText(res.body, headerText(res.headers['content-type'])) };
        retryAfterMs = parseRetryAfter(headerText(res.headers['retry-after']), this.now());
      } catch (err) {
        const network = networkFailure(err);
        if (!network) throw err;
        failure = network;
        error = err;
      }
      const reason = retryReason(failure, traits);
      const retries = retriesFor(failure, traits, policy);
      const delay = reason === undefined ? undefined : retryDelayMs(attempt, { ...policy, retries }, retryAfterMs, this.options.random);
      if (reason === undefined || delay === undefined) {
        if (res) return res;
        throw attempt > 1 ? withAttempts(error, attempt) : error;
      }
      if (failure.kind === 'network' && failure.connected) mayHaveArrived = true;
      this.options.onRetry?.({ printer: this.printer, what: spec.what, retry: attempt, retries, delayMs: delay, reason });
      try {
        await sleep(delay, spec.signal);
      } catch {
        throw new PrinterError(this.printer, 'aborted', `printer ${this.printer}: ${spec.what} interrupted`, { hint: hintFor('aborted') });
      }
    }
  }

  private async attempt(spec: RequestSpec): Promise<HttpResult> {
    if (spec.body && this.options.auth.kind === 'digest' && this.nonceNeedsCheck()) {
      // A 401 to a PUT comes before the body is read and kills the socket, so make sure the
      // upload goes out with a nonce the printer accepts.
      await this.authorised({
        method: 'GET',
        target: VERSION_TARGET,
        what: 'authentication',
        ...(spec.signal ? { signal: spec.signal } : {}),
      });
    }
    return this.authorised(spec);
  }

  /** Slow links get time in proportion to the size; a stalled one is caught by the upload watch. */
  private uploadDeadlineMs(size: number): number {
    return uploadDeadlineMs(size, this.options.timeouts?.uploadMinBytesPerSec, this.options.timeouts?.uploadGraceMs);
  }

  /** Watches an upload's progress and links its stall abort with the caller's signal. */
  private watchUpload(spec: RequestSpec, body: UploadBody): { watch: UploadWatch; signal: AbortSignal; dispose: () => void } {
    const watch = new UploadWatch({
      size: body.size,
      stallMs: this.options.timeouts?.stallMs ?? 30_000,
      minBytesPerSec: this.options.timeouts?.uploadMinBytesPerSec ?? DEFAULT_MIN_UPLOAD_RATE,
      ...(spec.transferPoll ? { poll: spec.transferPoll } : {}),
      ...(spec.onTaken ? { onTaken: spec.onTaken } : {}),
    });
    const link = linkSignals(spec.signal, watch.signal);
    return {
      watch,
      signal: link.signal!,
      dispose: () => {
        watch.stop();
        link.dispose();
      },
    };
  }

  private nonceNeedsCheck(): boolean {
    return this.signer === undefined || this.now() - this.nonceSince > this.nonceMaxAgeMs;
  }

  private async authorised(spec: RequestSpec): Promise<HttpResult> {
    const auth = this.options.auth;
    let renewed = false;
    for (;;) {
      const headers: Record<string, string> = {
        'User-Agent': this.options.userAgent,
        Accept: 'application/json',
        ...spec.headers,
      };
      const signedWith = this.signer?.challenge.nonce;
      if (auth.kind === 'api-key') headers['X-Api-Key'] = auth.apiKey;
      else if (this.signer) headers['Authorization'] = this.signer.authorize(spec.method, spec.target);

      const res = await this.once(spec, headers);
      if (res.status !== 401 && res.status !== 403) return res;
      if (res.status === 403 || auth.kind === 'api-key') throw this.authError(spec, res);

      const header = res.headers['www-authenticate'];
      const challenge = findDigestChallenge(parseWwwAuthenticate(Array.isArray(header) ? header.join(', ') : (header ?? '')));
      if (!challenge) throw this.authError(spec, res, 'the printer did not offer Digest auth; configure its API key instead');
      const fresh = signedWith === undefined || challenge.stale || challenge.nonce !== signedWith;
      if (renewed || !fresh) throw this.authError(spec, res, this.buddyUserHint(challenge.realm, auth.username));
      this.signer = new DigestSigner(challenge, auth.username, auth.password);
      this.nonceSince = this.now();
      renewed = true;
    }
  }

  /** One exchange, retried once when a pooled keep-alive socket turned out to be closed. */
  private async once(spec: RequestSpec, headers: Record<string, string>): Promise<HttpResult> {
    const idempotent = spec.method === 'GET' || spec.method === 'HEAD';
    for (let attempt = 0; ; attempt++) {
      const started = Date.now();
      const notify = (status: number | string) =>
        this.options.onExchange?.({
          printer: this.printer,
          method: spec.method,
          target: spec.target,
          status,
          durationMs: Date.now() - started,
        });
      const watched = spec.body ? this.watchUpload(spec, spec.body) : undefined;
      const signal = watched ? watched.signal : spec.signal;
      const onBytes = watched
        ? (sent: number) => {
            watched.watch.sentBytes(sent);
            spec.onBytes?.(sent);
          }
        : spec.onBytes;
      try {
        if (spec.body) headers['Content-Length'] = String(spec.body.size);
        const raw = await exchange(this.settings, {
          method: spec.method,
          target: spec.target,
          headers,
          // A download may take long at printer speed: its limit grows with its size, as an upload's does.
          deadlineMs: spec.body
            ? this.uploadDeadlineMs(spec.body.size)
            : spec.receive
              ? this.uploadDeadlineMs(spec.receiveBytes ?? 0)
              : this.requestDeadlineMs(),
          ...(spec.body ? { body: spec.body } : {}),
          ...(onBytes ? { onBytes } : {}),
          ...(signal ? { signal } : {}),
          ...(spec.receive ? { receive: spec.receive } : {}),
        });
        notify(raw.status);
        return { ...raw, attempts: 1, earlierAttemptMayHaveArrived: false };
      } catch (err) {
        notify(err instanceof TransportFailure ? err.code : 'error');
        // A socket that brought (part of) an answer was not stale: a cut-off answer is retried by the policy only.
        const staleSocket =
          err instanceof TransportFailure &&
          !(err instanceof AnswerCutOff) &&
          err.reusedSocket &&
          (err.code === 'ECONNRESET' || err.code === 'EPIPE');
        if (idempotent && staleSocket && attempt === 0) continue;
        throw this.failure(spec, err, watched?.watch.printerTook);
      } finally {
        watched?.dispose();
      }
    }
  }

  /** `printerTook`: of an upload, the bytes the printer last said it had taken. */
  private failure(spec: RequestSpec, err: unknown, printerTook?: number): Error {
    const name = this.printer;
    // The local disk failed a download: the printer is fine, and trying again will not help.
    if (err instanceof ReceiveFailure) return err.cause instanceof Error ? err.cause : err;
    if (err instanceof DownloadTooLarge) {
      // Not retried: the printer would send the same again.
      return new PrinterError(name, 'protocol', `printer ${name}: ${spec.what}: ${err.message}; stopped, nothing was kept`, {
        hint: 'the file may have changed on the printer: run again; if this repeats, restart the printer',
        cause: err,
      });
    }
    if (err instanceof BodyLengthMismatch || err instanceof BodyReadFailure) {
      return new SourceError(`printer ${name}: ${spec.what}: ${err.message}`, {
        hint: 'leave the source folder alone while a sync runs, then run it again',
        cause: err,
      });
    }
    if (err instanceof TransportFailure && err.code === 'ABORT_ERR') {
      return new PrinterError(name, 'aborted', `printer ${name}: ${spec.what} interrupted`, { hint: hintFor('aborted') });
    }
    if (spec.receive && err instanceof TransportFailure && err.connected) {
      // The printer answered and then the body stopped: it is there, the transfer broke.
      return new PrinterError(name, 'protocol', `printer ${name}: connection lost during ${spec.what}: ${err.message}`, {
        hint: 'nothing was kept of it; run again (a flaky link or a printer that restarted)',
        cause: err,
      });
    }
    if (spec.body && err instanceof TransportFailure && err.connected) {
      // Bytes sent are bytes handed to the kernel, which runs megabytes ahead of a slow printer.
      const confirmed =
        printerTook !== undefined && printerTook < err.bodyBytesSent ? `, of which the printer had confirmed ${printerTook}` : '';
      const lost = `during ${spec.what} after ${err.bodyBytesSent} of ${spec.body.size} bytes were sent${confirmed}`;
      const timedOut = err.code === 'ETIMEDOUT' || err.code === 'EDEADLINE';
      return new PrinterError(
        name,
        'unknown-outcome',
        timedOut ? `printer ${name}: ${err.message} ${lost}` : `printer ${name}: connection lost ${lost} (${err.code})`,
        { hint: hintFor('unknown-outcome'), cause: err },
      );
    }
    if (err instanceof AnswerCutOff) {
      // Retried like any lost connection (a request without a body may be sent again).
      return new PrinterError(name, 'unreachable', `printer ${name}: connection lost during ${spec.what}: ${err.message}`, {
        hint: 'the printer stopped in the middle of its answer (a flaky link, or a printer that restarted); run again',
        cause: err,
      });
    }
    if (err instanceof TransportFailure && err.code === 'EDEADLINE') {
      return new PrinterError(name, 'unreachable', `printer ${name}: ${spec.what}: ${err.message}`, {
        hint: 'the printer answers too slowly or never finishes its answer; check it (restart it if it hangs), then run again',
        cause: err,
      });
    }
    return socketError(name, spec.what, this.settings.origin.origin, err);
  }

  private authError(spec: RequestSpec, res: HttpResult, hint?: string): PrinterError {
    const text = errorText(res.body, headerText(res.headers['content-type']));
    const err = statusError(this.printer, spec.what, res.status, text);
    if (!hint) return err;
    return new PrinterError(this.printer, 'auth', err.message, { hint, status: res.status });
  }

  private buddyUserHint(realm: string, username: string): string | undefined {
    // Buddy firmware hashes the fixed user "maker" whatever name the client sends.
    if (realm === 'Printer API' && username !== 'maker') {
      return 'Prusa printers with built-in PrusaLink use the user "maker" and the password shown in the printer\'s network settings';
    }
    return undefined;
  }
}

const DEFAULT_MIN_UPLOAD_RATE = 10_000;
const DEFAULT_UPLOAD_GRACE_MS = 60_000;
/** A progress poll that takes longer than this tells nothing useful. */
const POLL_DEADLINE_MS = 10_000;

/** An upload's whole-time limit: its size at the slowest plausible rate, plus a grace period. */
export function uploadDeadlineMs(size: number, minBytesPerSec = DEFAULT_MIN_UPLOAD_RATE, graceMs = DEFAULT_UPLOAD_GRACE_MS): number {
  return Math.ceil((size / minBytesPerSec) * 1000) + graceMs;
}

export function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The socket-level facts of a failed attempt, or undefined when it is not a network failure. */
function networkFailure(err: unknown): AttemptFailure | undefined {
  if (!(err instanceof PrinterError) || !(err.cause instanceof TransportFailure)) return undefined;
  if (err.kind !== 'unreachable' && err.kind !== 'protocol') return undefined;
  return { kind: 'network', code: err.cause.code, connected: err.cause.connected };
}

/** The same error, saying how many attempts it took to give up. */
function withAttempts(error: unknown, attempts: number): unknown {
  if (!(error instanceof PrinterError)) return error;
  return new PrinterError(error.printer, error.kind, `${error.message}, after ${attempts} attempts`, {
    ...(error.hint !== undefined ? { hint: error.hint } : {}),
    ...(error.status !== undefined ? { status: error.status } : {}),
    cause: error.cause,
  });
}

/** One signal that fires when either does; `dispose` drops the listeners (the run signal is long-lived). */
export function linkSignals(
  a: AbortSignal | undefined,
  b: AbortSignal | undefined,
): { signal: AbortSignal | undefined; dispose: () => void } {
  if (!a || !b || a === b) return { signal: a ?? b, dispose: () => undefined };
  const controller = new AbortController();
  // The reason travels along: it says whether this was Ctrl-C, a stall or a deadline.
  const abort = function (this: AbortSignal): void {
    controller.abort(this.reason);
  };
  if (a.aborted) controller.abort(a.reason);
  else if (b.aborted) controller.abort(b.reason);
  a.addEventListener('abort', abort, { once: true });
  b.addEventListener('abort', abort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      a.removeEventListener('abort', abort);
      b.removeEventListener('abort', abort);
    },
  };
}
