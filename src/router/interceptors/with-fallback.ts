import { toGatewayError, type GatewayError } from '../../core/index.js';
import { ClientAbortError } from '../../transport/map-transport-error.js';
import { classifyFailure } from '../classify-failure.js';
import type { Interceptor } from './dispatch-call.js';

/**
 * Fallback: walk the groups of the plan in order (the route's targets, then each fallback),
 * moving on after any failure another target could fix. A failure of the request itself (400,
 * 422, context too long) or a client that left stops the walk. When everything failed, the
 * client sees the last upstream error, not a bookkeeping one.
 */
export function withFallback(): Interceptor {
  return (next) => async (call) => {
    let lastError: GatewayError | undefined;
    for (let index = 0; index < call.groups.length; index++) {
      try {
        return await next({ ...call, group: call.groups[index]!, reason: index === 0 ? call.reason : 'fallback' });
      } catch (thrown) {
        if (call.signal.aborted) throw call.signal.reason ?? thrown;
        if (thrown instanceof ClientAbortError) throw thrown;
        const error = toGatewayError(thrown);
        if (classifyFailure(error) === 'client' || call.job.budgetSpent) throw error;
        lastError = error;
      }
    }
    throw call.job.lastError ?? lastError ?? toGatewayError(new Error('no target to dispatch to'));
  };
}
