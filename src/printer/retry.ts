// The retry policy, pure: which failures are worth another attempt, and how long to wait before it
// (exponential backoff with full jitter, or the printer's Retry-After). No I/O except `sleep`.

import { timerDelay } from '../timers.js';

export interface RetryPolicy {
  /** Further attempts after the first one; 0 disables retrying. */
  retries: number;
  /** The first backoff ceiling; each retry doubles it. */
  baseDelayMs: number;
  /** Backoff never waits longer than this. */
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the request fails instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

/** No retries at all: what a bare PrinterHttp does unless told otherwise. */
export const NO_RETRIES: RetryPolicy = { ...DEFAULT_RETRY_POLICY, retries: 0 };

/** How one attempt failed, as far as retrying cares. */
export type AttemptFailure =
  /** The printer answered with this status; `text` is its error message. */
  | { kind: 'status'; status: number; text: string }
  /** No answer. `connected`: the socket was open, so the request may have reached the printer. */
  | { kind: 'network'; code: string; connected: boolean };

export interface RequestTraits {
  method: string;
  /** The request carries a body (an upload). */
  hasBody: boolean;
}

/** Codes that say the name or the certificate is wrong: waiting does not fix them. */
const PERMANENT_NETWORK =
  /^(ENOTFOUND|ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT|UNABLE_TO_VERIFY|ERR_INVALID|ABORT_ERR|EDEADLINE|HPE_|ERESPONSETOOLARGE)/;

/** Statuses that say the request itself is wrong, or the credentials: never retried. */
const NEVER_STATUSES = new Set([400, 401, 403, 404, 405, 411, 413, 414, 415, 422, 431, 501, 505, 507]);

/**
 * Why this failure may be tried again, or undefined when it must not be. An upload is retried only
 * when the printer certainly did not keep it: it refused it with a status, or the connection never
 * opened. A connection that broke once open leaves an upload's outcome unknown; the caller looks.
 */
export function retryReason(failure: AttemptFailure, request: RequestTraits): string | undefined {
  if (failure.kind === 'status') {
    const { status, text } = failure;
    if (NEVER_STATUSES.has(status)) return undefined;
    if (status === 409) return /another transfer/i.test(text) ? 'another transfer is in progress' : undefined;
    if (status === 408) return 'the printer timed the request out (408)';
    if (status === 429) return 'the printer asked to slow down (429)';
    if (status >= 500 && status <= 599) return `the printer answered ${status}`;
    return undefined;
  }
  if (PERMANENT_NETWORK.test(failure.code)) return undefined;
  if (!failure.connected) return `no connection (${failure.code})`;
  // Idempotent requests may be sent twice; an upload that may have arrived may not.
  if (request.hasBody || request.method === 'PUT' || request.method === 'POST') return undefined;
  return `connection lost (${failure.code})`;
}

/**
 * How many retries this failure may have: the policy's, except a 500 to an upload, which gets one at
 * most (the PrusaLink notes: retry once, then report). A Pi answers a PUT onto a full disk with 500
 * only after the whole body went out, so each retry sends the whole file again.
 */
export function retriesFor(failure: AttemptFailure, request: RequestTraits, policy: RetryPolicy): number {
  if (failure.kind === 'status' && failure.status === 500 && request.hasBody) return Math.min(policy.retries, 1);
  return policy.retries;
}

/** Full jitter: a random wait between 0 and min(maxDelay, base × 2^(retry − 1)). `retry` counts from 1. */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(Math.max(0, Math.min(1, random())) * ceiling);
}

/**
 * Retry-After in milliseconds from now: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
 * Undefined when absent or unreadable; a date in the past gives 0.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * The wait before retry number `retry` (from 1), or undefined to give up: the retries are used up,
 * or the printer asked for a longer pause than the policy accepts.
 */
export function retryDelayMs(
  retry: number,
  policy: RetryPolicy,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number | undefined {
  if (retry > policy.retries) return undefined;
  if (retryAfterMs !== undefined) return retryAfterMs > policy.maxRetryAfterMs ? undefined : retryAfterMs;
  return backoffDelayMs(retry, policy, random);
}

/** Waits `ms`, or rejects with an AbortError as soon as `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, timerDelay(ms));
    function onAbort(): void {
      clearTimeout(timer);
      reject(abortError());
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortError(): Error {
  const err = new Error('aborted');
  err.name = 'AbortError';
  return err;
}
