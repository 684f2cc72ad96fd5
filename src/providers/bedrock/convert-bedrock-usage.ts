import type { Usage } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';

const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/**
 * Converse `usage` → canonical usage. Bedrock's `inputTokens` leaves out cache reads and
 * writes (totalTokens = input + cacheRead + cacheWrite + output), so they are added to make
 * the canonical input total. Newer responses repeat the cache counts as
 * `cacheReadInputTokenCount`/`cacheWriteInputTokenCount`; either spelling is read.
 * `cacheDetails` entries with a 1h TTL give the 1-hour share of the cache writes.
 */
export function convertBedrockUsage(usage: unknown): Usage | undefined {
  if (!isRecord(usage)) return undefined;
  const input = count(usage.inputTokens);
  const output = count(usage.outputTokens);
  const cacheRead = count(usage.cacheReadInputTokens) ?? count(usage.cacheReadInputTokenCount);
  const cacheWrite = count(usage.cacheWriteInputTokens) ?? count(usage.cacheWriteInputTokenCount);
  const out: Usage = { raw: usage };
  if (input !== undefined) out.inputTokens = input + (cacheRead ?? 0) + (cacheWrite ?? 0);
  if (output !== undefined) out.outputTokens = output;
  const total = count(usage.totalTokens);
  if (total !== undefined) out.totalTokens = total;
  else if (out.inputTokens !== undefined && output !== undefined) out.totalTokens = out.inputTokens + output;
  if (cacheRead !== undefined) out.cacheReadTokens = cacheRead;
  if (cacheWrite !== undefined) out.cacheWriteTokens = cacheWrite;
  if (Array.isArray(usage.cacheDetails)) {
    let oneHour = 0;
    for (const detail of usage.cacheDetails) if (isRecord(detail) && detail.ttl === '1h') oneHour += count(detail.inputTokens) ?? 0;
    if (oneHour > 0) out.cacheWrite1hTokens = oneHour;
  }
  return out;
}
