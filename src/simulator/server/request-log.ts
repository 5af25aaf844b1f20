// The request log the tests read: one entry per request, key headers only, never credentials.

import type { IncomingMessage } from 'node:http';
import type { SimRequestLogEntry } from '../types.js';

const LOGGED_HEADERS = [
  'overwrite',
  'content-length',
  'content-type',
  'create-folder',
  'force',
  'user-agent',
  'accept',
  'print-after-upload',
];

export class RequestLog {
  private entries: SimRequestLogEntry[] = [];

  /** `now`: the host time in epoch ms the entries are stamped with (the printer's `now` option). */
  constructor(
    private readonly limit: number,
    readonly now: () => number = Date.now,
  ) {}

  begin(req: IncomingMessage): SimRequestLogEntry {
    const headers: Record<string, string> = {};
    for (const name of LOGGED_HEADERS) {
      const value = req.headers[name];
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return {
      method: req.method ?? '',
      target: req.url ?? '',
      status: 0,
      auth: 'none',
      headers,
      bytesIn: 0,
      startedAt: this.now(),
      durationMs: 0,
    };
  }

  /** Stores the finished entry; drops the oldest half when full so appends stay cheap. */
  add(entry: SimRequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries = this.entries.slice(this.entries.length - Math.ceil(this.limit / 2));
  }

  list(): SimRequestLogEntry[] {
    return this.entries.map((e) => ({ ...e, headers: { ...e.headers } }));
  }

  clear(): void {
    this.entries = [];
  }
}
