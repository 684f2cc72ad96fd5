import type { GatewayModule } from '../../gateway.js';
import { runChat } from '../../pipeline/run-chat.js';
import type { RouteTable } from '../../server/route-table.js';
import type { ChatSurface } from '../surface.js';
import { recordBedrockAccessKeyId } from './bedrock-access-key.js';
import { runBedrockCountTokens } from './bedrock-count-tokens.js';
import { converseStreamSurface, converseSurface } from './converse-surface.js';
import { invokeStreamSurface, invokeSurface } from './invoke-surface.js';

/**
 * `/bedrock/model/{modelId}/{operation}`. The model id is one percent-encoded segment as the AWS
 * SDK sends it (`openai%2Fgpt-4o-mini`, `us.anthropic.claude-...-v1%3A0`, inference profile
 * ARNs), or, for hand-written calls, a plain `provider/model` spanning segments.
 */
function modelRoute(operation: string): RegExp {
  return new RegExp(`^/bedrock/model/(?<modelId>.+)/${operation}$`);
}

function addChatRoute(routes: RouteTable, operation: string, surface: ChatSurface): void {
  routes.add({
    method: 'POST',
    path: modelRoute(operation),
    surface,
    operation: 'chat',
    handler: (runtime, context, info) => {
      recordBedrockAccessKeyId(context);
      return runChat(runtime, context, surface, info);
    },
  });
}

/** Mount the Bedrock Runtime surface. */
export function registerBedrockRoutes(routes: RouteTable): void {
  addChatRoute(routes, 'converse', converseSurface);
  addChatRoute(routes, 'converse-stream', converseStreamSurface);
  addChatRoute(routes, 'invoke', invokeSurface);
  addChatRoute(routes, 'invoke-with-response-stream', invokeStreamSurface);
  routes.add({ method: 'POST', path: modelRoute('count-tokens'), surface: converseSurface, operation: 'count-tokens', handler: runBedrockCountTokens });
}

/** The Bedrock surface as a gateway module (routes, and Bedrock-shaped errors under /bedrock/). */
export const bedrockSurfaceModule: GatewayModule = {
  name: 'bedrock-surface',
  setup(assembly) {
    registerBedrockRoutes(assembly.routes);
    assembly.addFallbackSurface('/bedrock/', converseSurface);
  },
};
