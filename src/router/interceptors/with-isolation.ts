import type { Provider } from '../../providers/provider.js';
import type { ProviderLimiter } from '../provider-limiter.js';
import type { Interceptor } from './dispatch-call.js';
import { releaseWhenDone } from './release-when-done.js';

export interface IsolationOptions {
  limiterFor(provider: Provider): ProviderLimiter;
}

/**
 * Isolation: an attempt holds one of its provider's in-flight slots (until a stream ends), or
 * waits in the provider's bounded queue, or is refused at once with queue_full (429 with
 * retry-after), which routing treats as "try another target".
 */
export function withIsolation(options: IsolationOptions): Interceptor {
  return (next) => async (call) => {
    const limiter = options.limiterFor(call.target!.provider);
    if (!limiter.tryAcquire()) await limiter.acquire(call.signal, call.job.deadline - performance.now());
    try {
      const result = await next(call);
      releaseWhenDone(call.job.context, () => limiter.release());
      return result;
    } catch (thrown) {
      limiter.release();
      throw thrown;
    }
  };
}
