import type { ChatSurface, CompletionSurface, EmbeddingSurface } from '../surface.js';
import { OpenAiChatStreamEncoder } from './chat-stream-encoder.js';
import { decodeOpenAiChatRequest } from './decode-chat-request.js';
import { decodeOpenAiCompletionRequest, encodeOpenAiCompletionResponse, OpenAiCompletionStreamEncoder } from './completions.js';
import { encodeOpenAiChatResponse } from './encode-chat-response.js';
import { encodeOpenAiError } from './encode-error.js';
import { decodeOpenAiEmbeddingRequest, encodeOpenAiEmbeddingResponse } from './embeddings.js';

/** The OpenAI API as clients see it: chat completions, completions, embeddings, models. */
export const openAiSurface: ChatSurface & EmbeddingSurface & CompletionSurface = {
  name: 'openai',
  dialect: 'openai-chat',
  encodeError: encodeOpenAiError,
  decodeChatRequest: (body) => decodeOpenAiChatRequest(body),
  encodeChatResponse: (response, _request, info) => encodeOpenAiChatResponse(response, info),
  createStreamEncoder: (request, info) => new OpenAiChatStreamEncoder(request, info),
  decodeEmbeddingRequest: (body) => decodeOpenAiEmbeddingRequest(body),
  encodeEmbeddingResponse: (response, request, info) => encodeOpenAiEmbeddingResponse(response, request, info.model),
  decodeCompletionRequest: (body) => decodeOpenAiCompletionRequest(body),
  encodeCompletionResponse: (response, info) => encodeOpenAiCompletionResponse(response, info),
  createCompletionStreamEncoder: (request, info) => new OpenAiCompletionStreamEncoder(request, info),
};
