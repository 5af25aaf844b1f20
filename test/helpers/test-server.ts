// A purpose-built HTTP server on 127.0.0.1 for one test, and a request-layer client pointed at it.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { PrinterHttp, type HttpClientOptions } from '../../src/printer/http.js';

/** Serves `handler` (told the request's number, from 1) while `run` goes; then closes every socket. */
export async function withServer(
  handler: (req: IncomingMessage, res: ServerResponse, n: number) => void,
  run: (baseUrl: string, server: Server) => Promise<void>,
): Promise<void> {
  let n = 0;
  const server = createServer((req, res) => handler(req, res, ++n));
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, server);
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

/** An API-key client with short timeouts; `extra` overrides any option. */
export function testClient(baseUrl: string, extra: Partial<HttpClientOptions> = {}): PrinterHttp {
  return new PrinterHttp({
    printer: 'p1',
    baseUrl,
    auth: { kind: 'api-key', apiKey: 'key-123456' },
    userAgent: 'link-sync/test',
    ...extra,
    timeouts: { connectMs: 2_000, responseMs: 2_000, ...extra.timeouts },
  });
}
