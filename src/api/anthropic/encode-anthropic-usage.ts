import type { Usage } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';

type Json = Record<string, unknown>;

/** True for a usage object in Anthropic's own shape (kept as sent when the provider was Anthropic). */
function isAnthropicUsage(raw: unknown): raw is Json {
  return isRecord(raw) && typeof raw.input_tokens === 'number' && typeof raw.output_tokens === 'number' && raw.prompt_tokens === undefined;
}

/**
 * Canonical usage → Anthropic usage. Anthropic's input_tokens excludes cache reads and writes,
 * so they are taken off the canonical inputTokens (which includes them); the 1-hour part of
 * cache writes goes to cache_creation.ephemeral_1h_input_tokens.
 */
export function encodeAnthropicUsage(usage: Usage | undefined): Json {
  if (usage === undefined) return { input_tokens: 0, output_tokens: 0 };
  if (isAnthropicUsage(usage.raw)) return usage.raw;
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const out: Json = {
    input_tokens: Math.max(0, (usage.inputTokens ?? 0) - cacheRead - cacheWrite),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
  if (usage.cacheWriteTokens !== undefined) {
    const hour = usage.cacheWrite1hTokens ?? 0;
    out.cache_creation = { ephemeral_5m_input_tokens: cacheWrite - hour, ephemeral_1h_input_tokens: hour };
  }
  out.output_tokens = usage.outputTokens ?? 0;
  if (usage.reasoningTokens !== undefined) out.output_tokens_details = { thinking_tokens: usage.reasoningTokens };
  return out;
}

/** The message_delta usage: cumulative totals, input side included when it is known. */
export function encodeAnthropicDeltaUsage(usage: Usage | undefined): Json {
  const full = encodeAnthropicUsage(usage);
  const out: Json = { output_tokens: full.output_tokens };
  if (usage?.inputTokens !== undefined || isAnthropicUsage(usage?.raw)) {
    out.input_tokens = full.input_tokens;
    if (full.cache_creation_input_tokens !== undefined) out.cache_creation_input_tokens = full.cache_creation_input_tokens;
    if (full.cache_read_input_tokens !== undefined) out.cache_read_input_tokens = full.cache_read_input_tokens;
  }
  for (const key of ['output_tokens_details', 'server_tool_use']) if (full[key] !== undefined && full[key] !== null) out[key] = full[key];
  return out;
}
