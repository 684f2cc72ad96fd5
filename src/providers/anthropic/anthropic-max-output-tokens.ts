/**
 * Output token limits of Claude models, used for the required `max_tokens` when the client gave
 * none and the catalog does not know the model. Source: Anthropic's models overview
 * (https://docs.anthropic.com/en/docs/about-claude/models/overview), "Max output". Prefixes are
 * matched in order, so Vertex ids ("claude-sonnet-4-5@20250929") and dated snapshots match too.
 */
const LIMITS: Array<[prefix: string, maxOutputTokens: number]> = [
  ['claude-opus-4-1', 32_000],
  ['claude-opus-4-0', 32_000],
  ['claude-opus-4@', 32_000],
  // claude-opus-4-20250514 (Opus 4.0) before the newer 64k Opus models.
  ['claude-opus-4-2', 32_000],
  ['claude-opus-4', 64_000],
  ['claude-sonnet-4', 64_000],
  ['claude-haiku-4', 64_000],
  ['claude-3-7-sonnet', 64_000],
  ['claude-3-5-sonnet', 8_192],
  ['claude-3-5-haiku', 8_192],
  ['claude-3-opus', 4_096],
  ['claude-3-sonnet', 4_096],
  ['claude-3-haiku', 4_096],
];

/** Sent when the model is in neither the catalog nor the table above; every Claude model accepts it. */
export const DEFAULT_MAX_TOKENS = 4_096;

export function knownMaxOutputTokens(model: string): number | undefined {
  for (const [prefix, limit] of LIMITS) if (model.startsWith(prefix)) return limit;
  return undefined;
}
