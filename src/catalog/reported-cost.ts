import type { Usage } from '../core/index.js';
import { isRecord } from '../json/parse-json.js';

/** xAI reports cost in ticks of 1e-10 USD (`usage.cost_in_usd_ticks`). */
const XAI_TICK_USD = 1e-10;

/**
 * The cost a provider reported for the request itself, when it does, in USD. It is exact (it
 * includes fees the token prices do not: OpenRouter's routing, Perplexity's per-request search
 * fees, xAI's live-search sources), so it wins over the catalog.
 *  - xAI: usage.cost_in_usd_ticks.
 *  - OpenRouter: usage.cost (with BYOK, plus cost_details.upstream_inference_cost, which the
 *    user's own provider account pays).
 *  - Perplexity: usage.cost.total_cost.
 */
export function reportedCost(providerType: string, usage: Usage): number | undefined {
  const raw = usage.raw;
  if (!isRecord(raw)) return undefined;
  if (typeof raw.cost_in_usd_ticks === 'number') return raw.cost_in_usd_ticks * XAI_TICK_USD;
  if (providerType === 'openrouter' && typeof raw.cost === 'number') {
    if (raw.is_byok !== true) return raw.cost;
    const upstream = isRecord(raw.cost_details) ? raw.cost_details.upstream_inference_cost : undefined;
    return typeof upstream === 'number' ? raw.cost + upstream : undefined;
  }
  if (providerType === 'perplexity' && isRecord(raw.cost) && typeof raw.cost.total_cost === 'number') return raw.cost.total_cost;
  return undefined;
}
