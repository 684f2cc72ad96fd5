import type { GatewayError } from '../../core/index.js';
import { errorHeaders } from '../openai/encode-error.js';
import type { EncodedError } from '../surface.js';

/**
 * Canonical error → Cohere's error body: `{"message": "..."}` without an envelope, with the
 * status that the Cohere SDKs map to their error classes (400, 401, 403, 404, 429, 500, ...).
 * The gateway's stable code travels in the x-switchyard-error-code header (and `code`).
 */
export function encodeCohereError(error: GatewayError): EncodedError {
  return { status: error.status, headers: errorHeaders(error), body: JSON.stringify({ message: error.message, code: error.code }) };
}
