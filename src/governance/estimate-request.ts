import { computeCost } from '../catalog/compute-cost.js';
import type { ModelCatalog } from '../catalog/model-catalog.js';
import type { ModelPricing } from '../catalog/model-info.js';
import { isRecord } from '../json/parse-json.js';
import type { RequestContext } from '../pipeline/request-context.js';
import { isUnbilledOperation } from '../pipeline/request-record.js';
import type { Target } from '../router/target.js';
import type { GovernanceSettings } from './governance-schema.js';
import { NANO } from './governance-state.js';

export interface Estimate {
  inputTokens: number;
  outputTokens: number;
  /** Input plus output: what token rate limits take at admission. */
  tokens: number;
  /** The highest cost over the targets, in nano-USD. */
  costNano: number;
  /** Targets without a price (and no fallback price). */
  unpriced: Target[];
}

const FALLBACK_MAX_TOKENS = 4096;

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.ceil(value) : undefined;
}

/** max_tokens as the client set it: canonical chat field, else the common body spellings. */
function requestedOutputTokens(context: RequestContext): number | undefined {
  const chat = context.chatRequest;
  if (chat?.maxOutputTokens !== undefined) return chat.maxOutputTokens;
  const body = context.body;
  if (!isRecord(body)) return undefined;
  return (
    positiveInteger(body.max_tokens) ??
    positiveInteger(body.max_completion_tokens) ??
    positiveInteger(body.max_output_tokens)
  );
}

function choices(context: RequestContext): number {
  const n = context.chatRequest?.n ?? (isRecord(context.body) ? positiveInteger(context.body.n) : undefined);
  return n === undefined || n < 1 ? 1 : n;
}

/**
 * A cheap upper estimate of a request before it is sent: prompt tokens from the body size
 * (bytes / bytesPerToken; no tokenizer on the hot path), output tokens from max_tokens (else the
 * configured default, else the model's maximum output from the catalog, else 4096), priced for
 * the most expensive target the request may go to. Operations providers do not bill (token
 * counts, model listings) reserve nothing and need no price.
 */
export function estimateRequest(
  context: RequestContext,
  targets: readonly Target[],
  catalog: ModelCatalog,
  settings: GovernanceSettings,
): Estimate {
  const operation = context.record.operation;
  if (isUnbilledOperation(operation))
    return { inputTokens: 0, outputTokens: 0, tokens: 0, costNano: 0, unpriced: [] };
  const inputTokens = Math.ceil((context.rawBody?.length ?? 0) / settings.estimate.bytesPerToken);
  // Only chat and completions generate text; embeddings, rerank and the like reserve no output.
  const generates = operation === 'chat' || operation === 'completions';
  const requested = requestedOutputTokens(context);
  let outputTokens = 0;
  let costNano = 0;
  const unpriced: Target[] = [];
  for (const target of targets) {
    const info = catalog.lookup(target.provider.type, target.model);
    const output = !generates
      ? 0
      : (requested ?? settings.estimate.defaultMaxTokens ?? info?.maxOutputTokens ?? FALLBACK_MAX_TOKENS) *
        choices(context);
    outputTokens = Math.max(outputTokens, output);
    let pricing: ModelPricing | undefined = info?.pricing;
    if (pricing === undefined && typeof settings.unpricedModels === 'object')
      pricing = settings.unpricedModels;
    if (pricing === undefined) {
      if (settings.unpricedModels === 'reject') unpriced.push(target);
      continue;
    }
    costNano = Math.max(
      costNano,
      Math.ceil((computeCost(pricing, { inputTokens, outputTokens: output }) ?? 0) * NANO),
    );
  }
  return { inputTokens, outputTokens, tokens: inputTokens + outputTokens, costNano, unpriced };
}
