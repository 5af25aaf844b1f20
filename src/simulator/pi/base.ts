// What every Pi PrusaLink (current and 0.6 legacy) does before routing: the request-line limit,
// digest or API-key auth, and error pages in Pi's shape.

import { PiDigest } from '../auth/digest-server.js';
import type { SimContext } from '../server/context.js';
import type { Exchange } from '../server/exchange.js';
import type { Personality } from '../server/personality.js';
import { piAuthenticate } from './auth.js';
import { piError } from './errors.js';
import { PI_MAX_REQUEST_LINE } from './paths.js';

export abstract class PiPersonalityBase implements Personality {
  private readonly digest: PiDigest;

  constructor(protected readonly ctx: SimContext) {
    this.digest = new PiDigest(ctx.opts.username, ctx.opts.password, ctx.opts.nonceLifetimeSec, ctx.opts.now);
  }

  error(ex: Exchange, status: number, message: string): void {
    piError(ex, status, message, message);
  }

  abstract handle(ex: Exchange): Promise<void>;

  /** Answers and returns false when the request line is too long or auth fails (unless `open`). */
  protected admit(ex: Exchange, open = false): boolean {
    if (ex.method.length + ex.target.length + 10 > PI_MAX_REQUEST_LINE) {
      piError(ex, 414, 'URI Too Long', 'Request line too long.');
      return false;
    }
    return open || piAuthenticate(ex, this.digest, this.ctx.opts.apiKey);
  }
}
