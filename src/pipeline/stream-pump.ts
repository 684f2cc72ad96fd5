import type { ServerResponse } from 'node:http';
import type { StreamEncoder } from '../api/surface.js';
import type { StreamEvent } from '../core/index.js';
import { GatewayError, toGatewayError } from '../core/index.js';
import { ClientAbortError } from '../transport/map-transport-error.js';
import { priceRequest } from './cost.js';
import { COST_HEADER, costHeaderValue } from './gateway-headers.js';
import type { RequestContext } from './request-context.js';
import { responseHeaders } from './respond.js';
import type { GatewayRuntime } from './runtime.js';

/** Resolve when the socket can take more data, or when it is gone. */
export function waitForDrain(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

function observe(context: RequestContext, event: StreamEvent): void {
  const record = context.record;
  switch (event.type) {
    case 'usage':
      record.usage = event.usage;
      break;
    case 'finish':
      record.finishReason = event.finishReason.raw ?? event.finishReason.unified;
      break;
    case 'response-metadata':
      if (event.model !== undefined) record.modelReported = event.model;
      break;
    case 'error':
      record.errorCode = event.error.code;
      record.errorMessage = event.error.message;
      break;
    default:
      break;
  }
}

/** Write the stream's headers; true when the cost trailer was declared. */
function startStream(runtime: GatewayRuntime, context: RequestContext, encoder: StreamEncoder): boolean {
  const record = context.record;
  record.status = 200;
  const headers = responseHeaders(runtime, context, { ...encoder.headers });
  // The cost is only known when the stream ends: it follows as an HTTP trailer, which needs
  // chunked encoding (every HTTP/1.1 client; an HTTP/1.0 one gets no trailer).
  const trailer = context.response.useChunkedEncodingByDefault;
  if (trailer) headers.trailer = COST_HEADER;
  record.timing.firstByteMs = performance.now() - record.start;
  context.response.writeHead(200, headers);
  return trailer;
}

/** End the stream, with its cost as a trailer when one was declared. */
function endStream(runtime: GatewayRuntime, context: RequestContext, trailer: boolean, last?: string, encoding: BufferEncoding = 'utf8'): void {
  const response = context.response;
  const record = context.record;
  priceRequest(runtime, record);
  if (trailer && record.costUsd !== undefined)
    response.addTrailers({ [COST_HEADER]: costHeaderValue(record.costUsd) });
  if (last === undefined) response.end();
  else response.end(last, encoding);
}

/**
 * Write a canonical stream to the client through the surface's encoder, one write per upstream
 * chunk, pausing while the socket is full (backpressure reaches the upstream). A failure after
 * the first byte ends the stream with an error event in the surface's format.
 */
export async function pumpCanonicalStream(
  runtime: GatewayRuntime,
  context: RequestContext,
  encoder: StreamEncoder,
  first: StreamEvent[],
  rest: AsyncIterator<StreamEvent[]>,
): Promise<void> {
  const response = context.response;
  const observers = context.streamObservers;
  const encoding = encoder.encoding ?? 'utf8';
  const trailer = startStream(runtime, context, encoder);
  let batch: StreamEvent[] | undefined = first;
  let failed = false;
  try {
    while (batch !== undefined) {
      let out = '';
      for (const event of batch) {
        observe(context, event);
        for (const observer of observers) observer(event);
        if (event.type === 'error') {
          out += encoder.error(event.error);
          failed = true;
          break;
        }
        out += encoder.encode(event);
      }
      if (response.destroyed) break;
      if (out !== '' && !response.write(out, encoding)) await waitForDrain(response);
      if (failed || response.destroyed) break;
      const next = await rest.next();
      batch = next.done ? undefined : next.value;
    }
  } catch (thrown) {
    if (thrown instanceof ClientAbortError || response.destroyed) return void (await rest.return?.(undefined));
    const error = toGatewayError(thrown);
    context.record.errorCode = error.code;
    context.record.errorMessage = error.message;
    endStream(runtime, context, trailer, encoder.error(error), encoding);
    return;
  }
  if (response.destroyed) {
    await rest.return?.(undefined);
    return;
  }
  if (failed) {
    await rest.return?.(undefined);
    endStream(runtime, context, trailer);
    return;
  }
  endStream(runtime, context, trailer, encoder.end(), encoding);
}

/** Forward a passthrough byte stream; only a connection failure needs the encoder. */
export async function pumpRawStream(
  runtime: GatewayRuntime,
  context: RequestContext,
  encoder: StreamEncoder,
  first: Buffer | undefined,
  rest: AsyncIterator<Buffer>,
): Promise<void> {
  const response = context.response;
  const trailer = startStream(runtime, context, encoder);
  try {
    let chunk = first;
    for (;;) {
      if (chunk !== undefined && chunk.length > 0 && !response.write(chunk)) await waitForDrain(response);
      if (response.destroyed) {
        await rest.return?.(undefined);
        return;
      }
      const next = await rest.next();
      if (next.done) break;
      chunk = next.value;
    }
  } catch (thrown) {
    if (thrown instanceof ClientAbortError || response.destroyed) return;
    const error = thrown instanceof GatewayError ? thrown : toGatewayError(thrown);
    context.record.errorCode = error.code;
    context.record.errorMessage = error.message;
    endStream(runtime, context, trailer, encoder.error(error), encoder.encoding ?? 'utf8');
    return;
  }
  endStream(runtime, context, trailer);
}
