import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { ConnectionPools } from './connection-pools.js';
import { mapTransportError } from './map-transport-error.js';
import type { UpstreamRequest, UpstreamTimeouts } from './upstream-request.js';

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as an async-iterable Node stream; backpressure reaches the socket. */
  body: Dispatcher.ResponseData['body'];
}

export interface SendOptions {
  provider: string;
  timeouts: UpstreamTimeouts;
  signal?: AbortSignal;
  maxConnections?: number;
}

/** Send one request over the origin's keep-alive pool. Transport failures become GatewayErrors. */
export async function sendUpstream(
  pools: ConnectionPools,
  request: UpstreamRequest,
  options: SendOptions,
): Promise<UpstreamResponse> {
  const pool = pools.get(request.origin, {
    connectTimeoutMs: options.timeouts.connectMs,
    ...(options.maxConnections === undefined ? {} : { connections: options.maxConnections }),
  });
  try {
    const response = await pool.request({
      method: request.method,
      path: request.path,
      headers: request.headers,
      body: request.body ?? null,
      signal: options.signal ?? null,
      headersTimeout: options.timeouts.headersMs,
      bodyTimeout: options.timeouts.idleMs,
    });
    return {
      status: response.statusCode,
      headers: response.headers as IncomingHttpHeaders,
      body: response.body,
    };
  } catch (error) {
    throw mapTransportError(error, options.provider, 'response');
  }
}

/** Read a whole upstream body. */
export async function readUpstreamBody(response: UpstreamResponse, provider: string): Promise<Buffer> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of response.body) chunks.push(chunk as Buffer);
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  } catch (error) {
    throw mapTransportError(error, provider, 'body');
  }
}

/** Read an error body without letting a huge or broken body hurt us. */
export async function readUpstreamErrorText(response: UpstreamResponse, limit = 65_536): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      const buffer = chunk as Buffer;
      if (size < limit) chunks.push(buffer);
      size += buffer.length;
    }
  } catch {
    // A broken error body still leaves us with the status code.
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, limit);
}

/** First value of a header as a string. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
