import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError, type ErrorCode } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import { parseRetryAfter } from '../shared/parse-retry-after.js';

const CONTEXT_PATTERN = /context length|context_length|maximum context|too many tokens|prompt is too long/i;

/** Fields of an OpenAI-style error body: {"error": {"message","type","param","code"}}. */
export function readOpenAiErrorBody(bodyText: string): { message?: string; type?: string; code?: string; param?: string | null } {
  const body = tryParseJson(bodyText);
  const error = isRecord(body) ? (isRecord(body.error) ? body.error : typeof body.error === 'string' ? { message: body.error } : body) : undefined;
  if (!isRecord(error)) return {};
  const out: { message?: string; type?: string; code?: string; param?: string | null } = {};
  if (typeof error.message === 'string') out.message = error.message;
  else if (typeof error.detail === 'string') out.message = error.detail;
  if (typeof error.type === 'string') out.type = error.type;
  if (typeof error.code === 'string') out.code = error.code;
  else if (typeof error.code === 'number') out.code = String(error.code);
  if (typeof error.param === 'string' || error.param === null) out.param = error.param as string | null;
  return out;
}

/** Canonical code and retryability for an upstream HTTP status. */
export function classifyUpstreamStatus(status: number): { code: ErrorCode; retryable: boolean } {
  switch (status) {
    case 400:
    case 413:
    case 422:
      return { code: 'upstream_bad_request', retryable: false };
    case 401:
      return { code: 'upstream_authentication', retryable: false };
    case 403:
      return { code: 'upstream_permission', retryable: false };
    case 404:
      return { code: 'upstream_not_found', retryable: false };
    case 408:
      return { code: 'upstream_timeout', retryable: true };
    case 409:
      return { code: 'upstream_error', retryable: true };
    case 429:
      return { code: 'upstream_rate_limited', retryable: true };
    case 503:
    case 529:
      return { code: 'upstream_overloaded', retryable: true };
    default:
      return status >= 500 ? { code: 'upstream_error', retryable: true } : { code: 'upstream_error', retryable: false };
  }
}

/** Map an OpenAI-dialect error response to a canonical error, keeping what the provider said. */
export function mapOpenAiError(provider: string, status: number, headers: IncomingHttpHeaders, bodyText: string): GatewayError {
  const details = readOpenAiErrorBody(bodyText);
  let { code, retryable } = classifyUpstreamStatus(status);
  const message = details.message ?? `Provider "${provider}" answered with HTTP ${status}`;
  if (code === 'upstream_bad_request' && (details.code === 'context_length_exceeded' || CONTEXT_PATTERN.test(message))) {
    code = 'context_length_exceeded';
  } else if (details.code === 'content_filter' || details.code === 'content_policy_violation') {
    code = 'content_filtered';
  }
  if (details.code === 'insufficient_quota') retryable = false;
  const retryAfterMs = status === 429 || status >= 500 ? parseRetryAfter(headers) : undefined;
  return new GatewayError({
    code,
    status,
    retryable,
    message,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    upstream: {
      provider,
      family: 'openai',
      status,
      message,
      ...(details.type === undefined ? {} : { type: details.type }),
      ...(details.code === undefined ? {} : { code: details.code }),
      ...(details.param === undefined ? {} : { param: details.param }),
      body: bodyText.slice(0, 4096),
    },
  });
}
