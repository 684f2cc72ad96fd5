import { encodeMessagesResponse } from '../anthropic/encode-messages-response.js';
import type { ChatSurface } from '../surface.js';
import { decodeInvokeRequest } from './decode-invoke-request.js';
import { encodeBedrockError } from './encode-bedrock-error.js';
import { InvokeStreamEncoder } from './invoke-stream-encoder.js';

/**
 * Bedrock InvokeModel (stream = false) or InvokeModelWithResponseStream (stream = true) with
 * Claude's Anthropic Messages bodies. Its own dialect: the body is never forwarded as-is.
 */
export function createInvokeSurface(stream: boolean): ChatSurface {
  return {
    name: 'bedrock',
    dialect: 'bedrock-invoke',
    encodeError: encodeBedrockError,
    decodeChatRequest: (body, info) => decodeInvokeRequest(body, info, stream),
    encodeChatResponse: (response, _request, info) => encodeMessagesResponse(response, info),
    createStreamEncoder: (request, info) => new InvokeStreamEncoder(request, info),
  };
}

export const invokeSurface = createInvokeSurface(false);
export const invokeStreamSurface = createInvokeSurface(true);
