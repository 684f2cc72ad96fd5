import { GatewayError } from '../../core/index.js';
import type { HealthRegistry } from '../health/health-registry.js';
import type { Interceptor } from './dispatch-call.js';
import { releaseWhenDone } from './release-when-done.js';

export interface CircuitBreakerOptions {
  health: HealthRegistry;
}

/**
 * Circuit breaking / outlier ejection: each attempt passes the breakers of its provider, model
 * and key (as a half-open probe when a circuit is about to readmit), and its outcome is recorded
 * on them, with its latency for the latency-aware strategy. The target was already chosen with
 * ejection in mind (pick-target.ts), so admission here never refuses; it only counts.
 */
export function withCircuitBreaker(options: CircuitBreakerOptions): Interceptor {
  const { health } = options;
  return (next) => async (call) => {
    const target = call.target!;
    const key = call.key;
    const admissions = health.admit(target, key, true)!;
    const started = performance.now();
    try {
      const result = await next(call);
      health.success(target, key, admissions, performance.now() - started);
      releaseWhenDone(call.job.context, () => health.finished(target, key));
      return result;
    } catch (thrown) {
      health.finished(target, key);
      const cause = call.signal.aborted ? call.signal.reason : thrown;
      if (cause instanceof GatewayError) health.failure(target, key, admissions, cause, performance.now() - started);
      else health.release(target, key, admissions);
      throw thrown;
    }
  };
}
