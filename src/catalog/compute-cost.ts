import type { Usage } from '../core/index.js';
import type { ModelPricing } from './model-info.js';

const PER_TOKEN = 1 / 1_000_000;

/**
 * Cost in USD of one request from its usage and the model's prices. Follows the canonical usage
 * conventions: cache reads and writes are part of inputTokens and billed at their own rates;
 * reasoning is part of outputTokens and billed at the output rate unless priced separately.
 * Returns null when the usage does not say how many tokens were used.
 */
export function computeCost(pricing: ModelPricing, usage: Usage): number | null {
  if (usage.inputTokens === undefined && usage.outputTokens === undefined) return null;
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const cacheWrite1h = Math.min(usage.cacheWrite1hTokens ?? 0, cacheWrite);
  const uncached = Math.max(0, input - cacheRead - cacheWrite);
  let cost = uncached * pricing.input;
  cost += cacheRead * (pricing.cacheRead ?? pricing.input);
  cost += (cacheWrite - cacheWrite1h) * (pricing.cacheWrite ?? pricing.input);
  cost += cacheWrite1h * (pricing.cacheWrite1h ?? pricing.cacheWrite ?? pricing.input);
  const reasoning = pricing.reasoning === undefined ? 0 : Math.min(usage.reasoningTokens ?? 0, output);
  cost += (output - reasoning) * pricing.output;
  cost += reasoning * (pricing.reasoning ?? pricing.output);
  return cost * PER_TOKEN;
}
