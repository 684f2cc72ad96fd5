import type { ErrorCode, GatewayError } from '../../core/index.js';

/** Bedrock Runtime error names (the `x-amzn-ErrorType` values the AWS SDK turns into exception classes). */
const NAME_FOR_CODE: Partial<Record<ErrorCode, string>> = {
  invalid_json: 'ValidationException',
  invalid_request: 'ValidationException',
  payload_too_large: 'ValidationException',
  unsupported_parameter: 'ValidationException',
  not_supported: 'ValidationException',
  ambiguous_model: 'ValidationException',
  upstream_bad_request: 'ValidationException',
  context_length_exceeded: 'ValidationException',
  content_filtered: 'ValidationException',
  method_not_allowed: 'ValidationException',
  not_found: 'ResourceNotFoundException',
  model_not_found: 'ResourceNotFoundException',
  provider_not_found: 'ResourceNotFoundException',
  upstream_not_found: 'ResourceNotFoundException',
  authentication_failed: 'UnrecognizedClientException',
  permission_denied: 'AccessDeniedException',
  upstream_permission: 'AccessDeniedException',
  upstream_authentication: 'AccessDeniedException',
  rate_limited: 'ThrottlingException',
  upstream_rate_limited: 'ThrottlingException',
  queue_full: 'ThrottlingException',
  budget_exceeded: 'ServiceQuotaExceededException',
  upstream_overloaded: 'ServiceUnavailableException',
  // The provider cannot be reached (connection refused or broken): unavailable, as a 502 is.
  upstream_unreachable: 'ServiceUnavailableException',
  no_providers: 'ServiceUnavailableException',
  shutting_down: 'ServiceUnavailableException',
  upstream_timeout: 'ModelTimeoutException',
  stream_error: 'ModelStreamErrorException',
};

/** Names a Bedrock provider may report that the client SDK knows as exception classes. */
const MODELLED = new Set([
  'AccessDeniedException',
  'InternalServerException',
  'ThrottlingException',
  'ValidationException',
  'ConflictException',
  'ResourceNotFoundException',
  'ServiceQuotaExceededException',
  'ServiceUnavailableException',
  'ModelErrorException',
  'ModelNotReadyException',
  'ModelTimeoutException',
  'ModelStreamErrorException',
  'UnrecognizedClientException',
  'ExpiredTokenException',
]);

/**
 * The Bedrock error name for a canonical error. When the answer came from Bedrock itself, its
 * own name is kept (same-dialect errors pass through); otherwise the canonical code decides.
 */
export function bedrockExceptionName(error: GatewayError): string {
  const upstream = error.upstream?.type;
  if (upstream !== undefined && MODELLED.has(upstream)) return upstream;
  return NAME_FOR_CODE[error.code] ?? 'InternalServerException';
}

/** Members of the ConverseStream output union that are exceptions (camel-cased event names). */
const CONVERSE_STREAM_EXCEPTIONS = new Set(['internalServerException', 'modelStreamErrorException', 'validationException', 'throttlingException', 'serviceUnavailableException']);
/** InvokeModelWithResponseStream adds modelTimeoutException. */
const INVOKE_STREAM_EXCEPTIONS = new Set([...CONVERSE_STREAM_EXCEPTIONS, 'modelTimeoutException']);

/** The `:exception-type` for an error inside a stream, limited to what the stream's union models. */
export function streamExceptionType(error: GatewayError, stream: 'converse' | 'invoke'): string {
  const name = bedrockExceptionName(error);
  const member = name.charAt(0).toLowerCase() + name.slice(1);
  const allowed = stream === 'converse' ? CONVERSE_STREAM_EXCEPTIONS : INVOKE_STREAM_EXCEPTIONS;
  if (allowed.has(member)) return member;
  if (member === 'modelTimeoutException' || member === 'modelErrorException') return 'modelStreamErrorException';
  if (member === 'serviceQuotaExceededException' || member === 'modelNotReadyException') return 'throttlingException';
  if (member === 'resourceNotFoundException' || member === 'accessDeniedException' || member === 'unrecognizedClientException') return 'validationException';
  return 'internalServerException';
}
