import type { EmbeddingRequest, EmbeddingResponse, Warning } from '../../core/index.js';
import { GatewayError } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import { warnForeignProviderOptions } from '../shared/foreign-provider-options.js';
import { convertCohereUsage } from './convert-cohere-usage.js';

const FAMILIES = ['cohere'] as const;

/**
 * Cohere needs `input_type` for embed v3 and newer. Clients of other dialects can send it as an
 * extra `input_type` body field (as LiteLLM accepts); otherwise documents are assumed.
 */
const DEFAULT_INPUT_TYPE = 'search_document';

function inputTypeOf(request: EmbeddingRequest): string | undefined {
  if (request.inputType !== undefined) return request.inputType;
  for (const family in request.providerOptions) {
    const value = request.providerOptions[family]?.input_type;
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/** Canonical embedding request → Cohere /v2/embed. https://docs.cohere.com/reference/embed */
export function convertToCohereEmbedRequest(request: EmbeddingRequest, model: string, providerName: string, warnings: Warning[]): Record<string, unknown> {
  const texts: string[] = [];
  for (const item of request.input) {
    if (typeof item !== 'string') {
      throw new GatewayError({ code: 'unsupported_parameter', status: 400, param: 'input', message: `${providerName} embeds text only; token arrays cannot be sent` });
    }
    texts.push(item);
  }
  let inputType = inputTypeOf(request);
  if (inputType === undefined) {
    inputType = DEFAULT_INPUT_TYPE;
    warnings.push({
      code: 'other',
      param: 'input_type',
      message: `Cohere requires an input_type; "${DEFAULT_INPUT_TYPE}" was sent (pass input_type: "search_query" for queries)`,
    });
  }
  // Floats are always asked for: OpenAI-style base64 is produced from them by the surface.
  const body: Record<string, unknown> = { model, texts, input_type: inputType, embedding_types: ['float'] };
  if (request.dimensions !== undefined) body.output_dimension = request.dimensions;
  if (request.user !== undefined) warnings.push({ code: 'unsupported-parameter', param: 'user', message: `user is not supported by ${providerName} and was not sent` });
  const own = request.providerOptions?.cohere;
  if (own !== undefined) Object.assign(body, own);
  const foreign = { ...request.providerOptions };
  for (const family in foreign) {
    if (foreign[family]?.input_type === undefined) continue;
    const { input_type: _consumed, ...rest } = foreign[family]!;
    foreign[family] = rest;
  }
  warnForeignProviderOptions(foreign, FAMILIES, providerName, warnings);
  return body;
}

/**
 * Cohere embed response → canonical. Vectors come keyed by type (`embeddings.float`, `.int8`,
 * `.base64`, ...); floats (else base64) become the canonical vectors and the whole object is kept
 * in providerMetadata.cohere.embeddings for a Cohere surface.
 */
export function decodeCohereEmbedResponse(body: unknown, provider: string, model: string): EmbeddingResponse {
  const byType = isRecord(body) ? body.embeddings : undefined;
  const vectors = isRecord(byType) ? (byType.float ?? byType.base64) : Array.isArray(byType) ? byType : undefined;
  if (!isRecord(body) || !Array.isArray(vectors)) {
    throw new GatewayError({
      code: 'upstream_bad_response',
      status: 502,
      retryable: true,
      message: `Provider "${provider}" returned an embed response without float embeddings`,
      upstream: { provider },
    });
  }
  const response: EmbeddingResponse = { model, embeddings: vectors as Array<number[] | string> };
  const usage = convertCohereUsage(body.meta);
  if (usage !== undefined) response.usage = usage;
  const metadata: Record<string, unknown> = {};
  if (typeof body.id === 'string') metadata.id = body.id;
  if (isRecord(byType)) metadata.embeddings = byType;
  if (isRecord(body.meta)) metadata.meta = body.meta;
  response.providerMetadata = { cohere: metadata };
  return response;
}
