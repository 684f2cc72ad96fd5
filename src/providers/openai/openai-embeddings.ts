import type { EmbeddingRequest, EmbeddingResponse, Warning } from '../../core/index.js';
import { GatewayError } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import { warnForeignProviderOptions } from '../shared/foreign-provider-options.js';
import { convertOpenAiUsage } from './convert-openai-usage.js';

/** Canonical embedding request → OpenAI /embeddings body. */
export function convertToOpenAiEmbeddingRequest(
  request: EmbeddingRequest,
  model: string,
  providerName: string,
  families: readonly string[],
  warnings: Warning[],
): Record<string, unknown> {
  const input = request.input.length === 1 ? request.input[0] : request.input;
  const body: Record<string, unknown> = { model, input };
  if (request.encodingFormat !== undefined) body.encoding_format = request.encodingFormat;
  if (request.dimensions !== undefined) body.dimensions = request.dimensions;
  if (request.user !== undefined) body.user = request.user;
  if (request.inputType !== undefined) {
    warnings.push({ code: 'unsupported-parameter', param: 'input_type', message: `${providerName} embeddings take no input type; it was not sent` });
  }
  for (const family of families) if (request.providerOptions?.[family]) Object.assign(body, request.providerOptions[family]);
  warnForeignProviderOptions(request.providerOptions, families, providerName, warnings);
  return body;
}

/** OpenAI embeddings list → canonical, vectors ordered by their `index`. */
export function decodeOpenAiEmbeddingResponse(body: unknown, provider: string): EmbeddingResponse {
  if (!isRecord(body) || !Array.isArray(body.data)) {
    throw new GatewayError({
      code: 'upstream_bad_response',
      status: 502,
      retryable: true,
      message: `Provider "${provider}" returned an embeddings response without data`,
      upstream: { provider },
    });
  }
  const items = body.data.filter(isRecord);
  items.sort((a, b) => (Number(a.index) || 0) - (Number(b.index) || 0));
  const response: EmbeddingResponse = {
    model: typeof body.model === 'string' ? body.model : '',
    embeddings: items.map((item) => item.embedding as number[] | string),
  };
  const usage = convertOpenAiUsage(body.usage);
  if (usage !== undefined) response.usage = usage;
  return response;
}
