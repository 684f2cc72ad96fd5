import type { GatewayError } from '../core/index.js';
import { toGatewayError } from '../core/index.js';
import type { RequestContext } from '../pipeline/request-context.js';
import type { AttemptRecord } from '../pipeline/request-record.js';
import type { ProviderKey } from '../providers/provider-settings.js';
import { ClientAbortError } from '../transport/map-transport-error.js';
import { selectKey } from './select-key.js';
import type { Target } from './target.js';

/** Runs one attempt against one target with one key. Throws a GatewayError on failure. */
export type AttemptFunction<T> = (target: Target, key: ProviderKey | undefined, attempt: AttemptRecord) => Promise<T>;

export interface DispatchResult<T> {
  result: T;
  target: Target;
  key: ProviderKey | undefined;
}

/**
 * Errors after which the next target is worth trying: retryable failures, and failures that
 * belong to the target (its key was refused, it does not know the model, governance refused
 * this target from an attemptStart hook). A bad request is the client's and would fail
 * everywhere.
 */
export function isTargetFailure(error: GatewayError): boolean {
  if (error.retryable) return true;
  return (
    error.code === 'permission_denied' ||
    error.code === 'rate_limited' ||
    error.code === 'budget_exceeded' ||
    error.code === 'upstream_authentication' ||
    error.code === 'upstream_permission' ||
    error.code === 'upstream_not_found' ||
    error.code === 'model_not_found' ||
    error.code === 'not_supported'
  );
}

/**
 * Try the targets in order until one answers. Every try is recorded on the request record.
 * Stops at the first error that another target would not fix, or when the client is gone.
 */
export async function dispatchInOrder<T>(
  context: RequestContext,
  targets: readonly Target[],
  attempt: AttemptFunction<T>,
): Promise<DispatchResult<T>> {
  const record = context.record;
  let lastError: GatewayError | undefined;
  for (const target of targets) {
    const provider = target.provider;
    const key = selectKey(provider.settings.keys, target.model);
    const entry: AttemptRecord = {
      provider: provider.id,
      model: target.model,
      status: 0,
      latencyMs: 0,
      outcome: 'error',
      passthrough: false,
      ...(target.reason === 'requested' ? {} : { reason: target.reason }),
    };
    if (key !== undefined) entry.key = key.name;
    record.attempts.push(entry);
    if (key === undefined && provider.settings.keys.length > 0) {
      entry.errorCode = 'no_key';
      entry.reason = `no key of provider "${provider.id}" may serve "${target.model}"`;
      continue;
    }
    const started = performance.now();
    const hooks = context.hooks;
    try {
      for (const hook of hooks.attemptStart) hook(context, target, entry);
      const result = await attempt(target, key, entry);
      entry.latencyMs = performance.now() - started;
      entry.outcome = 'success';
      if (entry.status === 0) entry.status = 200;
      record.timing.upstreamMs += entry.latencyMs;
      for (const hook of hooks.attemptEnd) hook(context, entry, undefined);
      return { result, target, key };
    } catch (thrown) {
      entry.latencyMs = performance.now() - started;
      record.timing.upstreamMs += entry.latencyMs;
      if (thrown instanceof ClientAbortError) {
        entry.outcome = 'aborted';
        for (const hook of hooks.attemptEnd) hook(context, entry, thrown);
        throw thrown;
      }
      const error = toGatewayError(thrown);
      entry.errorCode = error.code;
      if (entry.status === 0 && error.upstream?.status !== undefined) entry.status = error.upstream.status;
      for (const hook of hooks.attemptEnd) hook(context, entry, error);
      lastError = error;
      if (context.record.clientAborted || !isTargetFailure(error)) throw error;
    }
  }
  throw lastError ?? toGatewayError(new Error('no target to dispatch to'));
}
