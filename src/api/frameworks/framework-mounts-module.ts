import type { GatewayModule } from '../../gateway.js';
import { listAnthropicModels, registerAnthropicRoutes, retrieveAnthropicModel } from '../anthropic/routes.js';
import { openAiSurface } from '../openai/openai-surface.js';
import { listOpenAiModels, registerOpenAiRoutes, retrieveOpenAiModel } from '../openai/routes.js';
import { registerResponsesRoutesAt } from '../responses/responses-module.js';
import { modelsForClient } from './models-for-client.js';

/** Path prefixes for framework clients; each serves the OpenAI- and Anthropic-shaped calls. */
export const FRAMEWORK_MOUNTS = ['/litellm', '/langchain'] as const;

/**
 * Framework mounts: the calls LiteLLM and LangChain (and anything else built on the OpenAI and
 * Anthropic SDKs) make when given {gateway}/litellm or {gateway}/langchain as their base URL.
 * Nothing here is a new surface: the OpenAI and Anthropic surfaces' own route registrations
 * are mounted again under each prefix.
 *
 * - OpenAI-shaped, with and without /v1 (the OpenAI SDK appends only the endpoint name; LiteLLM
 *   appends /chat/completions to its api_base): {mount}[/v1]/chat/completions, /completions,
 *   /embeddings, /responses (the Responses module's routes, sharing its store), {mount}/models.
 * - Anthropic-shaped (the Anthropic SDK and LiteLLM's anthropic provider append /v1/messages):
 *   {mount}/v1/messages, {mount}/v1/messages/count_tokens.
 * - {mount}/v1/models is asked by both families and answers in the caller's shape.
 */
export const frameworkMountsModule: GatewayModule = {
  name: 'framework-mounts',
  setup(assembly) {
    const routes = assembly.routes;
    for (const mount of FRAMEWORK_MOUNTS) {
      const v1 = `${mount}/v1`;
      registerOpenAiRoutes(routes, [mount]);
      registerOpenAiRoutes(routes, [v1], { models: false });
      registerResponsesRoutesAt(routes, [mount, v1]);
      registerAnthropicRoutes(routes, [v1], { models: false });
      routes.add({ method: 'GET', path: `${v1}/models`, surface: openAiSurface, operation: 'models', handler: modelsForClient(listOpenAiModels, listAnthropicModels) });
      routes.add({ method: 'GET', path: `${v1}/models/*`, surface: openAiSurface, operation: 'models', handler: modelsForClient(retrieveOpenAiModel, retrieveAnthropicModel) });
      assembly.addFallbackSurface(`${mount}/`, openAiSurface);
    }
  },
};
