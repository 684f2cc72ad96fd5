import type { ErrorCode, GatewayError } from '../../core/index.js';
import { ANTHROPIC_ERROR_TYPES } from '../../providers/anthropic/map-anthropic-error.js';
import { errorHeaders } from '../openai/encode-error.js';
import type { EncodedError } from '../surface.js';

const TYPES: Partial<Record<ErrorCode, string>> = {
  payload_too_large: 'request_too_large',
  not_found: 'not_found_error',
  model_not_found: 'not_found_error',
  provider_not_found: 'not_found_error',
  upstream_not_found: 'not_found_error',
  authentication_failed: 'authentication_error',
  upstream_authentication: 'authentication_error',
  permission_denied: 'permission_error',
  upstream_permission: 'permission_error',
  budget_exceeded: 'billing_error',
  rate_limited: 'rate_limit_error',
  queue_full: 'rate_limit_error',
  upstream_rate_limited: 'rate_limit_error',
  upstream_overloaded: 'overloaded_error',
  upstream_timeout: 'timeout_error',
  upstream_error: 'api_error',
  upstream_unreachable: 'api_error',
  upstream_bad_response: 'api_error',
  stream_error: 'api_error',
  internal_error: 'api_error',
  no_providers: 'api_error',
  shutting_down: 'overloaded_error',
};

/**
 * The Anthropic error type for a canonical error. When the provider itself answered with an
 * Anthropic error type, that type is kept (billing_error, request_too_large, ...). Another
 * family's type is not kept even when the word matches: OpenAI calls a refused key
 * "invalid_request_error", which an Anthropic client must see as authentication_error.
 */
export function anthropicErrorType(error: GatewayError): string {
  const upstreamType = error.upstream?.family === 'anthropic' ? error.upstream.type : undefined;
  if (upstreamType !== undefined && ANTHROPIC_ERROR_TYPES.has(upstreamType)) return upstreamType;
  return TYPES[error.code] ?? 'invalid_request_error';
}

/** The `{"type":"error","error":{...}}` body (also the data of a mid-stream `error` event). */
export function anthropicErrorBody(error: GatewayError): string {
  return JSON.stringify({ type: 'error', error: { type: anthropicErrorType(error), message: error.message } });
}

/**
 * Canonical error → Anthropic's error shape with the error's status. `x-should-retry` tells
 * the Anthropic SDKs whether retrying can help, from the error's own retryability.
 */
export function encodeAnthropicError(error: GatewayError): EncodedError {
  const headers = errorHeaders(error);
  headers['x-should-retry'] ??= String(error.retryable);
  return { status: error.status, headers, body: anthropicErrorBody(error) };
}
