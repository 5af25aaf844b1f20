// Pi PrusaLink's error answers: LinkError JSON (title, message, url) with Content-Location, or
// "title\nmessage\n" as text; the 401 page is HTML, a bad API key a bare text line.

import type { Exchange, HeaderMap } from '../server/exchange.js';

export function piError(ex: Exchange, status: number, title: string, message: string, headers: HeaderMap = {}): void {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  const url = `http://${ex.header('host') ?? 'localhost'}/error/${slug}`;
  if (ex.acceptsJson()) {
    ex.sendJson(status, { title, message, url }, { 'Content-Location': url, ...headers });
    return;
  }
  ex.send(status, `${title}\n${message}\n`, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
}

export function piUnauthorized(ex: Exchange, challenge: string): void {
  const html = '<!DOCTYPE html><html><head><title>401 - Unauthorized</title></head><body><h1>401 - Unauthorized</h1></body></html>\n';
  ex.send(401, html, { 'Content-Type': 'text/html; charset=utf-8', 'WWW-Authenticate': challenge });
}
