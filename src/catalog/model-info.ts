/** Prices in USD per million tokens. */
export interface ModelPricing {
  input: number;
  output: number;
  /** Cache reads (cached input). */
  cacheRead?: number;
  /** Cache writes with the provider's default TTL (Anthropic 5 minutes). */
  cacheWrite?: number;
  /** Cache writes with a 1-hour TTL. */
  cacheWrite1h?: number;
  /** Reasoning tokens, only where billed apart from output. */
  reasoning?: number;
}

export interface ModelCapabilities {
  tools?: boolean;
  vision?: boolean;
  reasoning?: boolean;
  embeddings?: boolean;
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
  contextWindow?: number;
  maxOutputTokens?: number;
  capabilities?: ModelCapabilities;
  pricing?: ModelPricing;
  /** The date the prices were taken (YYYY-MM-DD). */
  pricesAsOf?: string;
}
