import type { Message } from './message.js';
import type { ProviderOptions } from './provider-options.js';
import type { ReasoningOptions } from './reasoning-options.js';
import type { ResponseFormat } from './response-format.js';
import type { Tool, ToolChoice } from './tool.js';

/**
 * A chat/messages/generateContent/converse request in the gateway's own terms. Surfaces decode
 * into it; provider adapters build their upstream request from it.
 */
export interface ChatRequest {
  /** The model as addressed by the client; the router replaces it with the upstream id. */
  model: string;
  messages: Message[];
  tools?: Tool[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  seed?: number;
  stopSequences?: string[];
  /** Number of alternative completions (OpenAI `n`). */
  n?: number;
  responseFormat?: ResponseFormat;
  reasoning?: ReasoningOptions;
  logprobs?: boolean;
  topLogprobs?: number;
  /** Token id → bias (OpenAI logit_bias). */
  logitBias?: Record<string, number>;
  stream: boolean;
  /** The client wants a usage summary at the end of the stream. */
  includeUsage?: boolean;
  /** End-user identifier for abuse tracking (OpenAI `user`, Anthropic `metadata.user_id`). */
  user?: string;
  serviceTier?: string;
  /** Vendor-only options and unrecognised request fields, by dialect family. */
  providerOptions?: ProviderOptions;
}
