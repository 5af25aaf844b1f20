// Buddy's error pages: `{"title","message"}` JSON when application/json is the first Accept type,
// else "<code>: <reason>\n\n<message>\n" as text/plain.

import { STATUS_CODES } from 'node:http';
import type { Exchange, HeaderMap } from '../server/exchange.js';

export function buddyError(ex: Exchange, status: number, message: string, opts: { textOnly?: boolean; headers?: HeaderMap } = {}): void {
  const title = `${status}: ${STATUS_CODES[status] ?? 'Error'}`;
  if (!opts.textOnly && ex.acceptsJsonFirst()) {
    ex.sendJson(status, { title, message }, opts.headers ?? {}, { chunked: false });
    return;
  }
  ex.send(status, `${title}\n\n${message}\n`, { 'Content-Type': 'text/plain', ...(opts.headers ?? {}) });
}
