/**
 * Vendor-specific data keyed by dialect family ("openai", "anthropic", "gemini", "bedrock",
 * "cohere", ...). On requests it carries vendor-only options and every field a surface did not
 * recognise, so nothing the client sent is silently dropped; on responses it carries fields the
 * canonical model has no slot for, so a surface of the same family can emit them again.
 */
export type ProviderOptions = Record<string, Record<string, unknown>>;

/** Same shape as {@link ProviderOptions}, produced by provider adapters while decoding. */
export type ProviderMetadata = Record<string, Record<string, unknown>>;
