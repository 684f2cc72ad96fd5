import type { RerankRequest, RerankResponse, Usage, Warning } from '../../core/index.js';
import { GatewayError } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import { decodeRerankResults } from '../cohere/convert-cohere-rerank-results.js';
import { warnForeignProviderOptions } from '../shared/foreign-provider-options.js';
import { convertOpenAiUsage } from './convert-openai-usage.js';

/**
 * Canonical rerank → the Cohere/Jina-shaped `/rerank` body that OpenAI-compatible servers with
 * a rerank endpoint take (Together, vLLM): {model, query, documents, top_n, return_documents}.
 */
export function convertToOpenAiRerankRequest(
  request: RerankRequest,
  model: string,
  providerName: string,
  families: readonly string[],
  warnings: Warning[],
): Record<string, unknown> {
  const body: Record<string, unknown> = { model, query: request.query, documents: request.documents };
  if (request.topN !== undefined) body.top_n = request.topN;
  if (request.returnDocuments !== undefined) body.return_documents = request.returnDocuments;
  if (request.maxTokensPerDocument !== undefined) {
    warnings.push({ code: 'unsupported-parameter', param: 'max_tokens_per_doc', message: `max_tokens_per_doc is not supported by ${providerName} and was not sent` });
  }
  for (const family of families) if (request.providerOptions?.[family]) Object.assign(body, request.providerOptions[family]);
  warnForeignProviderOptions(request.providerOptions, families, providerName, warnings);
  return body;
}

/** Rerank usage: Together reports prompt tokens, vLLM and Jina only total_tokens (all input). */
function rerankUsage(usage: unknown): Usage | undefined {
  const converted = convertOpenAiUsage(usage);
  if (converted === undefined) return undefined;
  if (converted.inputTokens === undefined && converted.totalTokens !== undefined) converted.inputTokens = converted.totalTokens;
  return converted;
}

export function decodeOpenAiRerankResponse(body: unknown, provider: string, model: string): RerankResponse {
  const results = isRecord(body) ? decodeRerankResults(body.results) : undefined;
  if (!isRecord(body) || results === undefined) {
    throw new GatewayError({
      code: 'upstream_bad_response',
      status: 502,
      retryable: true,
      message: `Provider "${provider}" returned a rerank response without results`,
      upstream: { provider },
    });
  }
  const response: RerankResponse = { model: typeof body.model === 'string' ? body.model : model, results };
  if (typeof body.id === 'string') response.id = body.id;
  const usage = rerankUsage(body.usage);
  if (usage !== undefined) response.usage = usage;
  return response;
}
