import type { Usage } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Responses API usage → canonical. `input_tokens` already includes cached tokens and
 * `output_tokens` includes reasoning tokens, as the canonical conventions want.
 * https://platform.openai.com/docs/api-reference/responses/object#responses/object-usage
 */
export function convertResponsesUsage(usage: unknown): Usage | undefined {
  if (!isRecord(usage)) return undefined;
  const input = isRecord(usage.input_tokens_details) ? usage.input_tokens_details : undefined;
  const output = isRecord(usage.output_tokens_details) ? usage.output_tokens_details : undefined;
  const result: Usage = { raw: usage };
  const set = (field: keyof Usage, value: number | undefined): void => {
    if (value !== undefined) (result as Record<string, unknown>)[field] = value;
  };
  set('inputTokens', count(usage.input_tokens));
  set('outputTokens', count(usage.output_tokens));
  set('totalTokens', count(usage.total_tokens));
  set('cacheReadTokens', count(input?.cached_tokens));
  set('cacheWriteTokens', count(input?.cache_write_tokens));
  set('audioInputTokens', count(input?.audio_tokens));
  set('reasoningTokens', count(output?.reasoning_tokens));
  set('audioOutputTokens', count(output?.audio_tokens));
  return result;
}
