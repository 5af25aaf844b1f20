// --json: one JSON object per line (NDJSON) per event, each stamped with the time. Schema: schema/events.schema.json.

import type { EventSink } from './events.js';

/** Bumped when a field changes meaning or disappears; new fields do not bump it. */
export const EVENT_SCHEMA_VERSION = 1;

export function jsonReporter(write: (line: string) => void, now: () => Date = () => new Date()): EventSink {
  return (event) => {
    write(`${JSON.stringify({ v: EVENT_SCHEMA_VERSION, time: now().toISOString(), ...event })}\n`);
  };
}
