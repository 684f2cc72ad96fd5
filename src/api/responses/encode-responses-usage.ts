import type { Usage } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';

/** Canonical usage → Responses usage; a Responses provider's own object is returned as sent. */
export function encodeResponsesUsage(usage: Usage): Record<string, unknown> {
  if (isRecord(usage.raw) && typeof usage.raw.input_tokens === 'number' && typeof usage.raw.output_tokens === 'number') return usage.raw;
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage.cacheReadTokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.totalTokens ?? input + output,
  };
}
