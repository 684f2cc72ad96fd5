import { GatewayError } from '../core/index.js';
import type { RequestContext } from '../pipeline/request-context.js';
import type { Operation } from '../pipeline/request-record.js';
import { dispatchInOrder, type AttemptFunction, type DispatchResult } from './dispatch.js';
import type { ProviderRegistry } from './provider-registry.js';
import { resolveModel } from './resolve-model.js';
import type { Target } from './target.js';

/** Decides where a request goes and runs the attempts. */
export interface Router {
  /** The ordered targets for a request: the requested model, then its fallbacks. */
  plan(model: string, context: RequestContext, operation: Operation): Target[];
  dispatch<T>(context: RequestContext, targets: readonly Target[], attempt: AttemptFunction<T>): Promise<DispatchResult<T>>;
}

/** Fallbacks from the request: the `fallbacks` body field or the x-switchyard-fallbacks header. */
function requestedFallbacks(context: RequestContext): string[] {
  const fromBody = context.directives.fallbacks ?? [];
  const header = context.request.headers['x-switchyard-fallbacks'];
  const fromHeader = typeof header === 'string' && header.trim() !== '' ? header.split(',').map((item) => item.trim()).filter(Boolean) : [];
  return [...fromBody, ...fromHeader];
}

export function createRouter(registry: ProviderRegistry): Router {
  return {
    plan(model, context) {
      const targets: Target[] = [resolveModel(model, registry)];
      for (const fallback of requestedFallbacks(context)) {
        try {
          const target = resolveModel(fallback, registry);
          targets.push({ ...target, reason: 'fallback' });
        } catch (error) {
          if (error instanceof GatewayError) {
            throw new GatewayError({
              code: error.code,
              status: error.status,
              param: 'fallbacks',
              message: `Fallback "${fallback}": ${error.message}`,
            });
          }
          throw error;
        }
      }
      return targets;
    },
    dispatch: dispatchInOrder,
  };
}
