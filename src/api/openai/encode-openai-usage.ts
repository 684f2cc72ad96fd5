import type { Usage } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';

/**
 * Canonical usage → OpenAI usage. When the provider itself spoke OpenAI's dialect its usage
 * object is returned as sent (vendors add fields clients may read); otherwise it is built.
 */
export function encodeOpenAiUsage(usage: Usage): Record<string, unknown> {
  if (isRecord(usage.raw) && typeof usage.raw.prompt_tokens === 'number') return usage.raw;
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  const out: Record<string, unknown> = {
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: usage.totalTokens ?? input + output,
  };
  if (usage.cacheReadTokens !== undefined || usage.audioInputTokens !== undefined) {
    out.prompt_tokens_details = {
      cached_tokens: usage.cacheReadTokens ?? 0,
      ...(usage.audioInputTokens === undefined ? {} : { audio_tokens: usage.audioInputTokens }),
    };
  }
  if (usage.reasoningTokens !== undefined || usage.audioOutputTokens !== undefined) {
    out.completion_tokens_details = {
      reasoning_tokens: usage.reasoningTokens ?? 0,
      ...(usage.audioOutputTokens === undefined ? {} : { audio_tokens: usage.audioOutputTokens }),
    };
  }
  return out;
}
