import type { RerankRequest, RerankResponse, Warning } from '../../core/index.js';
import { GatewayError } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import { warnForeignProviderOptions } from '../shared/foreign-provider-options.js';
import { decodeRerankResults } from './convert-cohere-rerank-results.js';
import { convertCohereUsage } from './convert-cohere-usage.js';

const FAMILIES = ['cohere'] as const;

/**
 * Canonical rerank → Cohere /v2/rerank. https://docs.cohere.com/reference/rerank
 * `returnDocuments` is not sent: v2 returns indices only and the surface adds the texts.
 */
export function convertToCohereRerankRequest(request: RerankRequest, model: string, providerName: string, warnings: Warning[]): Record<string, unknown> {
  const body: Record<string, unknown> = { model, query: request.query, documents: request.documents };
  if (request.topN !== undefined) body.top_n = request.topN;
  if (request.maxTokensPerDocument !== undefined) body.max_tokens_per_doc = request.maxTokensPerDocument;
  const own = request.providerOptions?.cohere;
  if (own !== undefined) Object.assign(body, own);
  warnForeignProviderOptions(request.providerOptions, FAMILIES, providerName, warnings);
  return body;
}

export function decodeCohereRerankResponse(body: unknown, provider: string, model: string): RerankResponse {
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
  const response: RerankResponse = { model, results };
  if (typeof body.id === 'string') response.id = body.id;
  const usage = convertCohereUsage(body.meta);
  if (usage !== undefined) response.usage = usage;
  if (isRecord(body.meta)) response.providerMetadata = { cohere: { meta: body.meta } };
  return response;
}
