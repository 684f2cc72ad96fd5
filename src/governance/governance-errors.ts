import { GatewayError } from '../core/index.js';

/*
 * The refusals governance sends. Each surface renders them in its own error shape
 * (surface.encodeError); the codes are stable.
 */

export function authenticationError(message: string): GatewayError {
  return new GatewayError({ code: 'authentication_failed', status: 401, message });
}

export function missingKeyError(): GatewayError {
  return authenticationError(
    'A Switchyard virtual key is required: send it as your SDK sends its API key (Authorization: Bearer, x-api-key, api-key or x-goog-api-key).',
  );
}

export function permissionError(message: string): GatewayError {
  return new GatewayError({ code: 'permission_denied', status: 403, message, param: 'model' });
}

export function rateLimitError(
  message: string,
  retryAfterMs: number | undefined,
  headers: Record<string, string>,
): GatewayError {
  return new GatewayError({
    code: 'rate_limited',
    status: 429,
    message,
    headers,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

export function budgetError(
  message: string,
  retryAfterMs: number | undefined,
  headers: Record<string, string>,
): GatewayError {
  return new GatewayError({
    code: 'budget_exceeded',
    status: 429,
    message,
    headers,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

/** A counter or config store is down and the configured fail mode is "closed". */
export function storeUnavailableError(what: string): GatewayError {
  return new GatewayError({
    code: 'governance_unavailable',
    status: 503,
    retryable: true,
    retryAfterMs: 1000,
    message: `${what} is unavailable and governance.onStoreFailure says "closed"; the request was not sent. Retry shortly.`,
  });
}
