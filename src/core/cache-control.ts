/**
 * Prompt-cache breakpoint (Anthropic `cache_control`, Bedrock `cachePoint`). Attached to the
 * content part or tool after which the prefix should be cached.
 */
export interface CacheControl {
  type: 'ephemeral';
  /** Time to live as the provider spells it, e.g. "5m" or "1h". */
  ttl?: string;
}
