import type { ChatSurface } from '../surface.js';
import { ConverseStreamEncoder } from './converse-stream-encoder.js';
import { decodeConverseRequest } from './decode-converse-request.js';
import { encodeBedrockError } from './encode-bedrock-error.js';
import { encodeConverseResponse } from './encode-converse-response.js';

/** Bedrock Converse (stream = false) or ConverseStream (stream = true) as clients see it. */
export function createConverseSurface(stream: boolean): ChatSurface {
  return {
    name: 'bedrock',
    dialect: 'bedrock-converse',
    encodeError: encodeBedrockError,
    decodeChatRequest: (body, info) => decodeConverseRequest(body, info, stream),
    encodeChatResponse: encodeConverseResponse,
    createStreamEncoder: (_request, info) => new ConverseStreamEncoder(info),
  };
}

export const converseSurface = createConverseSurface(false);
export const converseStreamSurface = createConverseSurface(true);
