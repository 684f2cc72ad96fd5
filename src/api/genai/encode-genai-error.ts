import type { GatewayError } from '../../core/index.js';
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

const RPC_NAME = /^[A-Z_]+$/;

/** The google.rpc.Status object for a canonical error: {code, message, status, details}. */
export function genAiErrorObject(error: GatewayError): Record<string, unknown> {
  const upstream = error.upstream;
  // A Gemini provider's own status name is kept when the HTTP status is unchanged.
  const status =
    upstream?.type !== undefined && RPC_NAME.test(upstream.type) && upstream.status === error.status
      ? upstream.type
      : (RPC_STATUS[error.status] ?? (error.status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION'));
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
