// Starting, addressing and cleaning up simulated printers for the conformance tests.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { startPrinter } from '../../../src/simulator/index.js';
import type { SimPrinter, SimPrinterOptions } from '../../../src/simulator/types.js';
import { SimClient, type ClientOptions } from './http-client.js';

export type { SimPrinter, SimPrinterOptions };

/** One model per personality: the suite runs every shared case against both. */
export const PERSONALITIES = [
  { personality: 'buddy', model: 'MK4' },
  { personality: 'pi', model: 'MK3S' },
] as const;

export const BUDDY_PASSWORD = 'buddy-pass-1';
export const PI_PASSWORD = 'pi-pass-123';
export const PI_API_KEY = 'pi-key-abcdef';

export type Personality = (typeof PERSONALITIES)[number]['personality'];

/** Options with known credentials: an MK4 for Buddy, an MK3S for Pi, unless `extra.model` says otherwise. */
export function optionsFor(personality: Personality, extra: SimPrinterOptions = {}): SimPrinterOptions {
  const base: SimPrinterOptions =
    personality === 'pi'
      ? { model: 'MK3S', username: 'maker', password: PI_PASSWORD, apiKey: PI_API_KEY }
      : { model: 'MK4', password: BUDDY_PASSWORD };
  return { ...base, ...extra };
}

/** Runs `fn` with a started printer and always closes it. */
export async function withPrinter<T>(options: SimPrinterOptions, fn: (printer: SimPrinter, client: SimClient) => Promise<T>): Promise<T> {
  const printer = await startPrinter(options);
  try {
    return await fn(printer, clientFor(printer));
  } finally {
    await printer.close();
  }
}

/** A client that knows the printer's credentials. */
export function clientFor(printer: SimPrinter, overrides: Partial<ClientOptions> = {}): SimClient {
  const options: ClientOptions = {
    baseUrl: printer.url,
    username: printer.credentials.username,
    password: printer.credentials.password,
    ...overrides,
  };
  // Buddy's API key is its password.
  const key = printer.credentials.apiKey ?? (printer.personality === 'buddy' ? printer.credentials.password : undefined);
  if (key !== undefined && overrides.apiKey === undefined) options.apiKey = key;
  return new SimClient(options);
}

/** A temporary folder removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function gcode(bytes: number, seed = 'G1 X10 Y10\n'): Buffer {
  const out = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i += 1) out[i] = seed.charCodeAt(i % seed.length);
  return out;
}

export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export function asRecord(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`expected a JSON object, got ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

export function childrenOf(listing: unknown): Record<string, unknown>[] {
  const children = asRecord(listing).children;
  if (!Array.isArray(children)) throw new Error(`listing has no children array: ${JSON.stringify(listing)}`);
  return children.map(asRecord);
}

/**
 * An upload body that sends its first `held` bytes at once and the rest only on `release()`: the
 * upload stays under way, at no rate, for as long as the test needs. Send it with a Content-Length.
 */
export function heldBody(content: Buffer, held: number): { body: () => Readable; release: () => void } {
  const stream = new PassThrough();
  return {
    body: () => {
      stream.write(content.subarray(0, held));
      return stream;
    },
    release: () => stream.end(content.subarray(held)),
  };
}
