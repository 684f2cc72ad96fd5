import type { ChatSurface, Surface } from '../api/surface.js';
import { toGatewayError } from '../core/index.js';
import { ClientAbortError } from '../transport/map-transport-error.js';
import { priceRequest } from './cost.js';
import { gatewayHeaders } from './gateway-headers.js';
import type { RequestContext } from './request-context.js';
import type { GatewayRuntime } from './runtime.js';

function copyHeaders(target: Record<string, string>, source: Readonly<Record<string, string>>): void {
  for (const name in source) target[name] = source[name]!;
}

/**
 * All headers for a response: the gateway's own, the stages', then the hooks'. Copied name by
 * name: object spread of these ~20 dash-named keys took V8's slow path (~20 µs a response).
 */
export function responseHeaders(runtime: GatewayRuntime, context: RequestContext, base: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = {};
  copyHeaders(headers, base);
  copyHeaders(headers, gatewayHeaders(context.record));
  copyHeaders(headers, context.responseHeaders);
  for (const hook of runtime.hooks.responseHeaders) hook(context, headers);
  return headers;
}

/**
 * A complete body goes out with its length: without it, headers written by writeHead make Node
 * frame the body as chunked (a size line, the data, a terminating chunk), more bytes and writes
 * for the client to parse. Statuses without a body carry no length.
 */
function setContentLength(headers: Record<string, string>, status: number, body: string | Buffer): void {
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) return;
  headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.length);
}

/** Write a complete response body. */
export function sendBody(
  runtime: GatewayRuntime,
  context: RequestContext,
  status: number,
  body: string | Buffer,
  contentType = 'application/json',
): void {
  const response = context.response;
  context.record.status = status;
  if (response.headersSent || response.destroyed) return;
  priceRequest(runtime, context.record);
  const headers = responseHeaders(runtime, context, { 'content-type': contentType });
  setContentLength(headers, status, body);
  context.record.timing.firstByteMs = performance.now() - context.record.start;
  if (context.captureResponseBody) context.responseBody = body;
  response.writeHead(status, headers);
  response.end(body);
}

/** Answer with an error in the surface's own format, whatever was thrown. */
export function sendError(runtime: GatewayRuntime, context: RequestContext, surface: Surface | ChatSurface, thrown: unknown): void {
  if (thrown instanceof ClientAbortError) {
    // Nobody to answer: the client left while we were waiting on the provider.
    context.record.clientAborted = true;
    context.record.status = 499;
    context.record.errorCode = 'client_closed';
    return;
  }
  const error = toGatewayError(thrown);
  context.error = error;
  const record = context.record;
  record.errorCode = error.code;
  record.errorMessage = error.message;
  if (error.code === 'internal_error') runtime.logger.error({ err: error.cause ?? error, requestId: record.id }, 'request failed');
  const encoded = surface.encodeError(error);
  record.status = encoded.status;
  const response = context.response;
  if (response.headersSent || response.destroyed) return;
  const headers = responseHeaders(runtime, context, encoded.headers);
  setContentLength(headers, encoded.status, encoded.body);
  response.writeHead(encoded.status, headers);
  response.end(encoded.body);
}
