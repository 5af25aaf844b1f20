// Pi PrusaLink's request routing: request-line limit, auth (except HEAD on files), the endpoint.

import type { SimContext } from '../server/context.js';
import type { Exchange } from '../server/exchange.js';
import { PiPersonalityBase } from './base.js';
import { piError } from './errors.js';
import { piDeleteFile, piDownload, piGetFile, piHeadFile, piStartPrint } from './files.js';
import { piInfo, piJob, piStatus, piStorage, piTransfer, piVersion } from './info.js';
import { splitPiPath } from './paths.js';
import { piUpload } from './upload.js';

const GETS: Record<string, (ctx: SimContext, ex: Exchange) => void> = {
  '/api/version': piVersion,
  '/api/v1/info': piInfo,
  '/api/v1/status': piStatus,
  '/api/v1/job': piJob,
  '/api/v1/storage': piStorage,
  '/api/v1/transfer': piTransfer,
};

export class PiPersonality extends PiPersonalityBase {
  async handle(ex: Exchange): Promise<void> {
    const ctx = this.ctx;
    const path = ex.rawPath;
    const filesPath = path === '/api/v1/files' || path.startsWith('/api/v1/files/');
    // HEAD on files has no auth on a Pi.
    if (!this.admit(ex, filesPath && ex.method === 'HEAD')) return;

    const get = GETS[path];
    if (get) return ex.method === 'GET' ? get(ctx, ex) : piError(ex, 405, 'Method Not Allowed', 'Method not allowed.');
    if (filesPath) return this.files(ex, path.slice('/api/v1/files'.length));
    const raw = /^\/api\/files\/(.+)\/raw$/.exec(path);
    if (raw && ex.method === 'GET') {
      const target = splitPiPath(raw[1] ?? '');
      const volume = target && !target.escapes ? ctx.volumes.get(target.storage) : undefined;
      if (!target || !volume) return piError(ex, 404, 'Not Found', 'File not found.');
      return piDownload(ctx, ex, volume, target.parts);
    }
    return piError(ex, 404, 'Not Found', 'Not found.');
  }

  private async files(ex: Exchange, rest: string): Promise<void> {
    const ctx = this.ctx;
    const target = splitPiPath(rest);
    if (!target || target.escapes) return piError(ex, 400, 'Bad Request', 'Invalid path.');
    const volume = ctx.volumes.get(target.storage);
    if (!volume) return piError(ex, 404, 'Storage Not Found', 'Storage not found.');
    switch (ex.method) {
      case 'GET':
        return piGetFile(ex, volume, target.parts, ctx);
      case 'HEAD':
        return piHeadFile(ctx, ex, volume, target.parts);
      case 'PUT':
        return piUpload(ctx, ex, volume, target.parts);
      case 'DELETE':
        return piDeleteFile(ctx, ex, volume, target.parts);
      case 'POST':
        return piStartPrint(ctx, ex, volume, target.parts);
      default:
        return piError(ex, 405, 'Method Not Allowed', 'Method not allowed.');
    }
  }
}
