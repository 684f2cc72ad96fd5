import type { GatewayError } from '../../core/index.js';
import { errorHeaders } from '../openai/encode-error.js';
import type { EncodedError } from '../surface.js';
import { bedrockExceptionName } from './bedrock-exception-names.js';

/**
 * Canonical error → Bedrock's error shape: `{"message": ...}` with the kind in
 * `x-amzn-ErrorType`, which the AWS SDK turns into its exception class (ThrottlingException,
 * ValidationException, ...). The request id is sent as `x-amzn-RequestId` as well.
 */
export function encodeBedrockError(error: GatewayError): EncodedError {
  const headers = errorHeaders(error);
  headers['x-amzn-errortype'] = bedrockExceptionName(error);
  return { status: error.status, headers, body: JSON.stringify({ message: error.message }) };
}
