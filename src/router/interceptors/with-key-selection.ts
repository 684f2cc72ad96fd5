import { GatewayError } from '../../core/index.js';
import { classifyFailure } from '../classify-failure.js';
import type { HealthRegistry } from '../health/health-registry.js';
import type { Interceptor } from './dispatch-call.js';
import { chooseKey, keyId } from './key-choice.js';
import { recordSkipped } from './with-attempt-record.js';

export interface KeySelectionOptions {
  health: HealthRegistry;
  maxEjectedShare: number;
  random: () => number;
}

/**
 * Key selection for each attempt (see chooseKey), and what a failure says about the key: a key
 * answered 401/403 (or quota exhausted) is skipped for the rest of the request; a key answered
 * 429 is used again by this request only when no other key is left.
 */
export function withKeySelection(options: KeySelectionOptions): Interceptor {
  return (next) => async (call) => {
    const target = call.target!;
    const job = call.job;
    if (target.provider.settings.keys.length === 0) return next(call);
    const key = chooseKey(target, job, options.health, options.maxEjectedShare, options.random);
    if (key === undefined) {
      const pinned = job.pinnedKey !== undefined && target.provider.settings.keys.some((candidate) => candidate.name === job.pinnedKey);
      recordSkipped(job.context, target, undefined, call.reason ?? (pinned ? `pinned key "${job.pinnedKey}" unusable` : undefined), 'no_key');
      if (job.lastError !== undefined && job.lastError.upstream?.provider === target.provider.id) throw job.lastError;
      throw new GatewayError({
        code: 'model_not_found',
        status: 404,
        message: pinned
          ? `The pinned key "${job.pinnedKey}" of provider "${target.provider.id}" may not serve "${target.model}".`
          : `No key of provider "${target.provider.id}" may serve "${target.model}".`,
      });
    }
    try {
      return await next({ ...call, key });
    } catch (thrown) {
      if (thrown instanceof GatewayError && !call.signal.aborted) {
        const kind = classifyFailure(thrown);
        if (kind === 'key-auth' || kind === 'key-quota') job.refusedKeys.add(keyId(target, key));
        else if (kind === 'key-rate') job.limitedKeys.add(keyId(target, key));
      }
      throw thrown;
    }
  };
}
