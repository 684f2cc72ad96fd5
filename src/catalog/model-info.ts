/** Rates that can differ between price tiers. USD per million tokens unless stated. */
export interface ModelRates {
  input: number;
  output: number;
  /** Cache reads (cached input). Absent: billed as input. */
  cacheRead?: number;
  /** Cache writes with the provider's default TTL (Anthropic 5 minutes). Absent: billed as input. */
  cacheWrite?: number;
  /** Cache writes with a 1-hour TTL (Anthropic). Absent: billed as cacheWrite. */
  cacheWrite1h?: number;
  /** Reasoning tokens, only where billed apart from output (otherwise they are output). */
  reasoning?: number;
}

/**
 * A price tier that applies to the WHOLE request once its prompt is longer than a threshold
 * (Gemini 2.5/3 Pro above 200k prompt tokens, Claude Haiku 5.5 above 100k, Grok 4 above 128k).
 * The prompt length is usage.inputTokens, which includes cache reads and writes.
 */
export interface PriceTier extends Partial<ModelRates> {
  /** The tier applies when the prompt has more than this many tokens. */
  aboveInputTokens: number;
}

/** Prices in USD per million tokens (and per search unit for rerank). */
export interface ModelPricing extends ModelRates {
  /** Long-prompt tiers, ascending; the highest one whose threshold the prompt exceeds wins. */
  tiers?: PriceTier[];
  /** USD per search unit (Cohere rerank: one query with up to 100 documents). */
  perSearchUnit?: number;
  /**
   * Multiplier on every rate for regional (non-global) endpoints on Amazon Bedrock: Anthropic
   * charges 10% more on regional and geo cross-region endpoints from Claude Sonnet 4.5 and
   * Haiku 4.5 on. Applied when the Bedrock model id has no "global." prefix.
   */
  regionalMultiplier?: number;
}

export interface ModelCapabilities {
  tools?: boolean;
  vision?: boolean;
  reasoning?: boolean;
  embeddings?: boolean;
  rerank?: boolean;
  structuredOutput?: boolean;
  audio?: boolean;
}

/** One model of one provider type, as the catalog describes it. */
export interface ModelInfo {
  /** Provider type ("openai", "anthropic", ...). */
  provider: string;
  /** Model id as the provider names it. */
  id: string;
  /** Other ids for the same model (dated snapshots, "-latest"). */
  aliases?: string[];
  /**
   * "provider/id" of another entry whose facts and prices this one shares (an Azure deployment
   * of an OpenAI model); the entry's own fields override.
   */
  sameAs?: string;
  contextWindow?: number;
  maxOutputTokens?: number;
  capabilities?: ModelCapabilities;
  pricing?: ModelPricing;
  /** The date the prices were taken (YYYY-MM-DD). */
  pricesAsOf?: string;
  /** The pricing page the prices come from. */
  source?: string;
  notes?: string;
}
