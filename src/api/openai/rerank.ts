import type { RerankResponse } from '../../core/index.js';
import type { GatewayModule } from '../../gateway.js';
import { runRerank } from '../../pipeline/run-rerank.js';
import { decodeRerankBody, encodeRerankResults } from '../cohere/cohere-rerank.js';
import type { RerankSurface } from '../surface.js';
import { encodeOpenAiError } from './encode-error.js';

function encodeUsage(response: RerankResponse): Record<string, number> {
  const usage = response.usage;
  const out: Record<string, number> = {};
  if (usage?.inputTokens !== undefined) out.prompt_tokens = usage.inputTokens;
  const total = usage?.totalTokens ?? usage?.inputTokens;
  if (total !== undefined) out.total_tokens = total;
  if (usage?.searchUnits !== undefined) out.search_units = usage.searchUnits;
  return out;
}

/**
 * /v1/rerank on the OpenAI side, in the Cohere/Jina shape other gateways expose (LiteLLM,
 * vLLM): {model, query, documents, top_n, return_documents} → {id, model, results:
 * [{index, relevance_score, document?}], usage, meta.billed_units}. Errors in OpenAI's shape.
 */
export const openAiRerankSurface: RerankSurface = {
  name: 'openai',
  dialect: 'openai-chat',
  encodeError: encodeOpenAiError,
  decodeRerankRequest: (body) => decodeRerankBody(body, 'openai'),
  encodeRerankResponse: (response, request, info) =>
    JSON.stringify({
      id: response.id ?? info.requestId,
      object: 'rerank',
      model: response.model || info.model,
      results: encodeRerankResults(response, request),
      usage: encodeUsage(response),
      ...(response.usage?.searchUnits === undefined ? {} : { meta: { billed_units: { search_units: response.usage.searchUnits } } }),
    }),
};

/** Mounts POST /v1/rerank and /openai/v1/rerank. */
export const openAiRerankModule: GatewayModule = {
  name: 'openai-rerank',
  setup(assembly) {
    for (const prefix of ['/v1', '/openai/v1']) {
      assembly.routes.add({
        method: 'POST',
        path: `${prefix}/rerank`,
        surface: openAiRerankSurface,
        operation: 'rerank',
        handler: (runtime, context, info) => runRerank(runtime, context, openAiRerankSurface, info),
      });
    }
  },
};
