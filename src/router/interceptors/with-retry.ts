import { GatewayError, toGatewayError } from '../../core/index.js';
import type { Provider } from '../../providers/provider.js';
import { ClientAbortError } from '../../transport/map-transport-error.js';
import { classifyFailure, failureLabel } from '../classify-failure.js';
import type { HealthRegistry } from '../health/health-registry.js';
import type { RetryBudget } from '../retry-budget.js';
import { retryDelay, type RetryPolicy } from '../retry-policy.js';
import { sleep } from '../sleep.js';
import { targetId, type Target } from '../target.js';
import { circuitOpenError } from './circuit-open-error.js';
import type { Interceptor, RequestDispatch } from './dispatch-call.js';
import { hasUsableKey } from './key-choice.js';
import { pickMember, refreshAvoid } from './pick-target.js';
import { recordSkipped } from './with-attempt-record.js';

export interface RetryOptions {
  health: HealthRegistry;
  budget: RetryBudget;
  policyFor(provider: Provider): RetryPolicy;
  /** routing.maxEjectedShare. */
  maxEjectedShare: number;
  random: () => number;
}

/** The error to report when the retry budget refuses a retry: the last failure, saying so. */
function budgetSpent(error: GatewayError | undefined): GatewayError {
  const base = error ?? new GatewayError({ code: 'upstream_error', status: 502, message: 'The provider failed' });
  return new GatewayError({
    code: base.code,
    status: base.status,
    retryable: base.retryable,
    ...(base.retryAfterMs === undefined ? {} : { retryAfterMs: base.retryAfterMs }),
    ...(base.upstream === undefined ? {} : { upstream: base.upstream }),
    ...(base.headers === undefined ? {} : { headers: base.headers }),
    message: `${base.message} (not retried: the gateway's retry budget is spent)`,
    cause: base,
  });
}

/** Every member of the group is ejected: note them in the attempt log and report the circuit. */
function allEjected(group: readonly Target[], job: RequestDispatch, health: HealthRegistry, reason: string | undefined): GatewayError {
  let soonest = Infinity;
  let first: Target | undefined;
  for (const target of group) {
    if (!job.avoid.has(targetId(target))) continue;
    recordSkipped(job.context, target, undefined, reason === undefined ? 'ejected' : `${reason}; ejected`, 'circuit_open');
    const remaining = health.targetRemainingMs(target);
    if (remaining < soonest || first === undefined) {
      soonest = remaining;
      first = target;
    }
  }
  return circuitOpenError(first ?? group[0]!, Number.isFinite(soonest) ? soonest : 0);
}

/**
 * Retries within one group of targets. A failure another member could fix moves to that member
 * at once; with none left the same target is retried after exponential backoff with jitter, or
 * after the provider's retry-after when it sent one. 429 rotates to another key first; 401/403
 * skip the key (and do not count as retries); 400/404/422 are never retried. Every attempt after
 * a request's first spends the retry budget, and none starts past the deadline.
 */
export function withRetry(options: RetryOptions): Interceptor {
  const { health, budget, random } = options;
  return (next) => async (call) => {
    const job = call.job;
    const group = call.group!;
    const tried = new Set<Target>();
    let reason = call.reason;
    let retries = 0;
    let chosen: Target | undefined;
    for (;;) {
      if (chosen === undefined) {
        refreshAvoid(job, health, options.maxEjectedShare);
        chosen = pickMember(group, job, tried, health, random);
        if (chosen === undefined) {
          if (group.some((target) => job.avoid.has(targetId(target)))) throw allEjected(group, job, health, reason);
          throw job.lastError ?? allEjected(group, job, health, reason);
        }
      }
      const target = chosen;
      if (job.attempts > 0 && !budget.tryRetry()) {
        job.budgetSpent = true;
        job.lastError = budgetSpent(job.lastError);
        throw job.lastError;
      }
      job.attempts++;
      tried.add(target);
      const id = targetId(target);
      job.busyTargets.add(id);
      try {
        return await next({ ...call, target, reason });
      } catch (thrown) {
        job.busyTargets.delete(id);
        if (call.signal.aborted) throw call.signal.reason ?? thrown;
        if (thrown instanceof ClientAbortError) throw thrown;
        const error = toGatewayError(thrown);
        const kind = classifyFailure(error);
        if (kind === 'client') throw error;
        if (kind !== 'ejected') job.lastError = error;
        const label = failureLabel(error);
        const policy = options.policyFor(target.provider);
        const limit = job.maxRetries ?? policy.attempts;
        chosen = undefined;
        if (kind === 'key-auth' || kind === 'key-quota') {
          // The key is skipped for the rest of the request; another key of the same target is
          // not a retry of a failure the provider had, so it does not count.
          if (hasUsableKey(target, job, false)) {
            chosen = target;
            reason = `retry after ${label} (key skipped)`;
            continue;
          }
          job.failedTargets.add(id);
        } else if (kind === 'target' || kind === 'busy' || kind === 'ejected') {
          job.failedTargets.add(id);
        } else if (++retries > limit) {
          throw error;
        }
        if (kind === 'key-rate' && hasUsableKey(target, job, true)) {
          chosen = target;
          reason = `retry after ${label} (key rotated)`;
          continue;
        }
        refreshAvoid(job, health, options.maxEjectedShare);
        const other = pickMember(group, job, tried, health, random, target);
        if (other !== undefined) {
          chosen = other;
          reason = `retry after ${label}`;
          continue;
        }
        if (job.failedTargets.has(id) || job.avoid.has(id)) throw error;
        // Only this target is left: wait, then try it again.
        const delay = retryDelay(policy, retries, error.retryAfterMs, random);
        if (delay === undefined || performance.now() + delay >= job.deadline) throw error;
        await sleep(delay, call.signal);
        chosen = target;
        reason = `retry after ${label}`;
      }
    }
  };
}
