import type { ProviderMetadata, ProviderOptions } from './provider-options.js';
import type { Usage } from './usage.js';

/**
 * Rerank: score documents by relevance to a query (Cohere /v2/rerank, Jina and vLLM /rerank,
 * Together /rerank). Documents are plain texts; structured records are sent as text (Cohere
 * recommends YAML strings for them).
 */
export interface RerankRequest {
  model: string;
  query: string;
  documents: string[];
  /** How many of the best results to return (default: all). */
  topN?: number;
  /**
   * Include each result's document text in the response. The gateway holds the documents, so a
   * surface can honour this even when the provider does not echo them.
   */
  returnDocuments?: boolean;
  /** Longer documents are truncated to this many tokens (Cohere max_tokens_per_doc). */
  maxTokensPerDocument?: number;
  providerOptions?: ProviderOptions;
}

export interface RerankResult {
  /** Position of the document in the request. */
  index: number;
  relevanceScore: number;
  /** The document text, when the provider returned it. */
  document?: string;
}

export interface RerankResponse {
  id?: string;
  model: string;
  /** Most relevant first. */
  results: RerankResult[];
  usage?: Usage;
  providerMetadata?: ProviderMetadata;
}
