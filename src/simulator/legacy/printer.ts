// GET /api/printer of the legacy API: temperatures, and the state as text plus OctoPrint-style flags
// (Pi: `operational` only when IDLE, FINISHED or STOPPED, and a `link_state`; Buddy 4.4: no link_state).

import type { SimContext } from '../server/context.js';
import type { Exchange } from '../server/exchange.js';

const TEXT: Record<string, string> = {
  IDLE: 'Operational',
  READY: 'Operational',
  FINISHED: 'Finished',
  STOPPED: 'Stopped',
  PRINTING: 'Printing',
  PAUSED: 'Paused',
  BUSY: 'Busy',
  ATTENTION: 'Attention',
  ERROR: 'Error',
  UNKNOWN: 'Unknown',
};

export function legacyPrinterState(ctx: SimContext): Record<string, unknown> {
  const s = ctx.state.state;
  const operational = s === 'IDLE' || s === 'FINISHED' || s === 'STOPPED';
  const flags: Record<string, unknown> = {
    operational,
    paused: s === 'PAUSED',
    printing: s === 'PRINTING',
    cancelling: false,
    pausing: false,
    sdReady: ctx.personality === 'buddy' ? ctx.usbPresent : true,
    error: s === 'ERROR',
    ready: operational || s === 'READY',
    closedOrError: s === 'ERROR',
    finished: s === 'FINISHED',
    prepared: s === 'READY',
    busy: s === 'BUSY',
  };
  if (ctx.personality === 'pi') flags['link_state'] = s;
  return { text: TEXT[s] ?? 'Unknown', flags };
}

export function legacyPrinter(ctx: SimContext, ex: Exchange): void {
  const hot = ['PRINTING', 'PAUSED', 'ATTENTION', 'BUSY'].includes(ctx.state.state);
  const tool = hot ? { actual: 214.8, target: 215 } : { actual: 24.6, target: 0 };
  const bed = hot ? { actual: 59.9, target: 60 } : { actual: 23.9, target: 0 };
  ex.sendJson(200, {
    temperature: { tool0: { ...tool, offset: 0 }, bed: { ...bed, offset: 0 } },
    sd: { ready: ctx.personality === 'buddy' ? ctx.usbPresent : true },
    state: legacyPrinterState(ctx),
  });
}
