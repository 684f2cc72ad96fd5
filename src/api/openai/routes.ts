import { runChat } from '../../pipeline/run-chat.js';
import { runCompletions } from '../../pipeline/run-completions.js';
import { runEmbeddings } from '../../pipeline/run-embeddings.js';
import { sendBody, sendError } from '../../pipeline/respond.js';
import { runHooks } from '../../pipeline/run-hooks.js';
import type { RouteTable } from '../../server/route-table.js';
import { encodeModel, encodeModelList } from './models.js';
import { openAiSurface } from './openai-surface.js';

/** Mount the OpenAI surface at /v1 and /openai/v1. */
export function registerOpenAiRoutes(routes: RouteTable, prefixes: readonly string[] = ['/v1', '/openai/v1']): void {
  const surface = openAiSurface;
  for (const prefix of prefixes) {
    routes.add({ method: 'POST', path: `${prefix}/chat/completions`, surface, operation: 'chat', handler: (runtime, context, info) => runChat(runtime, context, surface, info) });
    routes.add({ method: 'POST', path: `${prefix}/completions`, surface, operation: 'completions', handler: (runtime, context, info) => runCompletions(runtime, context, surface, info) });
    routes.add({ method: 'POST', path: `${prefix}/embeddings`, surface, operation: 'embeddings', handler: (runtime, context, info) => runEmbeddings(runtime, context, surface, info) });
    routes.add({
      method: 'GET',
      path: `${prefix}/models`,
      surface,
      operation: 'models',
      handler: async (runtime, context) => {
        try {
          await runHooks(runtime.hooks.authenticate, context);
          sendBody(runtime, context, 200, encodeModelList(runtime.providers, Math.floor(runtime.startedAt / 1000), runtime.catalog));
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
          sendBody(runtime, context, 200, encodeModel(runtime.providers, Math.floor(runtime.startedAt / 1000), info.params.rest ?? '', runtime.catalog));
        } catch (error) {
          sendError(runtime, context, surface, error);
        }
      },
    });
  }
}
