import { errors as undiciErrors } from 'undici';
import { GatewayError } from '../core/errors.js';

/** Marker reason used when the client went away; such aborts are not upstream failures. */
export class ClientAbortError extends Error {
  constructor() {
    super('The client closed the connection');
    this.name = 'ClientAbortError';
  }
}

/**
 * Turn an error thrown while talking to an upstream (connect, send, read) into a GatewayError.
 * Timeouts and broken connections are retryable; a client abort is passed through unchanged so
 * callers can tell it apart.
 */
export function mapTransportError(error: unknown, provider: string, phase: 'connect' | 'response' | 'body'): unknown {
  if (error instanceof GatewayError || error instanceof ClientAbortError) return error;
  if (error instanceof Error && error.name === 'AbortError') {
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof ClientAbortError || cause instanceof GatewayError) return cause;
  }
  const upstream = { provider };
  if (error instanceof undiciErrors.ConnectTimeoutError) {
    return new GatewayError({
      code: 'upstream_timeout',
      status: 504,
      retryable: true,
      message: `Timed out connecting to provider "${provider}"`,
      upstream,
      cause: error,
    });
  }
  if (error instanceof undiciErrors.HeadersTimeoutError) {
    return new GatewayError({
      code: 'upstream_timeout',
      status: 504,
      retryable: true,
      message: `Provider "${provider}" did not answer in time`,
      upstream,
      cause: error,
    });
  }
  if (error instanceof undiciErrors.BodyTimeoutError) {
    return new GatewayError({
      code: 'upstream_timeout',
      status: 504,
      retryable: true,
      message: `Provider "${provider}" stopped sending data (idle timeout)`,
      upstream,
      cause: error,
    });
  }
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return new GatewayError({
    code: 'upstream_unreachable',
    status: 502,
    retryable: true,
    message:
      phase === 'body'
        ? `The connection to provider "${provider}" broke while reading the response${code ? ` (${code})` : ''}`
        : `Could not reach provider "${provider}"${code ? ` (${code})` : ''}: ${message}`,
    upstream,
    cause: error,
  });
}
