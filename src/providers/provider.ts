import type { IncomingHttpHeaders } from 'node:http';
import type { ZodType } from 'zod';
import type {
  ChatRequest,
  ChatResponse,
  CompletionRequest,
  CompletionResponse,
  EmbeddingRequest,
  EmbeddingResponse,
  GatewayError,
  RerankRequest,
  RerankResponse,
  StreamEvent,
  Usage,
  Warning,
} from '../core/index.js';
import type { SseEvent } from '../transport/sse-parser.js';
import type { UpstreamRequest } from '../transport/upstream-request.js';
import type { ProviderKey, ProviderSettings } from './provider-settings.js';

/**
 * A wire dialect. Surfaces and providers both declare one; when they match and nothing needs to
 * rewrite the body, the gateway forwards bytes (the passthrough fast path).
 */
export type Dialect =
  | 'openai-chat'
  | 'openai-responses'
  | 'anthropic-messages'
  | 'gemini'
  | 'bedrock-converse'
  | 'cohere-v2'
  | (string & {});

/** Everything an adapter needs to know about the call it is building or decoding. */
export interface ProviderCallContext {
  provider: ProviderSettings;
  /** The upstream model id. */
  model: string;
  key: ProviderKey | undefined;
  /** Lossy conversions are pushed here; in strict mode the pipeline turns them into errors. */
  warnings: Warning[];
  /**
   * The model's output token limit from the catalog, when known. Providers that require a limit
   * (Anthropic max_tokens) send it when the client gave none, with a warning.
   */
  maxOutputTokens?: number;
}

/** Emits canonical events; decoders call it synchronously while consuming a frame. */
export type EmitEvent = (event: StreamEvent) => void;

/** Turns provider stream frames into canonical events. One instance per stream. */
export interface StreamDecoder<Frame = SseEvent> {
  push(frame: Frame, emit: EmitEvent): void;
  /** The upstream body ended: close open blocks, report truncation. */
  end(emit: EmitEvent): void;
}

export type StreamFraming = 'sse' | 'aws-eventstream';

export interface ChatAdapter {
  /** How this provider frames streams. */
  streamFraming: StreamFraming;
  buildRequest(request: ChatRequest, context: ProviderCallContext): UpstreamRequest;
  decodeResponse(body: unknown, context: ProviderCallContext): ChatResponse;
  /** The frame type matches `streamFraming`: SseEvent for "sse", an event-stream message otherwise. */
  createStreamDecoder(context: ProviderCallContext): StreamDecoder<unknown>;
}

export interface EmbeddingAdapter {
  buildRequest(request: EmbeddingRequest, context: ProviderCallContext): UpstreamRequest;
  decodeResponse(body: unknown, request: EmbeddingRequest, context: ProviderCallContext): EmbeddingResponse;
}

export interface RerankAdapter {
  buildRequest(request: RerankRequest, context: ProviderCallContext): UpstreamRequest;
  decodeResponse(body: unknown, request: RerankRequest, context: ProviderCallContext): RerankResponse;
}

export interface CompletionAdapter {
  buildRequest(request: CompletionRequest, context: ProviderCallContext): UpstreamRequest;
  decodeResponse(body: unknown, context: ProviderCallContext): CompletionResponse;
  createStreamDecoder(context: ProviderCallContext): StreamDecoder<SseEvent>;
}

/** Which operations the provider can take as raw bytes in its own dialect. */
export type PassthroughOperation = 'chat' | 'embeddings' | 'completions' | 'rerank';

export interface PassthroughBuildOptions {
  /** Top-level fields only the gateway understands (e.g. "fallbacks"); removed before sending. */
  removeFields: readonly string[];
  /**
   * The client's request headers, for dialect headers that travel with the body (Anthropic
   * `anthropic-beta`). Credentials among them are never forwarded.
   */
  clientHeaders?: IncomingHttpHeaders;
  /**
   * The client asked for a stream. Dialects that put streaming in the URL rather than the body
   * (Gemini's :streamGenerateContent) need it to pick the upstream path.
   */
  stream?: boolean;
}

export interface PassthroughRequest {
  request: UpstreamRequest;
  /**
   * The gateway asked the provider for stream usage the client did not request; the usage-only
   * event must then be read but not forwarded.
   */
  injectedUsage: boolean;
}

export interface PassthroughSupport {
  /**
   * Build the upstream request around the client's own body bytes, patching only what must
   * change (the model id, stream usage). Undefined when the body cannot be patched.
   */
  buildRequest(
    operation: PassthroughOperation,
    rawBody: Buffer,
    parsedBody: Record<string, unknown>,
    context: ProviderCallContext,
    options: PassthroughBuildOptions,
  ): PassthroughRequest | undefined;
  /** Read usage from a complete non-streaming response body. */
  readUsage(operation: PassthroughOperation, body: unknown): Usage | undefined;
  /** Read usage from one stream event's data, if it carries any. */
  readStreamUsage(data: string): Usage | undefined;
  /** True for the usage-only event that answers injected usage (hidden from the client). */
  isInjectedUsageEvent(data: string): boolean;
  /**
   * A per-stream usage reader, for dialects whose usage is spread over several events
   * (Anthropic: input side in message_start, output in message_delta). Preferred over
   * `readStreamUsage` when present; each returned usage is the whole usage so far.
   */
  createStreamUsageReader?(): (data: string) => Usage | undefined;
  /** True for a stream event that reports an error (default: data starting with `{"error"`). */
  isStreamErrorEvent?(data: string): boolean;
  /**
   * True when a stream event's data carries content (text, reasoning, a tool call, ...), as
   * opposed to a role-only or metadata event. The stream is committed to the client at the first
   * content, so failures before it can still fail over. Absent: the first event counts.
   */
  isContentEvent?(data: string): boolean;
}

/** Counts the input tokens of a chat request upstream (Anthropic messages/count_tokens). */
export interface TokenCountAdapter {
  buildRequest(request: ChatRequest, context: ProviderCallContext): UpstreamRequest;
  /** The input token count from the provider's answer. */
  decodeResponse(body: unknown, context: ProviderCallContext): number;
}

/**
 * Stored-response operations of a provider that keeps OpenAI Responses API state upstream
 * (OpenAI, Azure OpenAI): the gateway forwards GET/DELETE /v1/responses/{id} for ids it did not
 * store itself. `suffix` is "" or "/input_items"; `query` is the client's query string (no "?").
 */
export interface ResponsesResourceSupport {
  buildRequest(method: 'GET' | 'DELETE', id: string, suffix: '' | '/input_items', query: string): UpstreamRequest;
}

/** A configured, ready-to-use provider. */
export interface Provider {
  readonly id: string;
  readonly type: string;
  readonly dialect: Dialect;
  readonly settings: ProviderSettings;
  readonly chat?: ChatAdapter;
  readonly embeddings?: EmbeddingAdapter;
  readonly completions?: CompletionAdapter;
  readonly rerank?: RerankAdapter;
  readonly passthrough?: PassthroughSupport;
  /** Exact input token counting, where the provider offers it. */
  readonly countTokens?: TokenCountAdapter;
  /** Present when the provider stores Responses API objects that can be retrieved and deleted. */
  readonly responsesResource?: ResponsesResourceSupport;
  /** Attach credentials (bearer, api-key header, SigV4, OAuth). May be async (signing, token fetch). */
  authenticate(request: UpstreamRequest, key: ProviderKey | undefined): void | Promise<void>;
  /** Map an upstream error response to a canonical error. */
  mapError(status: number, headers: IncomingHttpHeaders, bodyText: string): GatewayError;
  /** True when the provider natively serves this model name (built-in patterns or config). */
  servesModel(model: string): boolean;
  /** Model names to advertise on /v1/models. */
  listModels(): string[];
}

/** A provider type: how to validate its config and build a Provider from it. */
export interface ProviderDefinition {
  /** The `type` users write in config, e.g. "openai", "groq", "openai-compatible". */
  type: string;
  displayName: string;
  dialect: Dialect;
  defaultBaseUrl?: string;
  /** Environment variables read when there is no config file. */
  env?: {
    /** Any of these holds the API key; the first set one wins. */
    apiKey?: string[];
    baseUrl?: string[];
    /** Add the provider from the environment even without a key, when a base URL is set. */
    keyless?: boolean;
    /** Provider config fields read from variables (field → variables, first set wins), e.g. apiVersion. */
    options?: Record<string, string[]>;
    /**
     * For providers whose credentials are more than one key variable (AWS): build the config
     * entry from the environment, or undefined to leave the provider out. Replaces the rules above.
     */
    fromEnvironment?: (env: Readonly<Record<string, string | undefined>>) => Record<string, unknown> | undefined;
  };
  /** A key is required to call this provider. */
  requiresKey: boolean;
  /** Model name patterns the provider natively serves (for bare-name resolution). */
  modelPatterns?: string[];
  /** A few well-known models, advertised on /v1/models when the config lists none. */
  knownModels?: string[];
  /** Extra provider-level config fields (zod shape entries) beyond the common ones. */
  configFields?: Record<string, ZodType>;
  /** Extra key-level config fields. */
  keyFields?: Record<string, ZodType>;
  create(settings: ProviderSettings): Provider;
}
