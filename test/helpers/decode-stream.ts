import type { StreamEvent } from '../../src/core/index.js';
import type { StreamDecoder } from '../../src/providers/provider.js';
import { SseParser } from '../../src/transport/sse-parser.js';

/** Run an SSE body through a provider stream decoder, fed in the given pieces. */
export function decodeSse(pieces: Buffer[], decoder: StreamDecoder<unknown>): StreamEvent[] {
  const events: StreamEvent[] = [];
  const emit = (event: StreamEvent): void => {
    events.push(event);
  };
  const parser = new SseParser((event) => {
    if (event !== null) decoder.push(event, emit);
  });
  for (const piece of pieces) parser.push(piece);
  parser.end();
  decoder.end(emit);
  return events;
}

/** Compact view of a canonical event list: errors by code, everything else as is. */
export function summarise(events: StreamEvent[]): unknown[] {
  return events.map((event) => (event.type === 'error' ? { type: 'error', code: event.error.code, retryable: event.error.retryable } : event));
}
