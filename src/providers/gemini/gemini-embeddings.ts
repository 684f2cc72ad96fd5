import type { EmbeddingRequest, EmbeddingResponse, Usage, Warning } from '../../core/index.js';
import { GatewayError } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import { warnForeignProviderOptions } from '../shared/foreign-provider-options.js';
import { GEMINI_FAMILY } from './gemini-wire.js';

type Json = Record<string, unknown>;

const TASK_TYPES: Record<string, string> = {
  search_query: 'RETRIEVAL_QUERY',
  query: 'RETRIEVAL_QUERY',
  search_document: 'RETRIEVAL_DOCUMENT',
  document: 'RETRIEVAL_DOCUMENT',
  classification: 'CLASSIFICATION',
  clustering: 'CLUSTERING',
  similarity: 'SEMANTIC_SIMILARITY',
};

/** Canonical input type (Cohere-style or Gemini's own) → Gemini taskType. */
export function geminiTaskType(inputType: string): string {
  return TASK_TYPES[inputType.toLowerCase()] ?? inputType.toUpperCase();
}

function texts(request: EmbeddingRequest, providerName: string): string[] {
  return request.input.map((item) => {
    if (typeof item === 'string') return item;
    throw new GatewayError({
      code: 'not_supported',
      status: 400,
      param: 'input',
      message: `${providerName} embeds text only; token-array inputs cannot be sent to it`,
    });
  });
}

function commonWarnings(request: EmbeddingRequest, providerName: string, warnings: Warning[]): void {
  if (request.user !== undefined) {
    warnings.push({ code: 'unsupported-parameter', param: 'user', message: `user is not supported by ${providerName} embeddings and was not sent` });
  }
  warnForeignProviderOptions(request.providerOptions, [GEMINI_FAMILY], providerName, warnings);
}

/**
 * Canonical embeddings → the Gemini API: one input is an `embedContent` call, several are one
 * `batchEmbedContents` call (each request names the model, as the API requires).
 * https://ai.google.dev/api/embeddings
 */
export function convertToGeminiEmbeddingRequest(
  request: EmbeddingRequest,
  model: string,
  providerName: string,
  warnings: Warning[],
): { batch: boolean; body: Json } {
  const inputs = texts(request, providerName);
  commonWarnings(request, providerName, warnings);
  const one = (text: string): Json => {
    const item: Json = { content: { parts: [{ text }] } };
    if (request.inputType !== undefined) item.taskType = geminiTaskType(request.inputType);
    if (request.dimensions !== undefined) item.outputDimensionality = request.dimensions;
    return { ...item, ...request.providerOptions?.gemini };
  };
  if (inputs.length === 1) return { batch: false, body: one(inputs[0]!) };
  return { batch: true, body: { requests: inputs.map((text) => ({ model: `models/${model}`, ...one(text) })) } };
}

function badResponse(provider: string): GatewayError {
  return new GatewayError({
    code: 'upstream_bad_response',
    status: 502,
    retryable: true,
    message: `Provider "${provider}" returned an embeddings response without embeddings`,
    upstream: { provider },
  });
}

function values(embedding: unknown): number[] {
  return isRecord(embedding) && Array.isArray(embedding.values) ? (embedding.values as number[]) : [];
}

/** `{embedding: {values}}` or `{embeddings: [{values}]}` → canonical. The Gemini API reports no token usage here. */
export function decodeGeminiEmbeddingResponse(body: unknown, model: string, provider: string): EmbeddingResponse {
  if (!isRecord(body)) throw badResponse(provider);
  if (isRecord(body.embedding)) return { model, embeddings: [values(body.embedding)] };
  if (Array.isArray(body.embeddings)) return { model, embeddings: body.embeddings.map(values) };
  throw badResponse(provider);
}

/**
 * Canonical embeddings → Vertex AI `:predict` for text-embedding / gemini-embedding models.
 * https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/text-embeddings-api
 */
export function convertToVertexEmbeddingRequest(request: EmbeddingRequest, providerName: string, warnings: Warning[]): Json {
  const inputs = texts(request, providerName);
  commonWarnings(request, providerName, warnings);
  const own = request.providerOptions?.gemini ?? {};
  const { parameters: ownParameters, ...ownInstance } = own as { parameters?: Json } & Json;
  const instances = inputs.map((content) => {
    const instance: Json = { content };
    if (request.inputType !== undefined) instance.task_type = geminiTaskType(request.inputType);
    return { ...instance, ...ownInstance };
  });
  const parameters: Json = { ...(request.dimensions === undefined ? {} : { outputDimensionality: request.dimensions }), ...ownParameters };
  return Object.keys(parameters).length > 0 ? { instances, parameters } : { instances };
}

/** `{predictions: [{embeddings: {values, statistics: {token_count}}}]}` → canonical, usage summed. */
export function decodeVertexEmbeddingResponse(body: unknown, model: string, provider: string): EmbeddingResponse {
  if (!isRecord(body) || !Array.isArray(body.predictions)) throw badResponse(provider);
  let tokens: number | undefined;
  const embeddings = body.predictions.map((prediction) => {
    const embedding = isRecord(prediction) ? prediction.embeddings : undefined;
    const statistics = isRecord(embedding) && isRecord(embedding.statistics) ? embedding.statistics : undefined;
    if (typeof statistics?.token_count === 'number') tokens = (tokens ?? 0) + statistics.token_count;
    return values(embedding);
  });
  const response: EmbeddingResponse = { model, embeddings };
  if (tokens !== undefined) {
    const usage: Usage = { inputTokens: tokens, totalTokens: tokens, raw: body.metadata };
    response.usage = usage;
  }
  return response;
}
