import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError, type ErrorCode } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import { classifyUpstreamStatus } from '../openai/map-openai-error.js';
import { parseRetryAfter } from '../shared/parse-retry-after.js';

const CONTEXT_PATTERN = /prompt is too long|context window|context limit|too many (input )?tokens|exceeds? the (maximum )?context/i;
const FILTER_PATTERN = /content filtering|content policy|output blocked/i;

/**
 * Anthropic error types, their HTTP status and canonical code.
 * https://docs.anthropic.com/en/api/errors
 */
const ERROR_TYPES: Record<string, { status: number; code: ErrorCode; retryable: boolean }> = {
  invalid_request_error: { status: 400, code: 'upstream_bad_request', retryable: false },
  authentication_error: { status: 401, code: 'upstream_authentication', retryable: false },
  billing_error: { status: 402, code: 'upstream_permission', retryable: false },
  permission_error: { status: 403, code: 'upstream_permission', retryable: false },
  not_found_error: { status: 404, code: 'upstream_not_found', retryable: false },
  request_too_large: { status: 413, code: 'upstream_bad_request', retryable: false },
  rate_limit_error: { status: 429, code: 'upstream_rate_limited', retryable: true },
  api_error: { status: 500, code: 'upstream_error', retryable: true },
  timeout_error: { status: 504, code: 'upstream_timeout', retryable: true },
  overloaded_error: { status: 529, code: 'upstream_overloaded', retryable: true },
};

/** The Anthropic error types, for surfaces that keep a provider's own type. */
export const ANTHROPIC_ERROR_TYPES: ReadonlySet<string> = new Set(Object.keys(ERROR_TYPES));

/** HTTP status Anthropic uses for an error type (mid-stream errors carry only the type). */
export function statusForAnthropicErrorType(type: string | undefined): number {
  return (type === undefined ? undefined : ERROR_TYPES[type]?.status) ?? 500;
}

/** `{"type":"error","error":{"type","message"},"request_id"?}` → its fields. */
export function readAnthropicErrorBody(bodyText: string): { type?: string; message?: string; requestId?: string } {
  const body = tryParseJson(bodyText);
  if (!isRecord(body)) return {};
  const error = isRecord(body.error) ? body.error : body;
  const out: { type?: string; message?: string; requestId?: string } = {};
  if (typeof error.type === 'string' && error.type !== 'error') out.type = error.type;
  if (typeof error.message === 'string') out.message = error.message;
  if (typeof body.request_id === 'string') out.requestId = body.request_id;
  return out;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Map an Anthropic error response (or a mid-stream `error` event) to a canonical error. The
 * error type decides the code (529 overloaded_error and rate limits are retryable); the
 * `x-should-retry` header, when present, overrides retryability; rate-limit waits come from
 * retry-after and anthropic-ratelimit-*-reset.
 */
export function mapAnthropicError(provider: string, status: number, headers: IncomingHttpHeaders, bodyText: string): GatewayError {
  const details = readAnthropicErrorBody(bodyText);
  const known = details.type === undefined ? undefined : ERROR_TYPES[details.type];
  // The generic api_error says nothing the status does not: a 503 is an overload like a 529.
  let { code, retryable } = known !== undefined && !(details.type === 'api_error' && status !== 500) ? known : classifyUpstreamStatus(status);
  const message = details.message ?? `Provider "${provider}" answered with HTTP ${status}`;
  if (code === 'upstream_bad_request' && CONTEXT_PATTERN.test(message)) code = 'context_length_exceeded';
  else if (code === 'upstream_bad_request' && FILTER_PATTERN.test(message)) code = 'content_filtered';
  const shouldRetry = header(headers, 'x-should-retry');
  if (shouldRetry === 'true') retryable = true;
  else if (shouldRetry === 'false') retryable = false;
  const retryAfterMs = status === 429 || status >= 500 ? parseRetryAfter(headers) : undefined;
  const requestId = details.requestId ?? header(headers, 'request-id');
  return new GatewayError({
    code,
    status,
    retryable,
    message,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    upstream: {
      provider,
      family: 'anthropic',
      status,
      message,
      ...(details.type === undefined ? {} : { type: details.type }),
      body: bodyText.slice(0, 4096),
      ...(requestId === undefined ? {} : { headers: { 'request-id': requestId } }),
    },
  });
}
