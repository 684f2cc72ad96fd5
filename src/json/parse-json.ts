import { GatewayError } from '../core/errors.js';

/**
 * The one place untrusted JSON is parsed (request bodies, upstream responses, stream frames).
 * Parse errors become GatewayErrors; callers never see a raw SyntaxError.
 */
export function parseJson(text: string, what = 'request body'): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new GatewayError({
      code: 'invalid_json',
      status: 400,
      message: `The ${what} is not valid JSON: ${detail}`,
    });
  }
}

/** Parse upstream JSON; malformed upstream output is a bad gateway, not a client error. */
export function parseUpstreamJson(text: string, provider: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new GatewayError({
      code: 'upstream_bad_response',
      status: 502,
      retryable: true,
      message: `Provider "${provider}" returned a body that is not valid JSON`,
      upstream: { provider, body: text.slice(0, 2048) },
    });
  }
}

/** Parse JSON or return undefined; for bodies that may legitimately be non-JSON. */
export function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
