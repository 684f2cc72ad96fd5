import type { Usage } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';

/**
 * Canonical usage → Cohere chat `usage`. A Cohere provider's own object is returned as sent;
 * otherwise billed units are the billed counts where known, else the processed counts.
 */
export function encodeCohereUsage(usage: Usage | undefined): Record<string, unknown> {
  if (usage === undefined) return { billed_units: {}, tokens: {} };
  if (isRecord(usage.raw) && isRecord(usage.raw.billed_units)) return usage.raw;
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  const out: Record<string, unknown> = {
    billed_units: { input_tokens: usage.billedInputTokens ?? input, output_tokens: usage.billedOutputTokens ?? output },
    tokens: { input_tokens: input, output_tokens: output },
  };
  if (usage.cacheReadTokens !== undefined) out.cached_tokens = usage.cacheReadTokens;
  return out;
}

/** Canonical usage → the `meta` of Cohere embed and rerank responses. */
export function encodeCohereMeta(usage: Usage | undefined): Record<string, unknown> {
  const billed: Record<string, number> = {};
  if (usage?.searchUnits !== undefined) billed.search_units = usage.searchUnits;
  const input = usage?.billedInputTokens ?? usage?.inputTokens;
  if (input !== undefined && usage?.searchUnits === undefined) billed.input_tokens = input;
  if (usage?.imageInputTokens !== undefined) billed.image_tokens = usage.imageInputTokens;
  return { api_version: { version: '2' }, billed_units: billed };
}
