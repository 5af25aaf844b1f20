// The pure retry policy: what is retried, how long each wait is, and how Retry-After is read.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_RETRY_POLICY,
  backoffDelayMs,
  parseRetryAfter,
  retriesFor,
  retryDelayMs,
  retryReason,
  sleep,
  type AttemptFailure,
  type RequestTraits,
} from '../../src/printer/retry.js';

const T = { timeout: 5_000 };
const GET: RequestTraits = { method: 'GET', hasBody: false };
const PUT: RequestTraits = { method: 'PUT', hasBody: true };
const DELETE: RequestTraits = { method: 'DELETE', hasBody: false };
const status = (code: number, text = ''): AttemptFailure => ({ kind: 'status', status: code, text });
const net = (code: string, connected: boolean): AttemptFailure => ({ kind: 'network', code, connected });

describe('which failures are retried', T, () => {
  const table: Array<[string, AttemptFailure, RequestTraits, boolean]> = [
    ['a 500 to a GET', status(500), GET, true],
    ['a 503 to an upload (answered, so not kept)', status(503), PUT, true],
    ['a 502 to a delete', status(502), DELETE, true],
    ['a 408 to an upload', status(408, 'Request Timeout'), PUT, true],
    ['a 429', status(429), GET, true],
    ['a 409 "Another transfer in progress"', status(409, 'Another transfer in progress'), PUT, true],
    ['a 409 "File already exists"', status(409, 'File already exists'), PUT, false],
    ['a 409 "File is busy"', status(409, 'File is busy'), DELETE, false],
    ['a 401', status(401), GET, false],
    ['a 403', status(403), PUT, false],
    ['a 404', status(404), GET, false],
    ['a 414', status(414), PUT, false],
    ['a 415', status(415), PUT, false],
    ['a 422', status(422), PUT, false],
    ['a 507 storage full', status(507, 'USB drive full'), PUT, false],
    ['a 501', status(501), PUT, false],
    ['a 400', status(400), PUT, false],
    ['connection refused, GET', net('ECONNREFUSED', false), GET, true],
    ['connection refused, upload (never sent)', net('ECONNREFUSED', false), PUT, true],
    ['connect timeout, upload', net('ETIMEDOUT', false), PUT, true],
    ['a reset on an open socket, GET', net('ECONNRESET', true), GET, true],
    ['an answer timeout, GET', net('ETIMEDOUT', true), GET, true],
    ['a reset on an open socket, DELETE (idempotent)', net('ECONNRESET', true), DELETE, true],
    ['a reset on an open socket, upload (outcome unknown)', net('ECONNRESET', true), PUT, false],
    ['a stalled upload (outcome unknown)', net('ETIMEDOUT', true), PUT, false],
    ['a name that does not resolve', net('ENOTFOUND', false), GET, false],
    ['a temporary DNS failure', net('EAI_AGAIN', false), GET, true],
    ['a self-signed certificate', net('DEPTH_ZERO_SELF_SIGNED_CERT', true), GET, false],
    ['an unreadable HTTP answer', net('HPE_INVALID_CONSTANT', true), GET, false],
    ['an abort', net('ABORT_ERR', true), GET, false],
  ];
  for (const [label, failure, request, expected] of table) {
    it(`${expected ? 'retries' : 'does not retry'} ${label}`, () => {
      const reason = retryReason(failure, request);
      assert.equal(reason !== undefined, expected, reason);
    });
  }
});

describe('how many retries a failure gets', T, () => {
  const policy = { ...DEFAULT_RETRY_POLICY, retries: 3 };
  const table: Array<[string, AttemptFailure, RequestTraits, number, number]> = [
    ['a 500 to an upload (a Pi with a full disk): once, the whole file sent again', status(500), PUT, 3, 1],
    ['a 500 to an upload with retries off', status(500), PUT, 0, 0],
    ['a 500 to a GET', status(500), GET, 3, 3],
    ['a 503 to an upload', status(503), PUT, 3, 3],
    ['a lost connection before an upload went out', net('ECONNREFUSED', false), PUT, 3, 3],
  ];
  for (const [label, failure, request, retries, expected] of table) {
    it(`${label}: ${expected}`, () => {
      assert.equal(retriesFor(failure, request, { ...policy, retries }), expected);
    });
  }
});

describe('backoff with full jitter', T, () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 5000 };
  const table: Array<[retry: number, random: number, expected: number]> = [
    [1, 0, 0],
    [1, 0.5, 500],
    [1, 0.999, 999],
    [2, 1, 2000],
    [3, 0.5, 2000],
    [4, 1, 5000], // 8000 capped at 5000
    [10, 1, 5000],
  ];
  for (const [retry, random, expected] of table) {
    it(`retry ${retry} with jitter ${random} waits ${expected} ms`, () => {
      assert.equal(
        backoffDelayMs(retry, policy, () => random),
        expected,
      );
    });
  }

  it('gives up once the retries are used up, and honours a Retry-After within the limit', () => {
    const p = { ...policy, retries: 2, maxRetryAfterMs: 10_000 };
    assert.equal(
      retryDelayMs(1, p, undefined, () => 1),
      1000,
    );
    assert.equal(
      retryDelayMs(2, p, undefined, () => 1),
      2000,
    );
    assert.equal(
      retryDelayMs(3, p, undefined, () => 1),
      undefined,
    );
    assert.equal(
      retryDelayMs(1, p, 7000, () => 1),
      7000,
      'Retry-After wins over the backoff',
    );
    assert.equal(
      retryDelayMs(1, p, 60_000, () => 1),
      undefined,
      'a Retry-After past the limit is not waited for',
    );
    assert.equal(
      retryDelayMs(1, { ...p, retries: 0 }, 0, () => 1),
      undefined,
      'no retries: never',
    );
  });
});

describe('Retry-After', T, () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  const table: Array<[string | undefined, number | undefined]> = [
    [undefined, undefined],
    ['0', 0],
    ['3', 3000],
    [' 120 ', 120_000],
    ['Sun, 01 Mar 2026 12:00:10 GMT', 10_000],
    ['Sun, 01 Mar 2026 11:59:00 GMT', 0],
    ['soon', undefined],
    ['-5', undefined],
    ['1.5', undefined],
  ];
  for (const [value, expected] of table) {
    it(`reads ${JSON.stringify(value)} as ${expected}`, () => {
      assert.equal(parseRetryAfter(value, now), expected);
    });
  }
});

describe('waiting between attempts', T, () => {
  it('is cut short by an abort', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const waiting = sleep(60_000, controller.signal);
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(waiting, { name: 'AbortError' });
    assert.ok(Date.now() - started < 30_000);
  });

  it('rejects at once when already aborted', async () => {
    await assert.rejects(sleep(10, AbortSignal.abort()), { name: 'AbortError' });
  });
});
