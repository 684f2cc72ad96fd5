import type { Usage } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function modality(details: unknown, name: string): number | undefined {
  if (!Array.isArray(details)) return undefined;
  let total: number | undefined;
  for (const item of details) {
    if (isRecord(item) && item.modality === name) total = (total ?? 0) + (count(item.tokenCount) ?? 0);
  }
  return total;
}

/**
 * Gemini usageMetadata → canonical usage.
 * https://ai.google.dev/api/generate-content#UsageMetadata
 * - promptTokenCount already includes cached content (cachedContentTokenCount is a subset, as
 *   cacheReadTokens is); toolUsePromptTokenCount (e.g. search results fed to the model) is
 *   counted separately by Gemini and billed as input, so it is added to inputTokens.
 * - candidatesTokenCount EXCLUDES thoughts: Gemini reports thoughtsTokenCount separately,
 *   while canonical outputTokens includes reasoning. outputTokens = candidates + thoughts.
 * Gemini has no cache-write charge on requests (explicit caches are created separately).
 */
export function convertGeminiUsage(usage: unknown): Usage | undefined {
  if (!isRecord(usage)) return undefined;
  const prompt = count(usage.promptTokenCount);
  const toolPrompt = count(usage.toolUsePromptTokenCount);
  const candidates = count(usage.candidatesTokenCount);
  const thoughts = count(usage.thoughtsTokenCount);
  const result: Usage = { raw: usage };
  if (prompt !== undefined || toolPrompt !== undefined) result.inputTokens = (prompt ?? 0) + (toolPrompt ?? 0);
  if (candidates !== undefined || thoughts !== undefined) result.outputTokens = (candidates ?? 0) + (thoughts ?? 0);
  const total = count(usage.totalTokenCount);
  if (total !== undefined) result.totalTokens = total;
  // Vertex sends usageMetadata with only trafficType on early chunks: no counts, no usage.
  if (result.inputTokens === undefined && result.outputTokens === undefined && total === undefined) return undefined;
  const cached = count(usage.cachedContentTokenCount);
  if (cached !== undefined) result.cacheReadTokens = cached;
  if (thoughts !== undefined) result.reasoningTokens = thoughts;
  const audioIn = modality(usage.promptTokensDetails, 'AUDIO');
  if (audioIn !== undefined) result.audioInputTokens = audioIn;
  const imageIn = modality(usage.promptTokensDetails, 'IMAGE');
  if (imageIn !== undefined) result.imageInputTokens = imageIn;
  const audioOut = modality(usage.candidatesTokensDetails, 'AUDIO');
  if (audioOut !== undefined) result.audioOutputTokens = audioOut;
  return result;
}
