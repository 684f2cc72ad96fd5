import type { ChatSurface, EmbeddingSurface } from '../surface.js';
import { decodeGenAiChatRequest } from './decode-genai-request.js';
import { encodeGenAiError } from './encode-genai-error.js';
import { encodeGenAiResponse } from './encode-genai-response.js';
import {
  decodeGenAiBatchEmbedRequest,
  decodeGenAiEmbedRequest,
  encodeGenAiBatchEmbedResponse,
  encodeGenAiEmbedResponse,
} from './genai-embeddings.js';
import { GenAiStreamEncoder } from './genai-stream-encoder.js';

/** The Google GenAI API (Gemini's own REST dialect) for generateContent / streamGenerateContent. */
export function genAiChatSurface(stream: boolean): ChatSurface {
  return {
    name: 'genai',
    dialect: 'gemini',
    encodeError: encodeGenAiError,
    decodeChatRequest: (body, info) => decodeGenAiChatRequest(body, info, stream),
    encodeChatResponse: (response, _request, info) => encodeGenAiResponse(response, info),
    createStreamEncoder: (request, info) => new GenAiStreamEncoder(request, info),
  };
}

export const genAiGenerateSurface = genAiChatSurface(false);
export const genAiStreamSurface = genAiChatSurface(true);

export const genAiEmbedSurface: EmbeddingSurface = {
  name: 'genai',
  dialect: 'gemini',
  encodeError: encodeGenAiError,
  decodeEmbeddingRequest: decodeGenAiEmbedRequest,
  encodeEmbeddingResponse: (response) => encodeGenAiEmbedResponse(response),
};

export const genAiBatchEmbedSurface: EmbeddingSurface = {
  name: 'genai',
  dialect: 'gemini',
  encodeError: encodeGenAiError,
  decodeEmbeddingRequest: decodeGenAiBatchEmbedRequest,
  encodeEmbeddingResponse: (response) => encodeGenAiBatchEmbedResponse(response),
};
