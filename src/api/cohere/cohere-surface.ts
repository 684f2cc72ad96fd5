import type { ChatSurface, EmbeddingSurface, RerankSurface } from '../surface.js';
import { decodeCohereEmbedRequest, encodeCohereEmbedResponse } from './cohere-embed.js';
import { decodeRerankBody, encodeCohereRerankResponse } from './cohere-rerank.js';
import { CohereChatStreamEncoder } from './cohere-chat-stream-encoder.js';
import { decodeCohereChatRequest } from './decode-cohere-chat-request.js';
import { encodeCohereChatResponse } from './encode-cohere-chat-response.js';
import { encodeCohereError } from './encode-cohere-error.js';

/** The Cohere v2 API as clients see it: chat (and its stream), embed, rerank. */
export const cohereSurface: ChatSurface & EmbeddingSurface & RerankSurface = {
  name: 'cohere',
  dialect: 'cohere-v2',
  encodeError: encodeCohereError,
  decodeChatRequest: (body) => decodeCohereChatRequest(body),
  encodeChatResponse: (response, _request, info) => encodeCohereChatResponse(response, info),
  createStreamEncoder: (_request, info) => new CohereChatStreamEncoder(info),
  decodeEmbeddingRequest: (body) => decodeCohereEmbedRequest(body),
  encodeEmbeddingResponse: (response, request, info) => encodeCohereEmbedResponse(response, request, info.requestId),
  decodeRerankRequest: (body) => decodeRerankBody(body, 'cohere'),
  encodeRerankResponse: (response, request, info) => encodeCohereRerankResponse(response, request, info.requestId),
};
