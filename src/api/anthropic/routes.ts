import { runChat } from '../../pipeline/run-chat.js';
import { sendBody, sendError } from '../../pipeline/respond.js';
import { runHooks } from '../../pipeline/run-hooks.js';
import type { RouteHandler, RouteTable } from '../../server/route-table.js';
import type { SurfaceRouteOptions } from '../openai/routes.js';
import { encodeAnthropicModel, encodeAnthropicModelList } from './anthropic-models.js';
import { anthropicSurface } from './anthropic-surface.js';
import { runCountTokens } from './count-tokens.js';

/** GET {prefix}/models in Anthropic's list shape. */
export const listAnthropicModels: RouteHandler = async (runtime, context) => {
  try {
    await runHooks(runtime.hooks.authenticate, context);
    sendBody(runtime, context, 200, encodeAnthropicModelList(runtime.providers, runtime.startedAt));
  } catch (error) {
    sendError(runtime, context, anthropicSurface, error);
  }
};

/** GET {prefix}/models/{id} in Anthropic's model shape. */
export const retrieveAnthropicModel: RouteHandler = async (runtime, context, info) => {
  try {
    await runHooks(runtime.hooks.authenticate, context);
    sendBody(runtime, context, 200, encodeAnthropicModel(runtime.providers, runtime.startedAt, info.params.rest ?? ''));
  } catch (error) {
    sendError(runtime, context, anthropicSurface, error);
  }
};

/**
 * Mount the Anthropic surface under /anthropic/v1 (clients use base URL {gateway}/anthropic);
 * framework mounts pass their own prefixes.
 */
export function registerAnthropicRoutes(routes: RouteTable, prefixes: readonly string[] = ['/anthropic/v1'], options: SurfaceRouteOptions = {}): void {
  const surface = anthropicSurface;
  for (const prefix of prefixes) {
    routes.add({ method: 'POST', path: `${prefix}/messages`, surface, operation: 'chat', handler: (runtime, context, info) => runChat(runtime, context, surface, info) });
    routes.add({ method: 'POST', path: `${prefix}/messages/count_tokens`, surface, operation: 'count-tokens', handler: runCountTokens });
    if (options.models === false) continue;
    routes.add({ method: 'GET', path: `${prefix}/models`, surface, operation: 'models', handler: listAnthropicModels });
    routes.add({ method: 'GET', path: `${prefix}/models/*`, surface, operation: 'models', handler: retrieveAnthropicModel });
  }
}
