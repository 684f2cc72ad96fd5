import type { GatewayModule } from '../../gateway.js';
import { runChat } from '../../pipeline/run-chat.js';
import { runEmbeddings } from '../../pipeline/run-embeddings.js';
import { runRerank } from '../../pipeline/run-rerank.js';
import { getCohereModelRoute, listCohereModelsRoute } from './cohere-models.js';
import { cohereSurface } from './cohere-surface.js';

/**
 * Mounts the Cohere v2 surface: /cohere/v2/chat, /cohere/v2/embed, /cohere/v2/rerank, and the
 * model list the Cohere SDKs ask at /cohere/v1/models (Cohere keeps it under v1).
 */
export const cohereModule: GatewayModule = {
  name: 'cohere-surface',
  setup(assembly) {
    const surface = cohereSurface;
    const routes = assembly.routes;
    routes.add({ method: 'POST', path: '/cohere/v2/chat', surface, operation: 'chat', handler: (runtime, context, info) => runChat(runtime, context, surface, info) });
    routes.add({ method: 'POST', path: '/cohere/v2/embed', surface, operation: 'embeddings', handler: (runtime, context, info) => runEmbeddings(runtime, context, surface, info) });
    routes.add({ method: 'POST', path: '/cohere/v2/rerank', surface, operation: 'rerank', handler: (runtime, context, info) => runRerank(runtime, context, surface, info) });
    routes.add({ method: 'GET', path: '/cohere/v1/models', surface, operation: 'models', handler: listCohereModelsRoute });
    routes.add({ method: 'GET', path: '/cohere/v1/models/*', surface, operation: 'models', handler: getCohereModelRoute });
    assembly.addFallbackSurface('/cohere/', surface);
  },
};
