import type { Usage } from '../core/index.js';
import type { ModelPricing, ModelRates } from './model-info.js';

const PER_TOKEN = 1 / 1_000_000;

/** The rates for a request: base rates, overlaid by the highest tier its prompt length reaches. */
export function ratesFor(pricing: ModelPricing, promptTokens: number): ModelRates {
  let rates: ModelRates = pricing;
  for (const tier of pricing.tiers ?? []) if (promptTokens > tier.aboveInputTokens) rates = { ...pricing, ...tier };
  return rates;
}

/**
 * Cost in USD of one request from its usage and the model's prices. Follows the canonical usage
 * conventions: cache reads and writes are part of inputTokens and billed at their own rates;
 * reasoning is part of outputTokens and billed at the output rate unless priced separately.
 * Tiers apply to the whole request by prompt length. Where the provider reports billed counts
 * (Cohere billed_units), those are what is charged. Rerank search units are priced per unit.
 * Returns null when the usage says nothing the prices can be applied to.
 */
export function computeCost(pricing: ModelPricing, usage: Usage, multiplier = 1): number | null {
  let cost = 0;
  let priced = false;
  if (usage.searchUnits !== undefined && pricing.perSearchUnit !== undefined) {
    cost += usage.searchUnits * pricing.perSearchUnit;
    priced = true;
  }
  const billed = usage.billedInputTokens !== undefined || usage.billedOutputTokens !== undefined;
  if (billed || usage.inputTokens !== undefined || usage.outputTokens !== undefined) {
    const rates = ratesFor(pricing, usage.inputTokens ?? usage.billedInputTokens ?? 0);
    cost += (billed ? billedTokenCost(rates, usage) : tokenCost(rates, usage)) * PER_TOKEN;
    priced = true;
  } else if (!priced) {
    return null;
  }
  return cost * multiplier;
}

/** Billed units are charged at the plain input and output rates. */
function billedTokenCost(rates: ModelRates, usage: Usage): number {
  return (usage.billedInputTokens ?? 0) * rates.input + (usage.billedOutputTokens ?? 0) * rates.output;
}

function tokenCost(rates: ModelRates, usage: Usage): number {
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const cacheWrite1h = Math.min(usage.cacheWrite1hTokens ?? 0, cacheWrite);
  const uncached = Math.max(0, input - cacheRead - cacheWrite);
  let cost = uncached * rates.input;
  cost += cacheRead * (rates.cacheRead ?? rates.input);
  cost += (cacheWrite - cacheWrite1h) * (rates.cacheWrite ?? rates.input);
  cost += cacheWrite1h * (rates.cacheWrite1h ?? rates.cacheWrite ?? rates.input);
  const reasoning = rates.reasoning === undefined ? 0 : Math.min(usage.reasoningTokens ?? 0, output);
  cost += (output - reasoning) * rates.output;
  cost += reasoning * (rates.reasoning ?? rates.output);
  return cost;
}
