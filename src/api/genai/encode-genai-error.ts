import type { ErrorCode, GatewayError } from '../../core/index.js';
import { errorHeaders } from '../openai/encode-error.js';
import type { EncodedError } from '../surface.js';

const RPC_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  402: 'RESOURCE_EXHAUSTED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'UNIMPLEMENTED',
  408: 'DEADLINE_EXCEEDED',
  409: 'ABORTED',
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/**
 * The status name for canonical errors whose HTTP status alone would name them wrongly: the
 * same canonical error gets the same name whichever provider it came from (Anthropic's
 * overloaded 529, Bedrock's model errors 424, a 429 model-not-ready are not INTERNAL,
 * FAILED_PRECONDITION or RESOURCE_EXHAUSTED).
 */
const RPC_STATUS_FOR_CODE: Partial<Record<ErrorCode, string>> = {
  upstream_overloaded: 'UNAVAILABLE',
  upstream_unreachable: 'UNAVAILABLE',
  no_providers: 'UNAVAILABLE',
  shutting_down: 'UNAVAILABLE',
  upstream_rate_limited: 'RESOURCE_EXHAUSTED',
  rate_limited: 'RESOURCE_EXHAUSTED',
  queue_full: 'RESOURCE_EXHAUSTED',
  upstream_timeout: 'DEADLINE_EXCEEDED',
  upstream_error: 'INTERNAL',
  upstream_bad_response: 'INTERNAL',
  stream_error: 'INTERNAL',
};

const RPC_NAME = /^[A-Z_]+$/;

/** The google.rpc.Status object for a canonical error: {code, message, status, details}. */
export function genAiErrorObject(error: GatewayError): Record<string, unknown> {
  const upstream = error.upstream;
  // A Gemini provider's own status name is kept when the HTTP status is unchanged.
  const status =
    upstream?.type !== undefined && RPC_NAME.test(upstream.type) && upstream.status === error.status
      ? upstream.type
      : (RPC_STATUS_FOR_CODE[error.code] ?? RPC_STATUS[error.status] ?? (error.status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION'));
  const details: Array<Record<string, unknown>> = [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: error.code.toUpperCase(),
      domain: 'switchyard',
      metadata: { code: error.code, ...(error.param === undefined ? {} : { param: error.param }) },
    },
  ];
  if (error.retryAfterMs !== undefined) {
    details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${(error.retryAfterMs / 1000).toFixed(3).replace(/\.?0+$/, '')}s` });
  }
  return { code: error.status, message: error.message, status, details };
}

/** Canonical error → Gemini's `{"error": {"code", "message", "status", "details"}}`. */
export function encodeGenAiError(error: GatewayError): EncodedError {
  return { status: error.status, headers: errorHeaders(error), body: JSON.stringify({ error: genAiErrorObject(error) }) };
}
