import { GatewayError, type ErrorCode } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';

interface Classified {
  code: ErrorCode;
  status: number;
  retryable: boolean;
}

/**
 * Error codes the Responses API reports inside a stream (`error` events, `response.failed`)
 * or on a failed response object, where no HTTP status tells their kind.
 * https://platform.openai.com/docs/api-reference/responses-streaming/error and
 * https://platform.openai.com/docs/api-reference/responses/object#responses/object-error
 */
function classify(code: string | undefined, type: string | undefined): Classified {
  const key = code ?? type ?? '';
  if (key === 'rate_limit_exceeded') return { code: 'upstream_rate_limited', status: 429, retryable: true };
  if (key === 'insufficient_quota') return { code: 'upstream_rate_limited', status: 429, retryable: false };
  if (key === 'context_length_exceeded') return { code: 'context_length_exceeded', status: 400, retryable: false };
  if (key === 'content_filter' || key === 'image_content_policy_violation' || key === 'content_policy_violation') {
    return { code: 'content_filtered', status: 400, retryable: false };
  }
  if (key === 'server_error' || key === 'internal_error' || key === 'vector_store_timeout') return { code: 'stream_error', status: 502, retryable: true };
  if (key === 'overloaded' || key === 'service_unavailable') return { code: 'upstream_overloaded', status: 503, retryable: true };
  if (key.startsWith('invalid_') || key.startsWith('image_') || key.endsWith('_image') || key === 'empty_image_file' || key === 'failed_to_download_image' || key === 'unsupported_image_media_type') {
    return { code: 'upstream_bad_request', status: 400, retryable: false };
  }
  return { code: 'stream_error', status: 502, retryable: true };
}

/**
 * A Responses error object ({code, message, type?, param?}) reported without an HTTP status → a
 * canonical error that keeps what the provider said.
 */
export function mapResponsesErrorObject(provider: string, error: unknown): GatewayError {
  const record = isRecord(error) ? error : {};
  const code = typeof record.code === 'string' ? record.code : undefined;
  const type = typeof record.type === 'string' ? record.type : undefined;
  const message = typeof record.message === 'string' ? record.message : `Provider "${provider}" reported a failure in the response`;
  const classified = classify(code, type);
  return new GatewayError({
    ...classified,
    message,
    upstream: {
      provider,
      family: 'openai',
      message,
      ...(code === undefined ? {} : { code }),
      ...(type === undefined ? {} : { type }),
      ...(typeof record.param === 'string' || record.param === null ? { param: record.param as string | null } : {}),
      body: JSON.stringify(error).slice(0, 4096),
    },
  });
}
