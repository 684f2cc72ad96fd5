import type { GatewayError, Usage } from '../core/index.js';
import type { PassthroughSupport } from '../providers/provider.js';
import { ClientAbortError, mapTransportError } from '../transport/map-transport-error.js';
import type { UpstreamResponse } from '../transport/send-upstream.js';
import { SseParser } from '../transport/sse-parser.js';

export interface PassthroughStreamObserver {
  usage(usage: Usage): void;
  /** The provider sent an error event inside the stream (forwarded as it is). */
  upstreamError(data: string): void;
}

/**
 * Forward an upstream event stream byte for byte while a side parser reads usage from it.
 * When the gateway injected a usage request the client did not make, the usage-only event is
 * read but cut out of what is forwarded (events are then forwarded whole, never split).
 * Connection failures are thrown as GatewayErrors.
 */
export async function* passthroughStream(
  response: UpstreamResponse,
  support: PassthroughSupport,
  injectedUsage: boolean,
  provider: string,
  observer: PassthroughStreamObserver,
): AsyncGenerator<Buffer, void, undefined> {
  let out: Buffer[] = [];
  const readUsage = support.createStreamUsageReader?.() ?? support.readStreamUsage;
  const isError = support.isStreamErrorEvent ?? ((data: string) => data.startsWith('{"error"'));
  const inspect = (data: string): void => {
    const usage = readUsage(data);
    if (usage !== undefined) observer.usage(usage);
    if (isError(data)) observer.upstreamError(data);
  };
  const parser = injectedUsage
    ? new SseParser(
        (event, raw) => {
          if (event !== null) {
            inspect(event.data);
            if (support.isInjectedUsageEvent(event.data)) return;
          }
          if (raw !== null) out.push(raw);
        },
        { keepRaw: true },
      )
    : new SseParser((event) => {
        if (event !== null) inspect(event.data);
      });
  try {
    for await (const chunk of response.body) {
      parser.push(chunk as Buffer);
      if (!injectedUsage) {
        yield chunk as Buffer;
      } else if (out.length > 0) {
        const ready = out.length === 1 ? out[0]! : Buffer.concat(out);
        out = [];
        yield ready;
      }
    }
  } catch (thrown) {
    const error = mapTransportError(thrown, provider, 'body');
    throw error instanceof ClientAbortError ? error : (error as GatewayError);
  }
  parser.end();
  if (out.length > 0) yield Buffer.concat(out);
}
