import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../core/index.js';

function tooLarge(limit: number): GatewayError {
  return new GatewayError({
    code: 'payload_too_large',
    status: 413,
    message: `The request body is larger than the limit of ${limit} bytes (server.bodyLimit).`,
    headers: { connection: 'close' },
  });
}

/**
 * Read the request body up to `limit` bytes. A declared content-length over the limit is
 * refused before reading; a body that grows past it stops being read.
 */
export function readRequestBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    request.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        failed = true;
        request.off('data', onData);
        request.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => {
      if (!failed) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    request.once('error', (error) => {
      if (!failed) reject(error);
    });
  });
}
