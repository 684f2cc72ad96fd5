import type { ChatAdapter, CompletionAdapter, EmbeddingAdapter, PassthroughSupport, Provider, ProviderCallContext, ProviderDefinition } from '../provider.js';
import type { ProviderKey, ProviderSettings } from '../provider-settings.js';
import type { UpstreamRequest } from '../../transport/upstream-request.js';
import { createOpenAiFamilyProvider, type OpenAiFamilyVendor } from '../openai/define-openai-family-provider.js';
import { OPENAI_QUIRKS } from '../openai/openai-quirks.js';
import type { ResponsesTransport } from '../openai-responses/responses-chat-adapter.js';
import { withResponsesApi } from '../openai-responses/with-responses-api.js';
import { matchesAnyPattern } from '../shared/match-model-pattern.js';
import { AZURE_CONFIG_FIELDS, AZURE_KEY_FIELDS, azureOptions, keyAuth, type AzureOptions } from './azure-config.js';
import { AzureChatStreamDecoder } from './azure-chat-stream-decoder.js';
import { annotateContentFilters, mapAzureError } from './azure-content-filter.js';
import { azurePath, deploymentFor, type AzureOperation } from './azure-urls.js';
import { EntraTokenSource } from './entra-token-source.js';

/**
 * Azure OpenAI speaks OpenAI's chat dialect; what differs is configuration and transport:
 * deployments in the URL (or the v1 API), an api-version query parameter, the `api-key` header
 * or an Entra ID bearer token, and content-filter results. The OpenAI adapter does the dialect.
 * The `developer` role is sent as `system` because the GA api-version predates it.
 */
const AZURE_VENDOR: OpenAiFamilyVendor = {
  type: 'azure',
  displayName: 'Azure OpenAI',
  requiresKey: true,
  quirks: { ...OPENAI_QUIRKS, developerRole: false },
  auth: { header: 'api-key', scheme: null },
};

/** api-key header, a static bearer token, or an Entra ID client-credentials token per key. */
function azureAuthenticate() {
  const sources = new Map<string, EntraTokenSource>();
  return (request: UpstreamRequest, key: ProviderKey | undefined): void | Promise<void> => {
    if (key?.value === undefined) return;
    const auth = keyAuth(key);
    if (auth.kind === 'api-key') {
      request.headers['api-key'] = key.value;
      return;
    }
    if (auth.kind === 'bearer') {
      request.headers.authorization = `Bearer ${key.value}`;
      return;
    }
    let source = sources.get(key.name);
    if (source === undefined) {
      source = new EntraTokenSource(auth.entra, key.value);
      sources.set(key.name, source);
    }
    return source.token().then((token) => {
      request.headers.authorization = `Bearer ${token}`;
    });
  };
}

function responsesTransport(settings: ProviderSettings, options: AzureOptions): ResponsesTransport {
  const headers = { 'content-type': 'application/json', accept: 'application/json', ...settings.headers };
  const base = azurePath(options, 'responses', '');
  return {
    upstreamModel: (model) => deploymentFor(options, model),
    post: (body, stream) => ({ method: 'POST', origin: settings.origin, path: base, headers: stream ? { ...headers, accept: 'text/event-stream' } : { ...headers }, body }),
    resource: (method, id, suffix, query) => ({
      method,
      origin: settings.origin,
      path: `${base}/${encodeURIComponent(id)}${suffix}${query === '' ? '' : `?${query}`}`,
      headers: { accept: 'application/json', ...settings.headers },
    }),
  };
}

export function createAzureProvider(settings: ProviderSettings): Provider {
  const options = azureOptions(settings);
  const base = createOpenAiFamilyProvider(AZURE_VENDOR, settings);
  const deployed = (context: ProviderCallContext): ProviderCallContext => ({ ...context, model: deploymentFor(options, context.model) });
  const retarget = (request: UpstreamRequest, operation: AzureOperation, deployment: string): UpstreamRequest => {
    request.path = azurePath(options, operation, deployment);
    return request;
  };
  const chat = base.chat!;
  const azureChat: ChatAdapter = {
    streamFraming: 'sse',
    buildRequest(request, context) {
      const call = deployed(context);
      return retarget(chat.buildRequest(request, call), 'chat', call.model);
    },
    decodeResponse: (body, context) => annotateContentFilters(chat.decodeResponse(body, context), body),
    createStreamDecoder: () => new AzureChatStreamDecoder(settings.id),
  };
  const embeddings = base.embeddings;
  const azureEmbeddings: EmbeddingAdapter | undefined =
    embeddings === undefined
      ? undefined
      : {
          buildRequest(request, context) {
            const call = deployed(context);
            return retarget(embeddings.buildRequest(request, call), 'embeddings', call.model);
          },
          decodeResponse: (body, request, context) => embeddings.decodeResponse(body, request, context),
        };
  const completions = base.completions;
  const azureCompletions: CompletionAdapter | undefined =
    completions === undefined
      ? undefined
      : {
          ...completions,
          buildRequest(request, context) {
            const call = deployed(context);
            return retarget(completions.buildRequest(request, call), 'completions', call.model);
          },
        };
  const passthrough = base.passthrough;
  const azurePassthrough: PassthroughSupport | undefined =
    passthrough === undefined
      ? undefined
      : {
          ...passthrough,
          buildRequest(operation, rawBody, parsedBody, context, buildOptions) {
            // Azure OpenAI has no rerank endpoint.
            if (operation === 'rerank') return undefined;
            const call = deployed(context);
            const built = passthrough.buildRequest(operation, rawBody, parsedBody, call, buildOptions);
            if (built !== undefined) retarget(built.request, operation, call.model);
            return built;
          },
        };
  const deploymentNames = Object.keys(options.deployments);
  const provider: Provider = {
    ...base,
    chat: azureChat,
    ...(azureEmbeddings === undefined ? {} : { embeddings: azureEmbeddings }),
    ...(azureCompletions === undefined ? {} : { completions: azureCompletions }),
    ...(azurePassthrough === undefined ? {} : { passthrough: azurePassthrough }),
    authenticate: azureAuthenticate(),
    mapError: (status, headers, bodyText) => mapAzureError(settings.id, status, headers, bodyText),
    servesModel: (model) => base.servesModel(model) || matchesAnyPattern(deploymentNames, model),
    listModels: () => [...new Set([...deploymentNames, ...base.listModels()])],
  };
  return withResponsesApi(provider, responsesTransport(settings, options));
}

export const AZURE_PROVIDER: ProviderDefinition = {
  type: 'azure',
  displayName: 'Azure OpenAI',
  dialect: 'openai-chat',
  env: { apiKey: ['AZURE_OPENAI_API_KEY'], baseUrl: ['AZURE_OPENAI_ENDPOINT'], options: { apiVersion: ['AZURE_OPENAI_API_VERSION'] } },
  requiresKey: true,
  configFields: AZURE_CONFIG_FIELDS,
  keyFields: AZURE_KEY_FIELDS,
  create: createAzureProvider,
};
