import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError, type ErrorCode } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import { classifyUpstreamStatus } from '../openai/map-openai-error.js';
import { parseRetryAfter } from '../shared/parse-retry-after.js';

/*
 * Bedrock errors: the body is `{"message": "..."}` and the kind travels in the
 * `x-amzn-ErrorType` header ("ThrottlingException:http://internal.amazon.com/coral/..."), or in
 * a body `__type`/`code`; inside a stream it is an exception message whose `:exception-type`
 * is the camel-cased name ("throttlingException").
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/CommonErrors.html and
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_Errors
 */

interface Kind {
  code: ErrorCode;
  status: number;
  retryable: boolean;
}

const KINDS: Record<string, Kind> = {
  ThrottlingException: { code: 'upstream_rate_limited', status: 429, retryable: true },
  ServiceQuotaExceededException: { code: 'upstream_rate_limited', status: 429, retryable: true },
  TooManyRequestsException: { code: 'upstream_rate_limited', status: 429, retryable: true },
  ValidationException: { code: 'upstream_bad_request', status: 400, retryable: false },
  SerializationException: { code: 'upstream_bad_request', status: 400, retryable: false },
  ConflictException: { code: 'upstream_bad_request', status: 400, retryable: false },
  AccessDeniedException: { code: 'upstream_permission', status: 403, retryable: false },
  UnrecognizedClientException: { code: 'upstream_authentication', status: 401, retryable: false },
  InvalidSignatureException: { code: 'upstream_authentication', status: 401, retryable: false },
  IncompleteSignatureException: { code: 'upstream_authentication', status: 401, retryable: false },
  MissingAuthenticationTokenException: { code: 'upstream_authentication', status: 401, retryable: false },
  ExpiredTokenException: { code: 'upstream_authentication', status: 401, retryable: false },
  InvalidClientTokenId: { code: 'upstream_authentication', status: 401, retryable: false },
  ResourceNotFoundException: { code: 'upstream_not_found', status: 404, retryable: false },
  ModelNotReadyException: { code: 'upstream_overloaded', status: 429, retryable: true },
  ModelTimeoutException: { code: 'upstream_timeout', status: 408, retryable: true },
  ServiceUnavailableException: { code: 'upstream_overloaded', status: 503, retryable: true },
  InternalServerException: { code: 'upstream_error', status: 500, retryable: true },
  ModelErrorException: { code: 'upstream_error', status: 424, retryable: true },
  ModelStreamErrorException: { code: 'stream_error', status: 424, retryable: true },
};

const CONTEXT_PATTERN =
  /too many (input )?tokens|input is too long|prompt is too long|context (window|length)|maximum context|exceeds? the (model'?s? )?(maximum|context)|too long for the model/i;
const FILTER_PATTERN = /content filter|blocked by (our |the )?content|responsible ai polic/i;

/** "ThrottlingException:http://..." or "com.amazon...#ThrottlingException" → "ThrottlingException". */
export function bedrockErrorName(raw: string): string {
  let name = raw.trim();
  const colon = name.indexOf(':');
  if (colon !== -1) name = name.slice(0, colon);
  const hash = name.lastIndexOf('#');
  if (hash !== -1) name = name.slice(hash + 1);
  return name;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Build the canonical error for an error kind and message (shared by HTTP and stream errors). */
export function bedrockError(provider: string, name: string | undefined, status: number | undefined, message: string | undefined, extra: { body?: string; retryAfterMs?: number; headers?: Record<string, string> } = {}): GatewayError {
  const kind = name === undefined ? undefined : KINDS[name];
  let { code, retryable } = kind ?? (status === undefined ? { code: 'upstream_error' as ErrorCode, retryable: true } : classifyUpstreamStatus(status));
  const text = message ?? `Provider "${provider}" answered with ${name ?? `HTTP ${status}`}`;
  if ((code === 'upstream_bad_request' || code === 'upstream_error') && CONTEXT_PATTERN.test(text)) {
    code = 'context_length_exceeded';
    retryable = false;
  } else if (FILTER_PATTERN.test(text)) {
    code = 'content_filtered';
    retryable = false;
  }
  const answerStatus = kind?.status ?? status ?? 502;
  return new GatewayError({
    code,
    status: code === 'context_length_exceeded' || code === 'content_filtered' ? 400 : answerStatus,
    retryable,
    message: text,
    ...(extra.retryAfterMs === undefined || !retryable ? {} : { retryAfterMs: extra.retryAfterMs }),
    upstream: {
      provider,
      ...(status === undefined ? {} : { status }),
      ...(name === undefined ? {} : { type: name }),
      message: text,
      ...(extra.body === undefined ? {} : { body: extra.body.slice(0, 4096) }),
      ...(extra.headers === undefined ? {} : { headers: extra.headers }),
    },
  });
}

/** Map a Bedrock HTTP error response to a canonical error. */
export function mapBedrockError(provider: string, status: number, headers: IncomingHttpHeaders, bodyText: string): GatewayError {
  const body = tryParseJson(bodyText);
  const record = isRecord(body) ? body : {};
  const rawType = header(headers, 'x-amzn-errortype') ?? (typeof record.__type === 'string' ? record.__type : typeof record.code === 'string' ? record.code : undefined);
  const name = rawType === undefined ? undefined : bedrockErrorName(rawType);
  const message = typeof record.message === 'string' ? record.message : typeof record.Message === 'string' ? record.Message : undefined;
  const requestId = header(headers, 'x-amzn-requestid');
  const retryAfterMs = parseRetryAfter(headers);
  return bedrockError(provider, name, status, message, {
    body: bodyText,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(requestId === undefined ? {} : { headers: { 'x-amzn-requestid': requestId } }),
  });
}

/**
 * An exception inside an event stream (`:message-type: exception`, `:exception-type:
 * throttlingException`, payload `{"message": ...}`) or an unmodelled error (`:message-type:
 * error`, `:error-code`, `:error-message`).
 */
export function mapBedrockStreamException(provider: string, type: string, payload: unknown): GatewayError {
  const record = isRecord(payload) ? payload : {};
  const name = type === '' ? undefined : type.charAt(0).toUpperCase() + type.slice(1);
  const message = typeof record.message === 'string' ? record.message : typeof record.Message === 'string' ? record.Message : undefined;
  const original = typeof record.originalStatusCode === 'number' ? record.originalStatusCode : undefined;
  const error = bedrockError(provider, name, original, message, { body: JSON.stringify(payload ?? null) });
  return error.code === 'upstream_error'
    ? new GatewayError({ code: 'stream_error', status: 502, retryable: true, message: error.message, ...(error.upstream === undefined ? {} : { upstream: error.upstream }) })
    : error;
}
