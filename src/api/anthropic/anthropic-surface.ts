import type { ChatSurface } from '../surface.js';
import { decodeMessagesRequest } from './decode-messages-request.js';
import { encodeAnthropicError } from './encode-anthropic-error.js';
import { encodeMessagesResponse } from './encode-messages-response.js';
import { MessagesStreamEncoder } from './messages-stream-encoder.js';

/** The Anthropic Messages API as clients see it (/anthropic/v1/messages). */
export const anthropicSurface: ChatSurface = {
  name: 'anthropic',
  dialect: 'anthropic-messages',
  encodeError: encodeAnthropicError,
  decodeChatRequest: (body, info) => decodeMessagesRequest(body, info.headers),
  encodeChatResponse: (response, _request, info) => encodeMessagesResponse(response, info),
  createStreamEncoder: (request, info) => new MessagesStreamEncoder(request, info),
};
