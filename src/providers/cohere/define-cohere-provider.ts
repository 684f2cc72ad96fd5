import { patchJsonMembers } from '../../json/patch-json-members.js';
import type { UpstreamRequest } from '../../transport/upstream-request.js';
import type { PassthroughOperation, Provider, ProviderDefinition } from '../provider.js';
import type { ProviderSettings } from '../provider-settings.js';
import { bearerAuth } from '../shared/bearer-auth.js';
import { matchesAnyPattern } from '../shared/match-model-pattern.js';
import { CohereChatStreamDecoder } from './cohere-chat-stream-decoder.js';
import { convertToCohereEmbedRequest, decodeCohereEmbedResponse } from './cohere-embeddings.js';
import { readCohereBodyUsage, readCohereStreamUsage } from './cohere-passthrough.js';
import { convertToCohereRerankRequest, decodeCohereRerankResponse } from './cohere-rerank.js';
import { convertToCohereChatRequest } from './convert-to-cohere-chat-request.js';
import { decodeCohereChatResponse } from './decode-cohere-chat-response.js';
import { mapCohereError } from './map-cohere-error.js';

const JSON_CONTENT = 'application/json';

const PATHS: Record<PassthroughOperation, string | undefined> = {
  chat: '/v2/chat',
  embeddings: '/v2/embed',
  rerank: '/v2/rerank',
  completions: undefined,
};

const MODEL_PATTERNS = ['command-*', 'c4ai-*', 'embed-*', 'rerank-*'];

const KNOWN_MODELS = [
  'command-a-03-2025',
  'command-a-reasoning-08-2025',
  'command-a-vision-07-2025',
  'command-r-plus-08-2024',
  'command-r-08-2024',
  'command-r7b-12-2024',
  'embed-v4.0',
  'embed-english-v3.0',
  'embed-multilingual-v3.0',
  'rerank-v3.5',
  'rerank-english-v3.0',
  'rerank-multilingual-v3.0',
];

/** A configured Cohere provider: chat, embed and rerank on the v2 API, bearer auth. */
export function createCohereProvider(settings: ProviderSettings): Provider {
  const id = settings.id;
  const name = `provider "${id}"`;
  const baseHeaders = { 'content-type': JSON_CONTENT, accept: JSON_CONTENT, ...settings.headers };
  const keyModels = settings.keys.flatMap((key) => key.models ?? []).filter((pattern) => pattern !== '*');
  const patterns = [...settings.models, ...keyModels, ...MODEL_PATTERNS];
  const post = (path: string, body: string | Buffer, stream: boolean): UpstreamRequest => ({
    method: 'POST',
    origin: settings.origin,
    path: settings.basePath + path,
    headers: stream ? { ...baseHeaders, accept: 'text/event-stream' } : { ...baseHeaders },
    body,
  });

  return {
    id,
    type: 'cohere',
    dialect: 'cohere-v2',
    settings,
    chat: {
      streamFraming: 'sse',
      buildRequest: (request, context) => post('/v2/chat', JSON.stringify(convertToCohereChatRequest(request, context.model, name, context.warnings)), request.stream),
      decodeResponse: (body, context) => decodeCohereChatResponse(body, id, context.model),
      createStreamDecoder: (context) => new CohereChatStreamDecoder(id, context.model),
    },
    embeddings: {
      buildRequest: (request, context) => post('/v2/embed', JSON.stringify(convertToCohereEmbedRequest(request, context.model, name, context.warnings)), false),
      decodeResponse: (body, _request, context) => decodeCohereEmbedResponse(body, id, context.model),
    },
    rerank: {
      buildRequest: (request, context) => post('/v2/rerank', JSON.stringify(convertToCohereRerankRequest(request, context.model, name, context.warnings)), false),
      decodeResponse: (body, _request, context) => decodeCohereRerankResponse(body, id, context.model),
    },
    ...(settings.passthrough
      ? {
          passthrough: {
            buildRequest(operation, rawBody, parsedBody, context, options) {
              const path = PATHS[operation];
              if (path === undefined) return undefined;
              const set: Record<string, string> = {};
              if (parsedBody.model !== context.model) set.model = JSON.stringify(context.model);
              const body = patchJsonMembers(rawBody, set, options.removeFields);
              if (body === undefined) return undefined;
              // Cohere always reports usage at message-end: nothing to inject.
              return { request: post(path, body, parsedBody.stream === true), injectedUsage: false };
            },
            readUsage: readCohereBodyUsage,
            readStreamUsage: readCohereStreamUsage,
            isInjectedUsageEvent: () => false,
          },
        }
      : {}),
    authenticate: bearerAuth(),
    mapError: (status, headers, bodyText) => mapCohereError(id, status, headers, bodyText),
    servesModel: (model) => matchesAnyPattern(patterns, model),
    listModels() {
      const exact = [...settings.models, ...keyModels].filter((model) => !model.includes('*'));
      return [...new Set(exact.length > 0 ? exact : KNOWN_MODELS)];
    },
  };
}

export const COHERE: ProviderDefinition = {
  type: 'cohere',
  displayName: 'Cohere',
  dialect: 'cohere-v2',
  defaultBaseUrl: 'https://api.cohere.com',
  env: { apiKey: ['COHERE_API_KEY', 'CO_API_KEY'], baseUrl: ['COHERE_BASE_URL'] },
  requiresKey: true,
  modelPatterns: MODEL_PATTERNS,
  knownModels: KNOWN_MODELS,
  create: createCohereProvider,
};
