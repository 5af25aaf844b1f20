// What a personality (Buddy firmware or Pi PrusaLink) must do with a request.

import type { Exchange } from './exchange.js';

export interface Personality {
  /** Answers the request (auth, routing, the endpoint itself). */
  handle(ex: Exchange): Promise<void> | void;
  /** An error page in this personality's format, for injected status faults. */
  error(ex: Exchange, status: number, message: string): void;
}
