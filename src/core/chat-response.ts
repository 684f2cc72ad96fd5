import type { AssistantContentPart } from './content-part.js';
import type { FinishReason } from './finish-reason.js';
import type { ChoiceLogprobs } from './logprobs.js';
import type { ProviderMetadata } from './provider-options.js';
import type { Usage } from './usage.js';

export interface ChatChoice {
  index: number;
  content: AssistantContentPart[];
  finishReason: FinishReason;
  logprobs?: ChoiceLogprobs;
  providerMetadata?: ProviderMetadata;
}

/** A complete (non-streaming) chat response. Most providers return exactly one choice. */
export interface ChatResponse {
  id: string;
  /** The model id the provider reported. */
  model: string;
  /** Unix seconds. */
  created?: number;
  choices: ChatChoice[];
  usage?: Usage;
  /** Response-level vendor fields (OpenAI system_fingerprint, Gemini safety ratings, ...). */
  providerMetadata?: ProviderMetadata;
}
