// Module hooks that append every resolved module URL to the file named by LINK_SYNC_LOAD_LOG (one a line).

import { appendFileSync } from 'node:fs';

type Resolved = { url: string };
type NextResolve = (specifier: string, context: unknown) => Promise<Resolved>;

export async function resolve(specifier: string, context: unknown, nextResolve: NextResolve): Promise<Resolved> {
  const resolved = await nextResolve(specifier, context);
  const log = process.env['LINK_SYNC_LOAD_LOG'];
  if (log) appendFileSync(log, `${resolved.url}\n`);
  return resolved;
}
