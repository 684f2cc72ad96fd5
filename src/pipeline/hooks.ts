import type { Target } from '../router/target.js';
import type { RequestContext } from './request-context.js';
import type { AttemptRecord, RequestRecord } from './request-record.js';

/**
 * Extension points of the request pipeline. Each list runs in registration order. Governance,
 * plugins, caching and observability attach here instead of editing the pipeline.
 */
export interface PipelineHooks {
  /**
   * Before the body is read: cheap checks on headers only (authentication). Throw a
   * GatewayError to refuse the request.
   */
  authenticate: Array<(context: RequestContext) => void | Promise<void>>;
  /**
   * After the body is decoded and before any upstream call: authorisation, rate limits, budget
   * reservation, request plugins. Throw a GatewayError to refuse.
   */
  admit: Array<(context: RequestContext) => void | Promise<void>>;
  /**
   * Before each upstream attempt, once its target and key are chosen: per-provider limits,
   * tracing spans. Throw a GatewayError to skip this target (counted as a failed attempt).
   */
  attemptStart: Array<(context: RequestContext, target: Target, attempt: AttemptRecord) => void>;
  /** After each attempt, successful or not (the attempt record is complete). */
  attemptEnd: Array<(context: RequestContext, attempt: AttemptRecord, error: unknown) => void>;
  /** Just before response headers are written: add headers (rate-limit state, cost, ...). */
  responseHeaders: Array<(context: RequestContext, headers: Record<string, string>) => void>;
  /**
   * When the request has fully ended (response finished, failed, or client gone). Runs after
   * the response is written; must not throw. Budget settlement, logs, metrics.
   */
  complete: Array<(record: RequestRecord, context: RequestContext) => void>;
}

export function createPipelineHooks(): PipelineHooks {
  return { authenticate: [], admit: [], attemptStart: [], attemptEnd: [], responseHeaders: [], complete: [] };
}
