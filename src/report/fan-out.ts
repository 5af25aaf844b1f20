// Several reporters at once (e.g. the terminal view and --log-file).

import type { EventSink } from './events.js';

export function fanOut(...sinks: EventSink[]): EventSink {
  return (event) => {
    for (const sink of sinks) sink(event);
  };
}
