import { GatewayError } from '../../core/index.js';

/**
 * The upstream stream ended without its closing event (finish reason, message_stop, ...): the
 * connection closed cleanly but the answer is incomplete. Retryable: before anything reached
 * the client another attempt may succeed.
 */
export function streamEndedEarly(provider: string, before = 'the response was complete'): GatewayError {
  return new GatewayError({
    code: 'stream_error',
    status: 502,
    retryable: true,
    message: `The stream from provider "${provider}" ended before ${before}`,
    upstream: { provider },
  });
}

/** A stream event whose data is not the JSON the dialect sends. */
export function malformedStreamEvent(provider: string, data: string): GatewayError {
  return new GatewayError({
    code: 'upstream_bad_response',
    status: 502,
    retryable: true,
    message: `Provider "${provider}" sent a stream event that is not JSON`,
    upstream: { provider, body: data.slice(0, 1024) },
  });
}
