import type { GatewayModule } from '../../gateway.js';
import { runChat } from '../../pipeline/run-chat.js';
import { runEmbeddings } from '../../pipeline/run-embeddings.js';
import { sendBody, sendError } from '../../pipeline/respond.js';
import { runHooks } from '../../pipeline/run-hooks.js';
import type { RouteTable } from '../../server/route-table.js';
import { runCountTokens } from './count-tokens.js';
import { encodeGenAiModel, encodeGenAiModelList } from './genai-models.js';
import { genAiBatchEmbedSurface, genAiEmbedSurface, genAiGenerateSurface, genAiStreamSurface } from './genai-surface.js';

const VERSION = '/genai/(?:v1beta|v1|v1alpha)';
/** A `:method` suffix: Google's methods are lowerCamelCase (generateContent, predictLongRunning); model ids end in `:0`, `:latest`. */
const METHOD_SUFFIX = ':[a-z]+[A-Z][A-Za-z]*$';

/**
 * POST /genai/{version}/models/{model}:{method}; the model may hold "/" (provider/model, raw or
 * %2F) and ":" (Bedrock ids such as us.amazon.nova-micro-v1:0): the method follows the last colon.
 */
function methodPath(method: string): RegExp {
  return new RegExp(`^${VERSION}/models/(?<model>.+):${method}$`);
}

/**
 * Mount the Google GenAI surface: generateContent, streamGenerateContent (SSE whatever `alt`
 * says, as the SDK always asks for alt=sse), embedContent, batchEmbedContents, countTokens and
 * the models list, under /genai/v1beta (and /genai/v1, /genai/v1alpha, which clients pin).
 */
export function registerGenAiRoutes(routes: RouteTable): void {
  routes.add({
    method: 'POST',
    path: methodPath('generateContent'),
    surface: genAiGenerateSurface,
    operation: 'chat',
    handler: (runtime, context, info) => runChat(runtime, context, genAiGenerateSurface, info),
  });
  routes.add({
    method: 'POST',
    path: methodPath('streamGenerateContent'),
    surface: genAiStreamSurface,
    operation: 'chat',
    handler: (runtime, context, info) => runChat(runtime, context, genAiStreamSurface, info),
  });
  routes.add({
    method: 'POST',
    path: methodPath('embedContent'),
    surface: genAiEmbedSurface,
    operation: 'embeddings',
    handler: (runtime, context, info) => runEmbeddings(runtime, context, genAiEmbedSurface, info),
  });
  routes.add({
    method: 'POST',
    path: methodPath('batchEmbedContents'),
    surface: genAiBatchEmbedSurface,
    operation: 'embeddings',
    handler: (runtime, context, info) => runEmbeddings(runtime, context, genAiBatchEmbedSurface, info),
  });
  routes.add({
    method: 'POST',
    path: methodPath('countTokens'),
    surface: genAiGenerateSurface,
    operation: 'count-tokens',
    handler: (runtime, context, info) => runCountTokens(runtime, context, genAiGenerateSurface, info),
  });
  routes.add({
    method: 'GET',
    path: new RegExp(`^${VERSION}/models$`),
    surface: genAiGenerateSurface,
    operation: 'models',
    handler: async (runtime, context) => {
      try {
        await runHooks(runtime.hooks.authenticate, context);
        sendBody(runtime, context, 200, encodeGenAiModelList(runtime.providers, runtime.catalog));
      } catch (error) {
        sendError(runtime, context, genAiGenerateSurface, error);
      }
    },
  });
  routes.add({
    method: 'GET',
    // Any model name, but not `{model}:{method}` (methods are POST; an unknown one is a 404).
    path: new RegExp(`^${VERSION}/models/(?<model>(?!.*${METHOD_SUFFIX}).+)$`),
    surface: genAiGenerateSurface,
    operation: 'models',
    handler: async (runtime, context, info) => {
      try {
        await runHooks(runtime.hooks.authenticate, context);
        sendBody(runtime, context, 200, encodeGenAiModel(runtime.providers, runtime.catalog, info.params.model ?? ''));
      } catch (error) {
        sendError(runtime, context, genAiGenerateSurface, error);
      }
    },
  });
}

/** The GenAI surface as a gateway module; unknown /genai/ paths answer in Gemini's error shape. */
export const genAiModule: GatewayModule = {
  name: 'genai-surface',
  setup(assembly) {
    registerGenAiRoutes(assembly.routes);
    assembly.addFallbackSurface('/genai/', genAiGenerateSurface);
  },
};
