import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError, type ErrorCode } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import { classifyUpstreamStatus } from '../openai/map-openai-error.js';
import { parseRetryAfter } from '../shared/parse-retry-after.js';

/** "too many tokens: total number of tokens in the prompt cannot exceed 4081 - received 4292." */
const CONTEXT_PATTERN = /too many tokens|context length|exceeds? (?:the )?(?:maximum|limit)/i;

/** Cohere error bodies have no envelope: {"id": "...", "message": "..."} (sometimes "data"). */
export function readCohereErrorBody(bodyText: string): { message?: string; id?: string } {
  const body = tryParseJson(bodyText);
  if (!isRecord(body)) return {};
  const out: { message?: string; id?: string } = {};
  const message = body.message ?? body.data ?? (isRecord(body.error) ? body.error.message : body.error);
  if (typeof message === 'string') out.message = message;
  if (typeof body.id === 'string') out.id = body.id;
  return out;
}

/**
 * Cohere's HTTP statuses → canonical errors. https://docs.cohere.com/reference/errors:
 * 400 (bad request; "too many tokens" is the context limit), 401 and 498 (invalid token),
 * 402 (payment required: billing, not retryable), 404, 422, 429 (rate or trial limit),
 * 499 (request cancelled), 500, 501, 503, 504.
 */
export function mapCohereError(provider: string, status: number, headers: IncomingHttpHeaders, bodyText: string): GatewayError {
  const details = readCohereErrorBody(bodyText);
  const message = details.message ?? `Provider "${provider}" answered with HTTP ${status}`;
  let { code, retryable }: { code: ErrorCode; retryable: boolean } = classifyUpstreamStatus(status);
  if (status === 498) ({ code, retryable } = { code: 'upstream_authentication', retryable: false });
  else if (status === 402) ({ code, retryable } = { code: 'upstream_permission', retryable: false });
  else if (status === 504) ({ code, retryable } = { code: 'upstream_timeout', retryable: true });
  else if (status === 499) ({ code, retryable } = { code: 'upstream_error', retryable: true });
  if ((status === 400 || status === 422) && CONTEXT_PATTERN.test(message)) code = 'context_length_exceeded';
  const retryAfterMs = status === 429 || status >= 500 ? parseRetryAfter(headers) : undefined;
  return new GatewayError({
    code,
    status: status === 498 ? 401 : status === 499 ? 502 : status,
    retryable,
    message,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    upstream: {
      provider,
      status,
      message,
      body: bodyText.slice(0, 4096),
    },
  });
}
