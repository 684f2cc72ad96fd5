import type { Usage } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Cohere usage (chat `usage`, embed/rerank `meta`) → canonical.
 *
 * Cohere reports two counts: `tokens` (what the model processed, including tokens Cohere adds
 * to the prompt itself) and `billed_units` (what is charged; "tokens you don't have control
 * over are not charged"). inputTokens/outputTokens are the processed counts, as for every other
 * provider; the billed counts go to billedInputTokens/billedOutputTokens, which the cost is
 * computed from. `cached_tokens` is the cached part of the processed prompt (Cohere does not
 * discount it). Embed and rerank report only billed units; those are then the counts too.
 * https://docs.cohere.com/docs/how-does-cohere-pricing-work
 */
export function convertCohereUsage(usage: unknown): Usage | undefined {
  if (!isRecord(usage)) return undefined;
  const tokens = isRecord(usage.tokens) ? usage.tokens : {};
  const billed = isRecord(usage.billed_units) ? usage.billed_units : {};
  const billedInput = count(billed.input_tokens);
  const billedOutput = count(billed.output_tokens);
  const input = count(tokens.input_tokens) ?? billedInput;
  const output = count(tokens.output_tokens) ?? billedOutput;
  const cached = count(usage.cached_tokens);
  const images = count(billed.image_tokens);
  const searchUnits = count(billed.search_units);
  const result: Usage = { raw: usage };
  if (input !== undefined) result.inputTokens = input;
  if (output !== undefined) result.outputTokens = output;
  if (input !== undefined || output !== undefined) result.totalTokens = (input ?? 0) + (output ?? 0);
  if (cached !== undefined && (input === undefined || cached <= input)) result.cacheReadTokens = cached;
  if (billedInput !== undefined) result.billedInputTokens = billedInput;
  if (billedOutput !== undefined) result.billedOutputTokens = billedOutput;
  if (images !== undefined) result.imageInputTokens = images;
  if (searchUnits !== undefined) result.searchUnits = searchUnits;
  return result;
}
