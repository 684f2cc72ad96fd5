import type { Usage, Warning } from '../core/index.js';

export type Operation = 'chat' | 'completions' | 'embeddings' | 'rerank' | 'models' | 'count-tokens' | 'other';

/**
 * Operations providers do not bill: counting tokens (Anthropic count_tokens, Gemini countTokens,
 * Bedrock CountTokens are free) and listing models. They answer without usage, yet cost nothing
 * and use no model tokens, so budgets and token limits charge them 0.
 */
export function isUnbilledOperation(operation: Operation): boolean {
  return operation === 'count-tokens' || operation === 'models';
}

/** One try against one provider target. */
export interface AttemptRecord {
  provider: string;
  model: string;
  /** Name of the provider key used (never the secret). */
  key?: string;
  /** Upstream HTTP status; 0 when no response arrived (connect failure, timeout). */
  status: number;
  latencyMs: number;
  outcome: 'success' | 'error' | 'aborted';
  /** Canonical error code for failures. */
  errorCode?: string;
  /** Why this attempt ended or was made (e.g. "fallback", "retry after 429"). */
  reason?: string;
  passthrough: boolean;
}

/** Who made the request, once governance has authenticated it. */
export interface RequestPrincipal {
  virtualKeyId?: string;
  virtualKeyName?: string;
  teamId?: string;
  customerId?: string;
}

/**
 * The per-request record: created when a request arrives, annotated by every stage (routing,
 * attempts, usage, cost, cache, warnings), and read by response headers, logs, metrics and
 * budgets when the request completes. Plain data, safe to serialise.
 */
export interface RequestRecord {
  id: string;
  /** W3C trace id, when tracing or a traceparent header supplied one. */
  traceId?: string;
  /** Wall-clock start, epoch milliseconds. */
  startedAt: number;
  /** Monotonic start (performance.now()). */
  start: number;
  surface: string;
  operation: Operation;
  /** Request path, without the query string. */
  path: string;
  stream: boolean;
  /** The model string the client sent. */
  modelRequested?: string;
  /** The provider (id and type) and upstream model of the attempt that answered. */
  provider?: string;
  providerType?: string;
  model?: string;
  /** The model id the provider reported in its response. */
  modelReported?: string;
  keyName?: string;
  attempts: AttemptRecord[];
  usage?: Usage;
  /** Cost in USD; null when the price of the model is unknown; absent until computed. */
  costUsd?: number | null;
  cache?: 'hit' | 'miss' | 'bypass' | 'semantic-hit';
  warnings: Warning[];
  /** HTTP status sent to the client (499 when the client went away first). */
  status: number;
  errorCode?: string;
  errorMessage?: string;
  finishReason?: string;
  passthrough: boolean;
  clientAborted: boolean;
  principal?: RequestPrincipal;
  /** Free-form tags from the client (x-switchyard-metadata) and from plugins. */
  metadata: Record<string, string>;
  timing: {
    /** Time spent waiting on upstreams, summed over attempts. */
    upstreamMs: number;
    /** From arrival to the first response byte sent to the client. */
    firstByteMs?: number;
    /** From arrival to the end of the response. */
    totalMs?: number;
    /** Time the gateway itself spent (total minus upstream time). */
    overheadMs?: number;
  };
}

export function createRequestRecord(id: string, surface: string, operation: Operation, path: string): RequestRecord {
  return {
    id,
    startedAt: Date.now(),
    start: performance.now(),
    surface,
    operation,
    path,
    stream: false,
    attempts: [],
    warnings: [],
    status: 0,
    passthrough: false,
    clientAborted: false,
    metadata: {},
    timing: { upstreamMs: 0 },
  };
}
