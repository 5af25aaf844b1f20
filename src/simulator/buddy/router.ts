// Buddy's request routing: URL limit (414 before anything else), auth, then the endpoint.

import { BuddyDigest } from '../auth/digest-server.js';
import type { SimContext } from '../server/context.js';
import type { Exchange } from '../server/exchange.js';
import type { Personality } from '../server/personality.js';
import { buddyAuthenticate } from './auth.js';
import { buddyError } from './errors.js';
import { buddyDeleteFile, buddyDownload, buddyGetFile, buddyHeadFile, buddyStartPrint } from './files.js';
import { buddyInfo, buddyJob, buddyStatus, buddyStorage, buddyTransfer, buddyVersion } from './info.js';
import { BUDDY_MAX_URL_BYTES, buddyUrlDecode, splitBuddyPath } from './paths.js';
import { buddyCreateFolder, buddyUpload } from './upload.js';

const GETS: Record<string, (ctx: SimContext, ex: Exchange) => void> = {
  '/api/version': buddyVersion,
  '/api/v1/info': buddyInfo,
  '/api/v1/status': buddyStatus,
  '/api/v1/job': buddyJob,
  '/api/v1/storage': buddyStorage,
  '/api/v1/transfer': buddyTransfer,
};

export class BuddyPersonality implements Personality {
  private readonly digest: BuddyDigest;

  constructor(private readonly ctx: SimContext) {
    this.digest = new BuddyDigest(ctx.opts.password, ctx.opts.nonceLifetimeSec, ctx.opts.now);
  }

  error(ex: Exchange, status: number, message: string): void {
    buddyError(ex, status, message);
  }

  async handle(ex: Exchange): Promise<void> {
    const ctx = this.ctx;
    if (ex.target.length > BUDDY_MAX_URL_BYTES) return buddyError(ex, 414, 'URI Too Long');
    const path = ex.rawPath.replace(/\/{2,}/g, '/');
    const isApi = path.startsWith('/api/');
    const isUsb = path === '/usb' || path.startsWith('/usb/');
    if (!isApi && !isUsb) return buddyError(ex, 404, 'Not Found');
    if (!buddyAuthenticate(ex, this.digest, ctx.opts.password)) return;

    const get = GETS[path];
    if (get) return ex.method === 'GET' ? get(ctx, ex) : buddyError(ex, 405, 'Method Not Allowed');
    if (isUsb) {
      const target = splitBuddyPath(buddyUrlDecode(path.slice(1)));
      if (target.escapes) return buddyError(ex, 404, 'Not Found');
      return ex.method === 'GET' ? buddyDownload(ctx, ex, target.parts) : buddyError(ex, 405, 'Method Not Allowed');
    }
    if (path === '/api/v1/files' || path.startsWith('/api/v1/files/')) return this.files(ex, path.slice('/api/v1/files'.length));
    if (path.startsWith('/api/files') && ex.method === 'POST') return buddyError(ex, 410, 'Gone');
    return buddyError(ex, 404, 'Not Found');
  }

  private async files(ex: Exchange, rest: string): Promise<void> {
    const ctx = this.ctx;
    const target = splitBuddyPath(buddyUrlDecode(rest));
    if (target.storage !== 'usb') return buddyError(ex, 403, 'Forbidden');
    if (target.escapes) return buddyError(ex, 404, 'Not Found');
    switch (ex.method) {
      case 'GET':
        return buddyGetFile(ctx, ex, target.parts);
      case 'HEAD':
        return buddyHeadFile(ctx, ex, target.parts);
      case 'PUT':
        // Firmware before 5.1 ignores the header: the empty PUT is an upload like any other.
        if (ex.header('create-folder') === '?1' && ctx.opts.createFolder) return buddyCreateFolder(ctx, ex, target.parts);
        return buddyUpload(ctx, ex, target.parts);
      case 'DELETE':
        return buddyDeleteFile(ctx, ex, target.parts);
      case 'POST':
        return buddyStartPrint(ctx, ex, target.parts);
      default:
        return buddyError(ex, 405, 'Method Not Allowed');
    }
  }
}
