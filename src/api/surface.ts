import type { IncomingHttpHeaders } from 'node:http';
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
} from '../core/index.js';
import type { Dialect } from '../providers/provider.js';
import type { RequestContext } from '../pipeline/request-context.js';

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
  /**
   * Optional async step after decoding, before admission and routing, with the live request
   * context: the Responses surface loads `previous_response_id` history from its store here (and
   * turns passthrough off when it rewrote the conversation). Throw a GatewayError to refuse.
   */
  prepareChatRequest?(decoded: DecodedChatRequest, context: RequestContext): void | Promise<void>;
  encodeChatResponse(response: ChatResponse, request: ChatRequest, info: StreamEncoderInfo): string;
  createStreamEncoder(request: ChatRequest, info: StreamEncoderInfo): StreamEncoder;
}

export interface EmbeddingSurface extends Surface {
  decodeEmbeddingRequest(body: unknown, info: SurfaceRequestInfo): EmbeddingRequest;
  encodeEmbeddingResponse(response: EmbeddingResponse, request: EmbeddingRequest, info: StreamEncoderInfo): string;
}

export interface CompletionSurface extends Surface {
  decodeCompletionRequest(body: unknown, info: SurfaceRequestInfo): CompletionRequest;
  encodeCompletionResponse(response: CompletionResponse, info: StreamEncoderInfo): string;
  createCompletionStreamEncoder(request: CompletionRequest, info: StreamEncoderInfo): StreamEncoder;
}

export interface RerankSurface extends Surface {
  decodeRerankRequest(body: unknown, info: SurfaceRequestInfo): RerankRequest;
  encodeRerankResponse(response: RerankResponse, request: RerankRequest, info: StreamEncoderInfo): string;
}
