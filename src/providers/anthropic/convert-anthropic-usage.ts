import type { Usage } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';

type Json = Record<string, unknown>;

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Anthropic usage → canonical. Anthropic's `input_tokens` EXCLUDES cache reads and writes
 * (they are reported apart as cache_read_input_tokens / cache_creation_input_tokens), while the
 * canonical inputTokens counts every prompt token, so the three are added. The 1-hour part of
 * cache writes comes from cache_creation.ephemeral_1h_input_tokens; reasoning tokens from
 * output_tokens_details.thinking_tokens (a subset of output_tokens, as canonical wants).
 */
export function convertAnthropicUsage(usage: unknown): Usage | undefined {
  if (!isRecord(usage)) return undefined;
  const result: Usage = { raw: usage };
  const input = count(usage.input_tokens);
  const output = count(usage.output_tokens);
  const cacheRead = count(usage.cache_read_input_tokens);
  const cacheWrite = count(usage.cache_creation_input_tokens);
  const creation = isRecord(usage.cache_creation) ? usage.cache_creation : undefined;
  const write1h = count(creation?.ephemeral_1h_input_tokens);
  const details = isRecord(usage.output_tokens_details) ? usage.output_tokens_details : undefined;
  const thinking = count(details?.thinking_tokens);
  if (input !== undefined) result.inputTokens = input + (cacheRead ?? 0) + (cacheWrite ?? 0);
  if (output !== undefined) result.outputTokens = output;
  if (result.inputTokens !== undefined && output !== undefined) result.totalTokens = result.inputTokens + output;
  if (cacheRead !== undefined) result.cacheReadTokens = cacheRead;
  if (cacheWrite !== undefined) result.cacheWriteTokens = cacheWrite;
  if (write1h !== undefined && write1h > 0) result.cacheWrite1hTokens = write1h;
  if (thinking !== undefined) result.reasoningTokens = thinking;
  return result;
}

/**
 * Merge a later usage object into an earlier one. Streams report the input side in
 * message_start and cumulative totals in message_delta, whose absent or null fields keep the
 * earlier value (the same rule the official SDK applies).
 */
export function mergeAnthropicUsage(base: Json | undefined, update: Json): Json {
  const merged: Json = { ...base };
  for (const key in update) {
    const value = update[key];
    if (value !== null && value !== undefined) merged[key] = value;
  }
  return merged;
}
