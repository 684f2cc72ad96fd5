import type { GatewayError } from '../../core/index.js';
import { errorHeaders } from '../openai/encode-error.js';
import type { EncodedError } from '../surface.js';

/** The statuses Cohere's API answers with, each of which the Cohere SDKs raise as its own class. */
const COHERE_STATUSES = new Set([400, 401, 402, 403, 404, 422, 429, 498, 499, 500, 501, 503, 504]);

/**
 * The status a Cohere client gets. Statuses Cohere never sends (Anthropic's 529 overloaded, a
 * 502 unreachable provider, Bedrock's 424 model errors) would reach the SDK as its bare
 * CohereError; they become the Cohere status of the same canonical error, so one kind of failure
 * is one SDK class whichever provider failed: unavailable (overloaded, unreachable) → 503 —
 * ServiceUnavailableError — and other server-side failures → 500 — InternalServerError.
 */
export function cohereStatus(error: GatewayError): number {
  if (COHERE_STATUSES.has(error.status)) return error.status;
  if (error.code === 'upstream_overloaded' || error.code === 'upstream_unreachable') return 503;
  if (error.status >= 500 || error.code === 'upstream_error' || error.code === 'stream_error') return 500;
  return error.status;
}

/**
 * Canonical error → Cohere's error body: `{"message": "..."}` without an envelope, with the
 * status that the Cohere SDKs map to their error classes (400, 401, 403, 404, 429, 500, 503, ...).
 * The gateway's stable code travels in the x-switchyard-error-code header (and `code`).
 */
export function encodeCohereError(error: GatewayError): EncodedError {
  return { status: cohereStatus(error), headers: errorHeaders(error), body: JSON.stringify({ message: error.message, code: error.code }) };
}
