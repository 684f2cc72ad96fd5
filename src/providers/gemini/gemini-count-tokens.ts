import { isRecord } from '../../json/parse-json.js';
import type { TokenCountAdapter } from '../provider.js';
import type { ContentsOptions } from './convert-to-gemini-contents.js';
import { convertToGeminiRequest } from './convert-to-gemini-request.js';
import { readTokenCount } from '../shared/read-token-count.js';

type Json = Record<string, unknown>;

/**
 * A countTokens body for a GenAI-format CountTokensRequest: the Gemini API takes the generate
 * request under `generateContentRequest` (its `model` set), Vertex takes its fields at the top
 * level. A body without `generateContentRequest` (plain `contents`) is sent as it is.
 */
export function countTokensBody(body: Json, model: string, vertex: boolean): Json {
  const inner = isRecord(body.generateContentRequest) ? body.generateContentRequest : undefined;
  if (inner === undefined) return body;
  if (!vertex) return { ...body, generateContentRequest: { ...inner, model: `models/${model}` } };
  const flat: Json = {};
  for (const field of ['contents', 'systemInstruction', 'tools', 'generationConfig']) if (inner[field] !== undefined) flat[field] = inner[field];
  return flat;
}

/**
 * Token counting for canonical requests (the Anthropic surface's count_tokens, and the other
 * surfaces that count): the request converted as for generateContent and sent to
 * `models/{model}:countTokens` → `{"totalTokens": n}`.
 * https://ai.google.dev/api/tokens#method:-models.counttokens
 */
export function createGeminiCountTokens(
  providerId: string,
  vertex: boolean,
  conversion: (model: string) => ContentsOptions,
  post: (model: string, body: string) => ReturnType<TokenCountAdapter['buildRequest']>,
): TokenCountAdapter {
  return {
    buildRequest(request, context) {
      const generate = convertToGeminiRequest({ ...request, stream: false }, conversion(context.model), context.warnings);
      return post(context.model, JSON.stringify(countTokensBody({ generateContentRequest: generate }, context.model, vertex)));
    },
    decodeResponse: (body) => readTokenCount(body, 'totalTokens', providerId),
  };
}
