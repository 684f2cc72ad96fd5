import { z } from 'zod';
import type { ChatAdapter, Provider } from '../provider.js';
import type { ProviderSettings } from '../provider-settings.js';
import { matchesAnyPattern } from '../shared/match-model-pattern.js';
import { createResponsesChatAdapter, type ResponsesTransport } from './responses-chat-adapter.js';
import { createResponsesPassthrough } from './responses-passthrough.js';

/**
 * Config fields of providers that can speak the Responses API:
 * - `api: responses` sends every chat request to the Responses API (and lets Responses clients
 *   pass through byte for byte); the default `chat-completions` keeps /chat/completions.
 * - `responsesModels` lists model patterns that go to the Responses API even when `api` is
 *   chat-completions (models only served there, e.g. "o3-pro", "gpt-5-pro", "codex-*").
 */
export const RESPONSES_CONFIG_FIELDS = {
  api: z.enum(['chat-completions', 'responses']).optional(),
  responsesModels: z.array(z.string().min(1)).optional(),
};

export function responsesMode(settings: ProviderSettings): { all: boolean; patterns: string[] } {
  const options = settings.options;
  return {
    all: options.api === 'responses',
    patterns: Array.isArray(options.responsesModels) ? (options.responsesModels as string[]) : [],
  };
}

/** A plain /responses transport under the provider's base URL (OpenAI and compatible servers). */
export function baseUrlResponsesTransport(settings: ProviderSettings, path = '/responses'): ResponsesTransport {
  const headers = { 'content-type': 'application/json', accept: 'application/json', ...settings.headers };
  return {
    post: (body, stream) => ({
      method: 'POST',
      origin: settings.origin,
      path: settings.basePath + path,
      headers: stream ? { ...headers, accept: 'text/event-stream' } : { ...headers },
      body,
    }),
    resource: (method, id, suffix, query) => ({
      method,
      origin: settings.origin,
      path: `${settings.basePath}${path}/${encodeURIComponent(id)}${suffix}${query === '' ? '' : `?${query}`}`,
      headers: { accept: 'application/json', ...settings.headers },
    }),
  };
}

/**
 * Give a chat-completions provider the Responses API: for every model (`api: responses`; the
 * provider's dialect becomes openai-responses, so Responses clients are passed through), or for
 * the models in `responsesModels` (the dialect stays openai-chat; chat passthrough is refused
 * for those models so their requests are converted). Embeddings and completions are unchanged.
 */
export function withResponsesApi(base: Provider, transport: ResponsesTransport): Provider {
  const settings = base.settings;
  const mode = responsesMode(settings);
  const responses = createResponsesChatAdapter(base.id, transport);
  const resource = transport.resource === undefined ? {} : { responsesResource: { buildRequest: transport.resource } };
  if (mode.all) {
    const { passthrough: _chatPassthrough, ...rest } = base;
    return {
      ...rest,
      dialect: 'openai-responses',
      chat: responses,
      ...(settings.passthrough ? { passthrough: createResponsesPassthrough(transport) } : {}),
      ...resource,
    };
  }
  if (mode.patterns.length === 0 || base.chat === undefined) return { ...base, ...resource } as Provider;
  const chat = base.chat;
  const pick = (model: string): ChatAdapter => (matchesAnyPattern(mode.patterns, model) ? responses : chat);
  const passthrough = base.passthrough;
  return {
    ...base,
    chat: {
      streamFraming: 'sse',
      buildRequest: (request, context) => pick(context.model).buildRequest(request, context),
      decodeResponse: (body, context) => pick(context.model).decodeResponse(body, context),
      createStreamDecoder: (context) => pick(context.model).createStreamDecoder(context),
    },
    ...(passthrough === undefined
      ? {}
      : {
          passthrough: {
            ...passthrough,
            buildRequest: (operation, rawBody, parsedBody, context, options) =>
              operation === 'chat' && matchesAnyPattern(mode.patterns, context.model)
                ? undefined
                : passthrough.buildRequest(operation, rawBody, parsedBody, context, options),
          },
        }),
    ...resource,
  } as Provider;
}
