import type { Usage } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';

/**
 * Canonical usage → Gemini usageMetadata. A Gemini provider's own object is returned as sent;
 * otherwise it is built, with reasoning moved out of the candidates count into
 * thoughtsTokenCount as Gemini reports it.
 */
export function encodeGenAiUsage(usage: Usage): Record<string, unknown> {
  if (isRecord(usage.raw) && (typeof usage.raw.promptTokenCount === 'number' || typeof usage.raw.totalTokenCount === 'number')) return usage.raw;
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  const reasoning = usage.reasoningTokens ?? 0;
  const out: Record<string, unknown> = {
    promptTokenCount: input,
    candidatesTokenCount: Math.max(0, output - reasoning),
    totalTokenCount: usage.totalTokens ?? input + output,
  };
  if (usage.reasoningTokens !== undefined) out.thoughtsTokenCount = usage.reasoningTokens;
  if (usage.cacheReadTokens !== undefined) out.cachedContentTokenCount = usage.cacheReadTokens;
  return out;
}
