import type { ProviderMetadata, ProviderOptions } from './provider-options.js';
import type { Usage } from './usage.js';

export interface EmbeddingRequest {
  model: string;
  /** Texts to embed (token-array inputs are kept as arrays of numbers). */
  input: Array<string | number[]>;
  dimensions?: number;
  /** The encoding the client wants back; adapters may request floats and convert. */
  encodingFormat?: 'float' | 'base64';
  /** Retrieval task hint (Gemini taskType, Cohere input_type). */
  inputType?: string;
  user?: string;
  providerOptions?: ProviderOptions;
}

export interface EmbeddingResponse {
  model: string;
  /** One vector per input, in input order. Base64 when the provider returned base64. */
  embeddings: Array<number[] | string>;
  usage?: Usage;
  providerMetadata?: ProviderMetadata;
}
