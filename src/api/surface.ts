import type { IncomingHttpHeaders } from 'node:http';
import type { ChatRequest, ChatResponse, GatewayError, StreamEvent } from '../core/index.js';
import type { Dialect } from '../providers/provider.js';

/** An encoded error, ready to write. */
export interface EncodedError {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What a surface knows about the HTTP request beyond its body. */
export interface SurfaceRequestInfo {
  headers: IncomingHttpHeaders;
  /** Path parameters (e.g. the model in /genai/v1beta/models/{model}:generateContent). */
  params: Readonly<Record<string, string>>;
  /** Query string parameters. */
  query: URLSearchParams | undefined;
}

/** Gateway-only request fields a surface found in the body (never sent upstream). */
export interface GatewayDirectives {
  /** Ordered fallback targets ("provider/model"). */
  fallbacks?: string[];
}

export interface DecodedChatRequest {
  request: ChatRequest;
  directives: GatewayDirectives;
  /** Top-level body fields to strip when the body is forwarded as-is. */
  gatewayFields: readonly string[];
}

/**
 * Converts a canonical stream into the surface's wire events. Each method returns the text to
 * write ('' for nothing); the pipeline batches writes per upstream chunk.
 */
export interface StreamEncoder {
  readonly headers: Readonly<Record<string, string>>;
  /**
   * How the returned strings are written. Binary framings (AWS event stream) return 'latin1'
   * strings, one character per byte; text streams leave it unset (UTF-8).
   */
  readonly encoding?: 'latin1';
  encode(event: StreamEvent): string;
  /** The stream completed normally. */
  end(): string;
  /** The stream failed after it started: an error event in the surface's format, then the end. */
  error(error: GatewayError): string;
}

export interface StreamEncoderInfo {
  requestId: string;
  /** The model name to show when the provider did not report one. */
  model: string;
  /** When the request arrived (performance.now()), for surfaces that report latency (Bedrock metrics). */
  startedAt?: number;
}

/** A client-facing wire format. */
export interface Surface {
  readonly name: string;
  /** Passthrough happens when this equals the provider's dialect. */
  readonly dialect: Dialect;
  encodeError(error: GatewayError): EncodedError;
}

export interface ChatSurface extends Surface {
  decodeChatRequest(body: unknown, info: SurfaceRequestInfo): DecodedChatRequest;
  encodeChatResponse(response: ChatResponse, request: ChatRequest, info: StreamEncoderInfo): string;
  createStreamEncoder(request: ChatRequest, info: StreamEncoderInfo): StreamEncoder;
}

export interface EmbeddingSurface extends Surface {
  decodeEmbeddingRequest(body: unknown, info: SurfaceRequestInfo): import('../core/index.js').EmbeddingRequest;
  encodeEmbeddingResponse(
    response: import('../core/index.js').EmbeddingResponse,
    request: import('../core/index.js').EmbeddingRequest,
    info: StreamEncoderInfo,
  ): string;
}

export interface CompletionSurface extends Surface {
  decodeCompletionRequest(body: unknown, info: SurfaceRequestInfo): import('../core/index.js').CompletionRequest;
  encodeCompletionResponse(response: import('../core/index.js').CompletionResponse, info: StreamEncoderInfo): string;
  createCompletionStreamEncoder(request: import('../core/index.js').CompletionRequest, info: StreamEncoderInfo): StreamEncoder;
}
