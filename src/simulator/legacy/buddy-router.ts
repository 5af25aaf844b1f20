// Buddy firmware 4.4 (MINI): only the legacy API and only X-Api-Key auth. /api/files, /api/files/local
// and /api/files/sdcard all mean the USB root; /api/files/usb/<path> names one file or folder.
// Every /api/v1 path is 404.

import { timingSafeEqual } from 'node:crypto';
import { BUDDY_REALM } from '../auth/digest-server.js';
import { buddyError } from '../buddy/errors.js';
import { buddyDeleteFile, lookupBuddy } from '../buddy/files.js';
import { BUDDY_MAX_URL_BYTES, buddyUrlDecode, splitBuddyPath } from '../buddy/paths.js';
import type { SimContext } from '../server/context.js';
import type { Exchange } from '../server/exchange.js';
import type { Personality } from '../server/personality.js';
import { legacyBuddyUpload } from './buddy-upload.js';
import { legacyPrinter } from './printer.js';
import { legacyBuddyFile, legacyBuddyListing } from './render.js';

/** The paths the OctoPrint-style API maps onto the USB root. */
const ROOTS = new Set(['/api/files', '/api/files/local', '/api/files/sdcard']);

function keyMatches(given: string | undefined, password: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(password);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class LegacyBuddyPersonality implements Personality {
  constructor(private readonly ctx: SimContext) {}

  error(ex: Exchange, status: number, message: string): void {
    buddyError(ex, status, message);
  }

  async handle(ex: Exchange): Promise<void> {
    const ctx = this.ctx;
    if (ex.target.length > BUDDY_MAX_URL_BYTES) return buddyError(ex, 414, 'URI Too Long');
    const path = ex.rawPath.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
    if (!path.startsWith('/api/')) return buddyError(ex, 404, 'Not Found');
    // No digest before firmware 4.5: the API key is the only way in.
    const key = ex.header('x-api-key');
    if (!keyMatches(key, ctx.opts.password)) {
      ex.auth = key === undefined && ex.header('authorization') === undefined ? 'none' : 'invalid';
      return buddyError(ex, 401, 'Unauthorized', { headers: { 'WWW-Authenticate': `ApiKey realm="${BUDDY_REALM}"` } });
    }
    ex.auth = 'api-key';
    if (ex.method === 'GET' && path === '/api/version') {
      return ex.sendJson(200, { api: '0.1', server: '2.0.0', text: 'PrusaLink MINI', hostname: ctx.opts.hostname });
    }
    if (ex.method === 'GET' && path === '/api/printer') return legacyPrinter(ctx, ex);
    if (ROOTS.has(path)) {
      if (ex.method === 'GET') return ex.sendJson(200, legacyBuddyListing(ctx.main, ctx.usbPresent ? ctx.main.root : undefined));
      if (ex.method === 'POST') return legacyBuddyUpload(ctx, ex);
      return buddyError(ex, 405, 'Method Not Allowed');
    }
    if (path === '/api/files/usb' || path.startsWith('/api/files/usb/')) {
      const target = splitBuddyPath(buddyUrlDecode(path.slice('/api/files/'.length)));
      if (target.escapes) return buddyError(ex, 404, 'Not Found');
      if (ex.method === 'DELETE') return buddyDeleteFile(ctx, ex, target.parts);
      if (ex.method !== 'GET') return buddyError(ex, 405, 'Method Not Allowed');
      const node = ctx.usbPresent ? lookupBuddy(ctx, target.parts) : undefined;
      if (!node) return buddyError(ex, 404, 'File not found');
      if (node.kind === 'folder') return ex.sendJson(200, legacyBuddyListing(ctx.main, node));
      return ex.sendJson(200, legacyBuddyFile(ctx.main, node));
    }
    return buddyError(ex, 404, 'Not Found');
  }
}
