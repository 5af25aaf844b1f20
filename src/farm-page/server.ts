// The read-only farm page of `watch --http`: node:http serving one HTML page, its CSS and script,
// GET /api/farm (the `status --json` document) and GET /api/events (the same, pushed on each change).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../errors.js';
import type { FarmState } from '../watch/farm-state.js';
import { FARM_CSS, FARM_HTML, FARM_JS } from './assets.js';

export interface FarmServer {
  /** "http://127.0.0.1:8080" */
  url: string;
  close(): Promise<void>;
}

/** Pushes at most this often: upload progress changes many times a second. */
const PUSH_MS = 250;
/** A comment line keeps proxies and browsers from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;

const SECURITY_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

const STATIC: Record<string, { type: string; body: string }> = {
  '/': { type: 'text/html; charset=utf-8', body: FARM_HTML },
  '/farm.css': { type: 'text/css; charset=utf-8', body: FARM_CSS },
  '/farm.js': { type: 'text/javascript; charset=utf-8', body: FARM_JS },
};

/** Listens on host:port; a port in use or a host that cannot be bound is a UsageError naming --http. */
export async function startFarmServer(farm: FarmState, host: string, port: number): Promise<FarmServer> {
  const streams = new Set<ServerResponse>();
  let loopback = true;
  const server = createServer((req, res) => {
    if (loopback && !isLoopbackHost(req.headers.host)) {
      // A web page elsewhere can point its own name at 127.0.0.1 (DNS rebinding): only local names are served.
      res.writeHead(421, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('this farm page answers only to 127.0.0.1, localhost or [::1]\n');
      return;
    }
    handle(req, res, farm, streams);
  });
  await listen(server, host, port);
  const address = server.address() as AddressInfo;
  loopback = isLoopbackAddress(address.address);
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  // One timer pushes to every open page, at most every PUSH_MS, and only after a change.
  let dirty = false;
  const unsubscribe = farm.onChange(() => {
    dirty = true;
  });
  const push = setInterval(() => {
    if (!dirty || streams.size === 0) return;
    dirty = false;
    const data = `data: ${JSON.stringify(farm.document())}\n\n`;
    for (const res of streams) res.write(data);
  }, PUSH_MS);
  const keepalive = setInterval(() => {
    for (const res of streams) res.write(': keepalive\n\n');
  }, KEEPALIVE_MS);
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        clearInterval(push);
        clearInterval(keepalive);
        for (const res of streams) res.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      const why =
        error.code === 'EADDRINUSE'
          ? 'the port is already in use'
          : error.code === 'EACCES'
            ? 'permission denied (ports below 1024 need privileges)'
            : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND'
              ? 'this machine has no such address'
              : (error.code ?? error.message);
      reject(
        new UsageError(`--http ${where}: cannot serve the farm page: ${why}`, {
          hint: 'choose another port, e.g. --http 8081; nothing was sent to any printer',
          cause: error,
        }),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** 127.0.0.0/8 and ::1: a page bound there is meant for this machine only. */
function isLoopbackAddress(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** The Host header names this machine: 127.x.x.x, localhost or [::1], with any port. */
function isLoopbackHost(header: string | undefined): boolean {
  if (header === undefined) return false;
  const name = header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.replace(/:\d*$/, '');
  const lower = name.toLowerCase();
  return lower === 'localhost' || lower === '[::1]' || /^127(\.\d{1,3}){3}$/.test(lower);
}

function handle(req: IncomingMessage, res: ServerResponse, farm: FarmState, streams: Set<ServerResponse>): void {
  const path = new URL(req.url ?? '/', 'http://farm').pathname;
  // Read-only: nothing here accepts a change.
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...SECURITY_HEADERS, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('read-only: only GET and HEAD\n');
    return;
  }
  const asset = STATIC[path === '/index.html' ? '/' : path];
  if (asset) {
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': asset.type, 'Content-Length': Buffer.byteLength(asset.body) });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
    return;
  }
  if (path === '/api/farm') {
    const body = JSON.stringify(farm.document());
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  if (path === '/api/events') {
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    res.write(`retry: 3000\ndata: ${JSON.stringify(farm.document())}\n\n`);
    streams.add(res);
    req.on('close', () => streams.delete(res));
    return;
  }
  res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end('not found\n');
}
