import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayDirectives, Surface } from '../api/surface.js';
import type { ChatRequest, EmbeddingRequest, GatewayError, RerankRequest, StreamEvent } from '../core/index.js';
import { ClientAbortError } from '../transport/map-transport-error.js';
import type { PipelineHooks } from './hooks.js';
import type { RequestRecord } from './request-record.js';

/**
 * Everything about one request in flight. The record is the data that outlives it; the rest is
 * the live state stages share (HTTP objects, abort signal, decoded body, scratch space).
 */
export class RequestContext {
  readonly record: RequestRecord;
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly surface: Surface;
  readonly hooks: PipelineHooks;
  /** Raw request body bytes (after it was read). */
  rawBody: Buffer | undefined;
  /** Parsed request body. */
  body: unknown;
  /** The decoded chat request; admission hooks (plugins) may replace it. */
  chatRequest: ChatRequest | undefined;
  embeddingRequest: EmbeddingRequest | undefined;
  rerankRequest: RerankRequest | undefined;
  directives: GatewayDirectives = {};
  /** Body fields only the gateway reads, stripped before passthrough forwarding. */
  gatewayFields: readonly string[] = [];
  /** Headers stages want on the response (rate-limit state, ...). */
  readonly responseHeaders: Record<string, string> = {};
  /** Stages that need the canonical form turn passthrough off (plugins that rewrite, ...). */
  passthroughAllowed = true;
  /** Called with every canonical stream event sent to the client (stream logging, caching). */
  readonly streamObservers: Array<(event: StreamEvent) => void> = [];
  /**
   * Extra headers for every upstream request of this request (trace context, ...), set by hooks
   * (e.g. attemptStart) and added by sendToProvider before signing. Absent unless a stage needs it.
   */
  upstreamHeaders: Record<string, string> | undefined;
  /** A stage (full content logging) wants the complete response body kept in `responseBody`. */
  captureResponseBody = false;
  /** The non-streamed response body as sent, when `captureResponseBody` was set. */
  responseBody: string | Buffer | undefined;
  /** Per-stage scratch space, keyed by a symbol each stage owns. */
  readonly state = new Map<symbol, unknown>();
  /** The error the request ended with, if any. */
  error: GatewayError | undefined;
  private abortController: AbortController | undefined;
  private finished = false;

  constructor(record: RequestRecord, request: IncomingMessage, response: ServerResponse, surface: Surface, hooks: PipelineHooks) {
    this.record = record;
    this.hooks = hooks;
    this.request = request;
    this.response = response;
    this.surface = surface;
  }

  /** Aborted when the client disconnects before the response is complete. */
  get signal(): AbortSignal {
    if (this.abortController === undefined) {
      const controller = new AbortController();
      this.abortController = controller;
      if (this.record.clientAborted || this.response.destroyed) controller.abort(new ClientAbortError());
    }
    return this.abortController.signal;
  }

  /**
   * Abort the request's work with `reason` (the router's deadline uses this instead of a second
   * controller per request). Client disconnects go through clientGone.
   */
  abort(reason: unknown): void {
    void this.signal;
    this.abortController!.abort(reason);
  }

  /** Called by the server when the connection closes before the response finished. */
  clientGone(): void {
    if (this.finished) return;
    this.record.clientAborted = true;
    this.abortController?.abort(new ClientAbortError());
  }

  markFinished(): void {
    this.finished = true;
  }

  get isFinished(): boolean {
    return this.finished;
  }
}
