import type { Usage } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * OpenAI usage → canonical. prompt_tokens already includes cached tokens and completion_tokens
 * includes reasoning, matching the canonical conventions, except on xAI, whose
 * completion_tokens leave reasoning out (told apart by total_tokens). DeepSeek reports cache
 * hits as prompt_cache_hit_tokens.
 */
export function convertOpenAiUsage(usage: unknown): Usage | undefined {
  if (!isRecord(usage)) return undefined;
  const prompt = isRecord(usage.prompt_tokens_details) ? usage.prompt_tokens_details : undefined;
  const completion = isRecord(usage.completion_tokens_details) ? usage.completion_tokens_details : undefined;
  const result: Usage = { raw: usage };
  const input = count(usage.prompt_tokens);
  const output = count(usage.completion_tokens);
  const total = count(usage.total_tokens);
  const cached = count(prompt?.cached_tokens) ?? count(usage.prompt_cache_hit_tokens);
  const reasoning = count(completion?.reasoning_tokens);
  const audioIn = count(prompt?.audio_tokens);
  const audioOut = count(completion?.audio_tokens);
  if (input !== undefined) result.inputTokens = input;
  // xAI counts reasoning apart from completion_tokens (total = prompt + completion + reasoning);
  // canonical outputTokens always include reasoning, or reasoning would go unbilled.
  const reasoningApart =
    output !== undefined && reasoning !== undefined && reasoning > 0 && total !== undefined && input !== undefined && total === input + output + reasoning;
  if (output !== undefined) result.outputTokens = reasoningApart ? output + reasoning! : output;
  if (total !== undefined) result.totalTokens = total;
  if (cached !== undefined) result.cacheReadTokens = cached;
  if (reasoning !== undefined) result.reasoningTokens = reasoning;
  if (audioIn !== undefined) result.audioInputTokens = audioIn;
  if (audioOut !== undefined) result.audioOutputTokens = audioOut;
  return result;
}
