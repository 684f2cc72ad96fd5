import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError, type ErrorCode } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import { parseRetryAfter } from '../shared/parse-retry-after.js';

/** Fields of a google.rpc.Status error body: {"error": {"code", "message", "status", "details"}}. */
export interface GeminiErrorBody {
  code?: number;
  message?: string;
  status?: string;
  details?: unknown[];
}

export function readGeminiErrorBody(bodyText: string): GeminiErrorBody {
  const parsed = tryParseJson(bodyText);
  // Some Google front ends wrap the status in a one-element array.
  const body = Array.isArray(parsed) ? parsed[0] : parsed;
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  if (error === undefined) return {};
  const out: GeminiErrorBody = {};
  if (typeof error.code === 'number') out.code = error.code;
  if (typeof error.message === 'string') out.message = error.message;
  if (typeof error.status === 'string') out.status = error.status;
  if (Array.isArray(error.details)) out.details = error.details;
  return out;
}

function detail(details: unknown[] | undefined, type: string): Record<string, unknown> | undefined {
  return details?.find((item): item is Record<string, unknown> => isRecord(item) && typeof item['@type'] === 'string' && item['@type'].endsWith(type));
}

/** google.protobuf.Duration JSON ("34.4s", "1.5s", "60s") → milliseconds. */
export function parseProtoDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match === null ? undefined : Math.ceil(Number(match[1]) * 1000);
}

const CONTEXT_PATTERN = /exceeds the maximum number of tokens|input token count.*exceeds|context (length|window)|too many tokens|request payload size exceeds/i;
const AUTH_REASONS = new Set(['API_KEY_INVALID', 'API_KEY_EXPIRED', 'ACCESS_TOKEN_EXPIRED', 'ACCESS_TOKEN_TYPE_UNSUPPORTED', 'CREDENTIALS_MISSING']);

function classify(status: number, rpcStatus: string | undefined, reason: string | undefined, message: string): { code: ErrorCode; status: number; retryable: boolean } {
  if (reason !== undefined && AUTH_REASONS.has(reason)) return { code: 'upstream_authentication', status: 401, retryable: false };
  switch (rpcStatus) {
    case 'UNAUTHENTICATED':
      return { code: 'upstream_authentication', status: 401, retryable: false };
    case 'PERMISSION_DENIED':
      return { code: 'upstream_permission', status: 403, retryable: false };
    case 'NOT_FOUND':
      return { code: 'upstream_not_found', status: 404, retryable: false };
    case 'RESOURCE_EXHAUSTED':
      return { code: 'upstream_rate_limited', status: 429, retryable: true };
    case 'UNAVAILABLE':
      return { code: 'upstream_overloaded', status: 503, retryable: true };
    case 'DEADLINE_EXCEEDED':
      return { code: 'upstream_timeout', status: 504, retryable: true };
    case 'INTERNAL':
    case 'UNKNOWN':
    case 'ABORTED':
      return { code: 'upstream_error', status: status >= 500 ? status : 500, retryable: true };
    case 'INVALID_ARGUMENT':
    case 'FAILED_PRECONDITION':
    case 'OUT_OF_RANGE':
      return { code: CONTEXT_PATTERN.test(message) ? 'context_length_exceeded' : 'upstream_bad_request', status: 400, retryable: false };
    default:
      break;
  }
  if (status === 400 || status === 413) return { code: CONTEXT_PATTERN.test(message) ? 'context_length_exceeded' : 'upstream_bad_request', status, retryable: false };
  if (status === 401) return { code: 'upstream_authentication', status, retryable: false };
  if (status === 403) return { code: 'upstream_permission', status, retryable: false };
  if (status === 404) return { code: 'upstream_not_found', status, retryable: false };
  if (status === 429) return { code: 'upstream_rate_limited', status, retryable: true };
  if (status === 503) return { code: 'upstream_overloaded', status, retryable: true };
  if (status === 504) return { code: 'upstream_timeout', status, retryable: true };
  return { code: 'upstream_error', status, retryable: status >= 500 };
}

/**
 * Map a Gemini / Vertex AI error answer (google.rpc.Status) to a canonical error.
 * https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes
 * - The rpc `status` decides the code; an invalid API key comes as 400 INVALID_ARGUMENT with
 *   ErrorInfo reason API_KEY_INVALID and is reported as an authentication failure (401).
 * - RESOURCE_EXHAUSTED carries google.rpc.RetryInfo.retryDelay ("34.4s") → retryAfterMs; a
 *   Retry-After header is used when the body has none.
 * - A quota that is exhausted for the day/billing (QuotaFailure without RetryInfo) is still
 *   retryable on another key or provider.
 */
export function mapGeminiError(provider: string, status: number, headers: IncomingHttpHeaders, bodyText: string): GatewayError {
  const body = readGeminiErrorBody(bodyText);
  const message = body.message ?? `Provider "${provider}" answered with HTTP ${status}`;
  const info = detail(body.details, 'google.rpc.ErrorInfo');
  const reason = typeof info?.reason === 'string' ? info.reason : undefined;
  const classified = classify(status, body.status, reason, message);
  const retryInfo = detail(body.details, 'google.rpc.RetryInfo');
  const retryAfterMs =
    parseProtoDuration(retryInfo?.retryDelay) ?? (status === 429 || status >= 500 ? parseRetryAfter(headers) : undefined);
  const code = /\b(blocked|prohibited content)\b/i.test(message) && classified.code === 'upstream_bad_request' ? 'content_filtered' : classified.code;
  return new GatewayError({
    code,
    status: classified.status,
    retryable: classified.retryable,
    message,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    upstream: {
      provider,
      status,
      message,
      ...(body.status === undefined ? {} : { type: body.status }),
      ...(reason === undefined ? {} : { code: reason }),
      body: bodyText.slice(0, 4096),
    },
  });
}
