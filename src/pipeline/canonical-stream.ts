import type { StreamEvent } from '../core/index.js';
import type { StreamDecoder } from '../providers/provider.js';
import { ClientAbortError, mapTransportError } from '../transport/map-transport-error.js';
import type { UpstreamResponse } from '../transport/send-upstream.js';
import { createFramer } from '../transport/stream-framer.js';
import type { GatewayError } from '../core/index.js';

/**
 * Upstream stream bytes → batches of canonical events, one batch per upstream chunk (so the
 * client gets one write per chunk). A broken connection ends the stream with an error event;
 * a client abort is rethrown. Stopping the iteration early releases the upstream connection.
 */
export async function* canonicalStream(
  response: UpstreamResponse,
  framing: string,
  decoder: StreamDecoder<unknown>,
  provider: string,
): AsyncGenerator<StreamEvent[], void, undefined> {
  let batch: StreamEvent[] = [];
  const emit = (event: StreamEvent): void => {
    batch.push(event);
  };
  const framer = createFramer(framing, (frame) => decoder.push(frame, emit));
  try {
    for await (const chunk of response.body) {
      framer.push(chunk as Buffer);
      if (batch.length > 0) {
        const out = batch;
        batch = [];
        yield out;
      }
    }
  } catch (thrown) {
    const error = mapTransportError(thrown, provider, 'body');
    if (error instanceof ClientAbortError) throw error;
    batch.push({ type: 'error', error: error as GatewayError });
    yield batch;
    return;
  }
  framer.end();
  decoder.end(emit);
  if (batch.length > 0) yield batch;
}
