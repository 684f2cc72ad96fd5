import type { RouteHandler } from '../../server/route-table.js';

/**
 * GET {mount}/v1/models is asked by OpenAI-shaped clients (LiteLLM's `get_models`, the OpenAI SDK
 * given {mount}/v1) and by the Anthropic SDK (given {mount}, it appends /v1/models). The two
 * expect different list shapes; the Anthropic SDKs always send `anthropic-version`, OpenAI
 * clients never do, so that header picks the shape.
 */
export function modelsForClient(openAi: RouteHandler, anthropic: RouteHandler): RouteHandler {
  return (runtime, context, info) => (info.headers['anthropic-version'] === undefined ? openAi : anthropic)(runtime, context, info);
}
