/**
 * The one error type of the gateway. Every failure, from a malformed body to a provider outage,
 * becomes a GatewayError with a stable `code`; each surface maps it to its own error shape in
 * exactly one place (its encode-error module).
 */
export type ErrorCode =
  // the client's request
  | 'invalid_json'
  | 'invalid_request'
  | 'payload_too_large'
  | 'not_found'
  | 'method_not_allowed'
  | 'model_not_found'
  | 'ambiguous_model'
  | 'provider_not_found'
  | 'unsupported_parameter'
  | 'not_supported'
  // governance
  | 'authentication_failed'
  | 'permission_denied'
  | 'rate_limited'
  | 'budget_exceeded'
  | 'queue_full'
  /** A budget/rate-limit store is down and governance is configured to fail closed (503). */
  | 'governance_unavailable'
  // the provider's answer
  | 'upstream_authentication'
  | 'upstream_permission'
  | 'upstream_not_found'
  | 'upstream_rate_limited'
  | 'upstream_overloaded'
  | 'context_length_exceeded'
  | 'content_filtered'
  | 'upstream_bad_request'
  | 'upstream_error'
  | 'upstream_timeout'
  | 'upstream_unreachable'
  | 'upstream_bad_response'
  | 'stream_error'
  // the gateway
  | 'no_providers'
  | 'shutting_down'
  | 'internal_error';

/** What the provider answered, kept for logs and for same-dialect error passthrough. */
export interface UpstreamErrorDetails {
  provider?: string;
  /**
   * The dialect family whose error body this was ("openai", "anthropic"). A surface of the same
   * family may keep the provider's own type/code/param; any other surface uses its own words.
   */
  family?: string;
  status?: number;
  /** The provider's own error type/code/param, when its body had them. */
  type?: string;
  code?: string;
  param?: string | null;
  message?: string;
  /** The raw response body (truncated). */
  body?: string;
  headers?: Record<string, string>;
}

export interface GatewayErrorOptions {
  code: ErrorCode;
  message: string;
  /** HTTP status to answer with. */
  status: number;
  /** Another attempt (same or other target) may succeed. */
  retryable?: boolean;
  /** When the provider says a retry may succeed (from retry-after and reset headers). */
  retryAfterMs?: number;
  /** The offending request parameter, in the client's own naming (e.g. "messages[0].role"). */
  param?: string;
  upstream?: UpstreamErrorDetails;
  /** Extra response headers (e.g. rate-limit state). */
  headers?: Record<string, string>;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly param: string | undefined;
  readonly upstream: UpstreamErrorDetails | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(options: GatewayErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = options.code;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.param = options.param;
    this.upstream = options.upstream;
    this.headers = options.headers;
  }

  static isGatewayError(value: unknown): value is GatewayError {
    return value instanceof GatewayError;
  }
}

/** Convenience constructor for 400 invalid_request errors naming a parameter. */
export function invalidRequest(message: string, param?: string): GatewayError {
  return new GatewayError({ code: 'invalid_request', status: 400, message, ...(param ? { param } : {}) });
}

/** Wrap anything thrown into a GatewayError without leaking internals to the client. */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError({
    code: 'internal_error',
    status: 500,
    message: 'Internal gateway error',
    cause: error,
  });
}
