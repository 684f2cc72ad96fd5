/**
 * Token usage. Conventions (the same for every provider, whatever its own accounting):
 * - `inputTokens` counts every prompt token, including cache reads and cache writes;
 *   `cacheReadTokens` and `cacheWriteTokens` are subsets of it.
 * - `outputTokens` counts every generated token, including reasoning; `reasoningTokens` is a
 *   subset of it.
 * A field is absent when the provider did not report it (never 0 for unknown).
 */
export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  /** Part of cacheWriteTokens written with a 1-hour TTL (billed at a higher rate by Anthropic). */
  cacheWrite1hTokens?: number;
  reasoningTokens?: number;
  audioInputTokens?: number;
  audioOutputTokens?: number;
  imageInputTokens?: number;
  /**
   * Tokens the provider bills, where it bills fewer than it processed (Cohere `billed_units`:
   * tokens Cohere adds to the prompt itself are free). Cost is computed from these when present.
   */
  billedInputTokens?: number;
  billedOutputTokens?: number;
  /** Billed search units (Cohere rerank: one per query with up to 100 documents). */
  searchUnits?: number;
  /** The provider's usage object as it sent it. */
  raw?: unknown;
}
