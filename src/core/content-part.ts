import type { CacheControl } from './cache-control.js';
import type { Citation } from './citation.js';
import type { DataSource } from './data-source.js';
import type { ProviderMetadata, ProviderOptions } from './provider-options.js';

interface PartBase {
  /** Prompt-cache breakpoint after this part. */
  cacheControl?: CacheControl;
  /** Vendor-only or unrecognised fields of this part, by dialect family. */
  providerOptions?: ProviderOptions;
}

export interface TextPart extends PartBase {
  type: 'text';
  text: string;
  /** Sources cited by this text (responses only). */
  citations?: Citation[];
}

export interface ImagePart extends PartBase {
  type: 'image';
  source: DataSource;
  /** OpenAI image detail hint. */
  detail?: 'auto' | 'low' | 'high';
}

export interface AudioPart extends PartBase {
  type: 'audio';
  source: DataSource;
  /** Short format name as OpenAI spells it ("wav", "mp3"), if known. */
  format?: string;
}

/** A document or any other file (PDF, text, video) given to the model. */
export interface FilePart extends PartBase {
  type: 'file';
  source: DataSource;
  mediaType?: string;
  filename?: string;
  /** Document title/context where the provider supports them (Anthropic documents). */
  title?: string;
}

/** A call the assistant made to a tool. */
export interface ToolCallPart extends PartBase {
  type: 'tool-call';
  id: string;
  name: string;
  /** Arguments as the JSON text the model produced (kept verbatim, not re-serialised). */
  arguments: string;
  /** Vendor data that must survive a round trip, e.g. Gemini `thoughtSignature`. */
  providerMetadata?: ProviderMetadata;
}

/** The result of a tool call, sent back by the client. */
export interface ToolResultPart extends PartBase {
  type: 'tool-result';
  toolCallId: string;
  /** Tool name when the surface provides it (Gemini needs it; OpenAI does not send it). */
  name?: string;
  content: string | Array<TextPart | ImagePart | FilePart>;
  isError?: boolean;
}

/**
 * Model reasoning. Anthropic thinking (text + signature) and redacted thinking (opaque
 * `redactedData`), Gemini thoughts (thought signatures travel in `signature`), Bedrock
 * reasoningContent, OpenAI Responses reasoning items (encrypted content in `redactedData`),
 * DeepSeek/vLLM `reasoning_content`.
 */
export interface ReasoningPart extends PartBase {
  type: 'reasoning';
  text: string;
  /** Provider signature that must be sent back unchanged in the next turn. */
  signature?: string;
  /** Opaque encrypted reasoning (Anthropic redacted_thinking data, OpenAI encrypted_content). */
  redactedData?: string;
  providerMetadata?: ProviderMetadata;
}

/** A refusal message (OpenAI `refusal`). */
export interface RefusalPart extends PartBase {
  type: 'refusal';
  text: string;
}

export type SystemContentPart = TextPart;
export type UserContentPart = TextPart | ImagePart | AudioPart | FilePart;
export type AssistantContentPart = TextPart | ReasoningPart | ToolCallPart | RefusalPart | ImagePart | AudioPart;
export type ToolContentPart = ToolResultPart;
export type ContentPart =
  | TextPart
  | ImagePart
  | AudioPart
  | FilePart
  | ToolCallPart
  | ToolResultPart
  | ReasoningPart
  | RefusalPart;
