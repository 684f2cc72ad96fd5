import type { FinishReason } from './finish-reason.js';
import type { ProviderOptions } from './provider-options.js';
import type { Usage } from './usage.js';

/** Legacy text completion (OpenAI /v1/completions). */
export interface CompletionRequest {
  model: string;
  prompt: string | string[];
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  n?: number;
  stopSequences?: string[];
  stream: boolean;
  includeUsage?: boolean;
  providerOptions?: ProviderOptions;
}

export interface CompletionResponse {
  id: string;
  model: string;
  created?: number;
  choices: Array<{ index: number; text: string; finishReason: FinishReason; logprobs?: unknown }>;
  usage?: Usage;
}
