import { runChat } from '../../pipeline/run-chat.js';
import { runCompletions } from '../../pipeline/run-completions.js';
import { runEmbeddings } from '../../pipeline/run-embeddings.js';
import { sendBody, sendError } from '../../pipeline/respond.js';
import { runHooks } from '../../pipeline/run-hooks.js';
import type { RouteHandler, RouteTable } from '../../server/route-table.js';
import { encodeModel, encodeModelList } from './models.js';
import { openAiSurface } from './openai-surface.js';

export interface SurfaceRouteOptions {
  /** Also mount GET {prefix}/models and {prefix}/models/{id} (default true). */
  models?: boolean;
}

/** GET {prefix}/models: every routable model in OpenAI's list shape. */
export const listOpenAiModels: RouteHandler = async (runtime, context) => {
  try {
    await runHooks(runtime.hooks.authenticate, context);
    sendBody(runtime, context, 200, encodeModelList(runtime.providers, Math.floor(runtime.startedAt / 1000), runtime.catalog));
  } catch (error) {
    sendError(runtime, context, openAiSurface, error);
  }
};

/** GET {prefix}/models/{id} in OpenAI's model shape. */
export const retrieveOpenAiModel: RouteHandler = async (runtime, context, info) => {
  try {
    await runHooks(runtime.hooks.authenticate, context);
    sendBody(runtime, context, 200, encodeModel(runtime.providers, Math.floor(runtime.startedAt / 1000), info.params.rest ?? '', runtime.catalog));
  } catch (error) {
    sendError(runtime, context, openAiSurface, error);
  }
};

/** Mount the OpenAI surface at /v1 and /openai/v1 (and, for framework mounts, wherever asked). */
export function registerOpenAiRoutes(routes: RouteTable, prefixes: readonly string[] = ['/v1', '/openai/v1'], options: SurfaceRouteOptions = {}): void {
  const surface = openAiSurface;
  for (const prefix of prefixes) {
    routes.add({ method: 'POST', path: `${prefix}/chat/completions`, surface, operation: 'chat', handler: (runtime, context, info) => runChat(runtime, context, surface, info) });
    routes.add({ method: 'POST', path: `${prefix}/completions`, surface, operation: 'completions', handler: (runtime, context, info) => runCompletions(runtime, context, surface, info) });
    routes.add({ method: 'POST', path: `${prefix}/embeddings`, surface, operation: 'embeddings', handler: (runtime, context, info) => runEmbeddings(runtime, context, surface, info) });
    if (options.models === false) continue;
    routes.add({ method: 'GET', path: `${prefix}/models`, surface, operation: 'models', handler: listOpenAiModels });
    routes.add({ method: 'GET', path: `${prefix}/models/*`, surface, operation: 'models', handler: retrieveOpenAiModel });
  }
}
