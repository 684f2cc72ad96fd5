import type { ErrorCode, GatewayError } from '../../core/index.js';
import type { EncodedError } from '../surface.js';

const TYPES: Partial<Record<ErrorCode, string>> = {
  authentication_failed: 'authentication_error',
  permission_denied: 'permission_error',
  rate_limited: 'rate_limit_error',
  queue_full: 'rate_limit_error',
  governance_unavailable: 'server_error',
  budget_exceeded: 'insufficient_quota',
  upstream_authentication: 'authentication_error',
  upstream_permission: 'permission_error',
  upstream_rate_limited: 'rate_limit_error',
  upstream_overloaded: 'server_error',
  upstream_error: 'server_error',
  upstream_timeout: 'server_error',
  upstream_unreachable: 'server_error',
  upstream_bad_response: 'server_error',
  stream_error: 'server_error',
  internal_error: 'server_error',
  no_providers: 'server_error',
  shutting_down: 'server_error',
};

const CODES: Partial<Record<ErrorCode, string>> = {
  content_filtered: 'content_filter',
};

/** The OpenAI `error` object for a canonical error; the provider's own fields win when it spoke OpenAI. */
export function openAiErrorObject(error: GatewayError): Record<string, unknown> {
  // Another family's type ("overloaded_error", "RESOURCE_EXHAUSTED", ...) is not an OpenAI word.
  const upstream = error.upstream?.family === 'openai' ? error.upstream : undefined;
  return {
    message: error.message,
    type: upstream?.type ?? TYPES[error.code] ?? 'invalid_request_error',
    param: error.param ?? upstream?.param ?? null,
    code: upstream?.code ?? CODES[error.code] ?? error.code,
  };
}

/** Response headers every surface sends with an error. */
export function errorHeaders(error: GatewayError): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-switchyard-error-code': error.code };
  if (error.retryAfterMs !== undefined) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
    headers['retry-after-ms'] = String(Math.ceil(error.retryAfterMs));
  }
  if (error.code === 'budget_exceeded') headers['x-should-retry'] = 'false';
  if (error.headers !== undefined) Object.assign(headers, error.headers);
  return headers;
}

/** Canonical error → OpenAI's `{"error": {"message", "type", "param", "code"}}`. */
export function encodeOpenAiError(error: GatewayError): EncodedError {
  return { status: error.status, headers: errorHeaders(error), body: JSON.stringify({ error: openAiErrorObject(error) }) };
}
