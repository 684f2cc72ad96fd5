import { GatewayError } from '../../core/index.js';
import { scheduleCoarse } from '../coarse-timers.js';
import type { Interceptor, RequestDispatch } from './dispatch-call.js';

export interface DeadlineOptions {
  /** routing.deadline, used when neither the route nor the request sets one. */
  defaultMs: number;
}

function deadlineError(ms: number, job: RequestDispatch): GatewayError {
  return new GatewayError({
    code: 'upstream_timeout',
    status: 504,
    message: `No provider answered within the request deadline of ${Math.round(ms)} ms (${job.attempts} attempt${job.attempts === 1 ? '' : 's'}).`,
    upstream: { code: 'deadline_exceeded', ...(job.lastError?.upstream?.provider === undefined ? {} : { provider: job.lastError.upstream.provider }) },
  });
}

/**
 * One overall deadline per request, across attempts, retries, backoff and queueing, until the
 * response is committed: the route's deadline, else routing.deadline, shortened by the client's
 * x-switchyard-timeout. When it passes, the running attempt is aborted and nothing new starts.
 */
export function withDeadline(options: DeadlineOptions): Interceptor {
  return (next) => (call) => {
    const job = call.job;
    const routeMs = job.groups[0]?.[0]?.group?.deadlineMs ?? options.defaultMs;
    const ms = job.timeoutMs === undefined ? routeMs : Math.min(routeMs, job.timeoutMs);
    job.deadline = performance.now() + ms;
    const context = job.context;
    if (call.signal === context.signal) {
      // The common case: abort the request's own signal at the deadline; no second controller.
      const timer = scheduleCoarse(ms, () => context.abort(deadlineError(ms, job)));
      return next(call).finally(() => timer.cancel());
    }
    const controller = new AbortController();
    const upstream = call.signal;
    if (upstream.aborted) controller.abort(upstream.reason);
    else upstream.addEventListener('abort', () => controller.abort(upstream.reason), { once: true });
    const timer = scheduleCoarse(ms, () => controller.abort(deadlineError(ms, job)));
    return next({ ...call, signal: controller.signal }).finally(() => timer.cancel());
  };
}
