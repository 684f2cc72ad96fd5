import type { Citation } from './citation.js';
import type { GatewayError } from './errors.js';
import type { FinishReason } from './finish-reason.js';
import type { ChoiceLogprobs } from './logprobs.js';
import type { ProviderMetadata } from './provider-options.js';
import type { Usage } from './usage.js';

/*
 * Canonical stream events. Content arrives in blocks: every block has a start, zero or more
 * deltas and an end, all carrying the block `id` (unique within the response). `choice` is the
 * choice index for n > 1 and absent (= 0) otherwise. Provider decoders emit these; surface
 * encoders consume them. Usage may arrive at any point (the last one wins); `finish` arrives
 * once per choice, and the stream ends when the iterator does.
 */

interface EventBase {
  choice?: number;
}

export interface ResponseMetadataEvent extends EventBase {
  type: 'response-metadata';
  id?: string;
  model?: string;
  /** Unix seconds. */
  created?: number;
  providerMetadata?: ProviderMetadata;
}

export interface TextStartEvent extends EventBase {
  type: 'text-start';
  id: string;
}
export interface TextDeltaEvent extends EventBase {
  type: 'text-delta';
  id: string;
  delta: string;
}
export interface TextEndEvent extends EventBase {
  type: 'text-end';
  id: string;
  providerMetadata?: ProviderMetadata;
}

export interface CitationEvent extends EventBase {
  type: 'citation';
  /** The text block the citation belongs to. */
  id: string;
  citation: Citation;
}

export interface RefusalDeltaEvent extends EventBase {
  type: 'refusal-delta';
  delta: string;
}

export interface ReasoningStartEvent extends EventBase {
  type: 'reasoning-start';
  id: string;
  /** Set for opaque reasoning (Anthropic redacted_thinking, OpenAI encrypted content). */
  redactedData?: string;
}
export interface ReasoningDeltaEvent extends EventBase {
  type: 'reasoning-delta';
  id: string;
  delta: string;
}
/** Signature of a reasoning block (Anthropic signature_delta, Gemini thoughtSignature). */
export interface ReasoningSignatureEvent extends EventBase {
  type: 'reasoning-signature';
  id: string;
  signature: string;
}
export interface ReasoningEndEvent extends EventBase {
  type: 'reasoning-end';
  id: string;
  /**
   * Opaque reasoning that is only known once the block ends (OpenAI Responses sends the final
   * `encrypted_content` in `response.output_item.done`); it supersedes a `redactedData` given at
   * the start.
   */
  redactedData?: string;
  providerMetadata?: ProviderMetadata;
}

export interface ToolInputStartEvent extends EventBase {
  type: 'tool-input-start';
  /** The tool call id (also the block id). */
  id: string;
  name: string;
  providerMetadata?: ProviderMetadata;
}
export interface ToolInputDeltaEvent extends EventBase {
  type: 'tool-input-delta';
  id: string;
  /** A fragment of the JSON arguments text. */
  delta: string;
}
export interface ToolInputEndEvent extends EventBase {
  type: 'tool-input-end';
  id: string;
}
/** The complete call, emitted right after its tool-input-end. */
export interface ToolCallEvent extends EventBase {
  type: 'tool-call';
  id: string;
  name: string;
  arguments: string;
  providerMetadata?: ProviderMetadata;
}

export interface LogprobsEvent extends EventBase, ChoiceLogprobs {
  type: 'logprobs';
}

export interface UsageEvent extends EventBase {
  type: 'usage';
  usage: Usage;
}

export interface FinishEvent extends EventBase {
  type: 'finish';
  finishReason: FinishReason;
  providerMetadata?: ProviderMetadata;
}

/** A failure after the stream started (provider error event, broken connection). */
export interface ErrorEvent extends EventBase {
  type: 'error';
  error: GatewayError;
}

export type StreamEvent =
  | ResponseMetadataEvent
  | TextStartEvent
  | TextDeltaEvent
  | TextEndEvent
  | CitationEvent
  | RefusalDeltaEvent
  | ReasoningStartEvent
  | ReasoningDeltaEvent
  | ReasoningSignatureEvent
  | ReasoningEndEvent
  | ToolInputStartEvent
  | ToolInputDeltaEvent
  | ToolInputEndEvent
  | ToolCallEvent
  | LogprobsEvent
  | UsageEvent
  | FinishEvent
  | ErrorEvent;
