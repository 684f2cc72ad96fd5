import type { IncomingHttpHeaders } from 'node:http';
import { pipeline, type Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Dispatcher } from 'undici';
import type { ConnectionPools } from './connection-pools.js';
import { mapTransportError } from './map-transport-error.js';
import type { UpstreamRequest, UpstreamTimeouts } from './upstream-request.js';

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /**
   * The body as an async-iterable Node stream, already decompressed; backpressure reaches the
   * socket.
   */
  body: Dispatcher.ResponseData['body'] | Readable;
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
    const headers = response.headers as IncomingHttpHeaders;
    const encoding = headers['content-encoding'];
    return {
      status: response.statusCode,
      headers,
      body: encoding === undefined ? response.body : decodeContent(response.body, headers, encoding),
    };
  } catch (error) {
    throw mapTransportError(error, options.provider, 'response');
  }
}

function decoderFor(encoding: string): Transform | undefined {
  switch (encoding.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return undefined;
  }
}

/**
 * Undo a content coding. The gateway sends no Accept-Encoding, which HTTP reads as "any coding
 * is acceptable", so an upstream (or a proxy in front of it) may compress anyway; the body is
 * then decoded here, for streams too, and the header removed. Unknown codings pass unchanged.
 */
function decodeContent(body: Dispatcher.ResponseData['body'], headers: IncomingHttpHeaders, encoding: string): Dispatcher.ResponseData['body'] | Readable {
  const decoder = decoderFor(encoding);
  if (decoder === undefined) return body;
  delete headers['content-encoding'];
  delete headers['content-length'];
  // pipeline() destroys the upstream body if the decoder fails or is destroyed, and the reverse.
  return pipeline(body, decoder, () => undefined);
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
