// An HTTP proxy on 127.0.0.1 in front of a simulated printer that hides the `capabilities` of
// /api/version and answers 404 for /api/v1/storage, so a printer with the v1 API looks legacy-only
// until it answers a legacy call with 410 Gone.

import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapabilityHidingProxy {
  url: string;
  close(): Promise<void>;
}

function forward(target: URL, req: IncomingMessage, res: ServerResponse, seen: { gone: boolean }): void {
  if (!seen.gone && req.url === '/api/v1/storage') {
    req.resume();
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ title: 'Not Found', message: 'Not Found' }));
    return;
  }
  const upstream = request(
    { hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      if (answer.statusCode === 410) seen.gone = true;
      const hide = req.url === '/api/version' && answer.statusCode === 200;
      if (!hide) {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        const version = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        delete version['capabilities'];
        const body = Buffer.from(JSON.stringify(version));
        const headers = { ...answer.headers, 'content-length': String(body.length) };
        delete headers['transfer-encoding'];
        res.writeHead(200, headers);
        res.end(body);
      });
    },
  );
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
}

export async function hideCapabilities(printerUrl: string): Promise<CapabilityHidingProxy> {
  const target = new URL(printerUrl);
  const seen = { gone: false };
  const server: Server = createServer((req, res) => forward(target, req, res, seen));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
