import type { Usage } from '../../core/index.js';

/**
 * Canonical usage → Converse `usage`. Bedrock's `inputTokens` leaves cache reads and writes
 * out, so they are subtracted from the canonical input total; totalTokens is input + cache +
 * output as Bedrock reports it.
 */
export function encodeConverseUsage(usage: Usage | undefined): Record<string, number> {
  const cacheRead = usage?.cacheReadTokens ?? 0;
  const cacheWrite = usage?.cacheWriteTokens ?? 0;
  const input = Math.max(0, (usage?.inputTokens ?? 0) - cacheRead - cacheWrite);
  const output = usage?.outputTokens ?? 0;
  const out: Record<string, number> = { inputTokens: input, outputTokens: output, totalTokens: usage?.totalTokens ?? input + cacheRead + cacheWrite + output };
  if (usage?.cacheReadTokens !== undefined) out.cacheReadInputTokens = cacheRead;
  if (usage?.cacheWriteTokens !== undefined) out.cacheWriteInputTokens = cacheWrite;
  return out;
}
