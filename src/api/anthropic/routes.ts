import { runChat } from '../../pipeline/run-chat.js';
import { sendBody, sendError } from '../../pipeline/respond.js';
import { runHooks } from '../../pipeline/run-hooks.js';
import type { RouteTable } from '../../server/route-table.js';
import { encodeAnthropicModel, encodeAnthropicModelList } from './anthropic-models.js';
import { anthropicSurface } from './anthropic-surface.js';
import { runCountTokens } from './count-tokens.js';

/** Mount the Anthropic surface under /anthropic/v1 (clients use base URL {gateway}/anthropic). */
export function registerAnthropicRoutes(routes: RouteTable, prefix = '/anthropic/v1'): void {
  const surface = anthropicSurface;
  routes.add({ method: 'POST', path: `${prefix}/messages`, surface, operation: 'chat', handler: (runtime, context, info) => runChat(runtime, context, surface, info) });
  routes.add({ method: 'POST', path: `${prefix}/messages/count_tokens`, surface, operation: 'count-tokens', handler: runCountTokens });
  routes.add({
    method: 'GET',
    path: `${prefix}/models`,
    surface,
    operation: 'models',
    handler: async (runtime, context) => {
      try {
        await runHooks(runtime.hooks.authenticate, context);
        sendBody(runtime, context, 200, encodeAnthropicModelList(runtime.providers, runtime.startedAt));
      } catch (error) {
        sendError(runtime, context, surface, error);
      }
    },
  });
  routes.add({
    method: 'GET',
    path: `${prefix}/models/*`,
    surface,
    operation: 'models',
    handler: async (runtime, context, info) => {
      try {
        await runHooks(runtime.hooks.authenticate, context);
        sendBody(runtime, context, 200, encodeAnthropicModel(runtime.providers, runtime.startedAt, info.params.rest ?? ''));
      } catch (error) {
        sendError(runtime, context, surface, error);
      }
    },
  });
}
