import type { ZodType } from 'zod';
import type { EmbeddingRequest, RerankRequest } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import { patchJsonMembers } from '../../json/patch-json-members.js';
import type { UpstreamRequest } from '../../transport/upstream-request.js';
import type { PassthroughOperation, Provider, ProviderDefinition } from '../provider.js';
import type { ProviderSettings } from '../provider-settings.js';
import { bearerAuth } from '../shared/bearer-auth.js';
import { matchesAnyPattern } from '../shared/match-model-pattern.js';
import { convertToOpenAiChatRequest } from './convert-to-openai-chat-request.js';
import { decodeOpenAiChatResponse } from './decode-openai-chat-response.js';
import { mapOpenAiError } from './map-openai-error.js';
import {
  convertToOpenAiCompletionRequest,
  decodeOpenAiCompletionResponse,
  OpenAiCompletionStreamDecoder,
} from './openai-completions.js';
import { convertToOpenAiEmbeddingRequest, decodeOpenAiEmbeddingResponse } from './openai-embeddings.js';
import { OpenAiChatStreamDecoder } from './openai-chat-stream-decoder.js';
import { convertToOpenAiRerankRequest, decodeOpenAiRerankResponse } from './openai-rerank.js';
import { isOpenAiContentChunk, isUsageOnlyChunk, readOpenAiBodyUsage, readOpenAiStreamUsage } from './openai-passthrough.js';
import { COMPATIBLE_QUIRKS, type OpenAiQuirks } from './openai-quirks.js';
import { passthroughQuirks } from './passthrough-quirks.js';
import { baseUrlResponsesTransport, RESPONSES_CONFIG_FIELDS, withResponsesApi } from '../openai-responses/with-responses-api.js';

/** A vendor speaking the OpenAI chat dialect, described by data. */
export interface OpenAiFamilyVendor {
  type: string;
  displayName: string;
  defaultBaseUrl?: string;
  env?: ProviderDefinition['env'];
  requiresKey: boolean;
  modelPatterns?: string[];
  knownModels?: string[];
  quirks?: Partial<OpenAiQuirks>;
  /**
   * False when the vendor's wire differs from OpenAI's in ways clients see (fields it rejects,
   * answers that break OpenAI's schema): requests then always go through the canonical model,
   * so the quirks apply both ways, whatever the provider's `passthrough` setting.
   */
  passthrough?: boolean;
  /** Auth header and scheme; default `Authorization: Bearer`. */
  auth?: { header: string; scheme: string | null };
  /** Endpoint paths under the base URL; false when the vendor lacks the endpoint. */
  paths?: { chat?: string; embeddings?: string | false; completions?: string | false; models?: string | false; rerank?: string | false };
  configFields?: Record<string, ZodType>;
  /**
   * The vendor also serves the Responses API at this path under the base URL: the provider then
   * takes `api: responses` / `responsesModels` (see ../openai-responses/with-responses-api.ts).
   */
  responses?: { path: string };
  /** What differs from OpenAI, for the docs. */
  notes?: string;
}

const JSON_CONTENT = 'application/json';

export function createOpenAiFamilyProvider(vendor: OpenAiFamilyVendor, settings: ProviderSettings): Provider {
  const quirks: OpenAiQuirks = { ...COMPATIBLE_QUIRKS, ...vendor.quirks };
  // A vendor that never takes forwarded bytes overrides the setting (and says so in provider.settings).
  if (vendor.passthrough === false && settings.passthrough) settings = { ...settings, passthrough: false };
  const families = vendor.type === 'openai' ? ['openai'] : ['openai', vendor.type];
  const id = settings.id;
  const name = `provider "${id}"`;
  const paths = {
    chat: vendor.paths?.chat ?? '/chat/completions',
    embeddings: vendor.paths?.embeddings ?? '/embeddings',
    completions: vendor.paths?.completions ?? '/completions',
    /** Cohere/Jina-shaped rerank, only for vendors that declare it. */
    rerank: vendor.paths?.rerank ?? false,
  };
  const baseHeaders = { 'content-type': JSON_CONTENT, accept: JSON_CONTENT, ...settings.headers };
  const keyModels = settings.keys.flatMap((key) => key.models ?? []).filter((pattern) => pattern !== '*');
  const patterns = [...settings.models, ...keyModels, ...(vendor.modelPatterns ?? [])];

  const post = (path: string, body: string | Buffer, stream: boolean): UpstreamRequest => ({
    method: 'POST',
    origin: settings.origin,
    path: settings.basePath + path,
    headers: stream ? { ...baseHeaders, accept: 'text/event-stream' } : { ...baseHeaders },
    body,
  });
  const pathFor = (operation: PassthroughOperation): string => {
    const path = paths[operation];
    return path === false ? paths.chat : path;
  };

  const provider: Provider = {
    id,
    type: vendor.type,
    dialect: 'openai-chat',
    settings,
    chat: {
      streamFraming: 'sse',
      buildRequest(request, context) {
        const body = convertToOpenAiChatRequest(request, context.model, quirks, name, families, context.warnings);
        return post(paths.chat, JSON.stringify(body), request.stream);
      },
      decodeResponse: (body) => decodeOpenAiChatResponse(body, id),
      createStreamDecoder: () => new OpenAiChatStreamDecoder(id),
    },
    ...(paths.embeddings === false
      ? {}
      : {
          embeddings: {
            buildRequest(request: EmbeddingRequest, context) {
              const body = convertToOpenAiEmbeddingRequest(request, context.model, name, families, context.warnings);
              return post(paths.embeddings as string, JSON.stringify(body), false);
            },
            decodeResponse: (body: unknown) => decodeOpenAiEmbeddingResponse(body, id),
          },
        }),
    ...(paths.completions === false
      ? {}
      : {
          completions: {
            buildRequest(request, context) {
              const body = convertToOpenAiCompletionRequest(request, context.model, quirks, families, context.warnings);
              return post(paths.completions as string, JSON.stringify(body), request.stream);
            },
            decodeResponse: (body: unknown) => decodeOpenAiCompletionResponse(body, id),
            createStreamDecoder: () => new OpenAiCompletionStreamDecoder(),
          },
        }),
    ...(paths.rerank === false
      ? {}
      : {
          rerank: {
            buildRequest(request: RerankRequest, context) {
              const body = convertToOpenAiRerankRequest(request, context.model, name, families, context.warnings);
              return post(paths.rerank as string, JSON.stringify(body), false);
            },
            decodeResponse: (body: unknown, _request: RerankRequest, context) => decodeOpenAiRerankResponse(body, id, context.model),
          },
        }),
    ...(settings.passthrough
      ? {
          passthrough: {
            buildRequest(operation, rawBody, parsedBody, context, options) {
              // The vendor's declared quirks apply here too, as member patches (renamed, rewritten
              // or removed with a warning), so both paths send the vendor the same request; bodies
              // needing deeper changes take the canonical path.
              const quirkPatch = operation === 'chat' ? passthroughQuirks(parsedBody, quirks, name, context.warnings) : { set: {}, remove: [] };
              if (quirkPatch === undefined) return undefined;
              const set: Record<string, string> = { ...quirkPatch.set };
              if (parsedBody.model !== context.model) set.model = JSON.stringify(context.model);
              let injectedUsage = false;
              const stream = parsedBody.stream === true;
              if (stream && operation !== 'embeddings' && quirks.streamOptions) {
                const streamOptions = isRecord(parsedBody.stream_options) ? parsedBody.stream_options : undefined;
                if (streamOptions?.include_usage !== true) {
                  set.stream_options = JSON.stringify({ ...streamOptions, include_usage: true });
                  injectedUsage = true;
                }
              }
              const body = patchJsonMembers(rawBody, set, [...options.removeFields, ...quirkPatch.remove]);
              if (body === undefined) return undefined;
              return { request: post(pathFor(operation), body, stream), injectedUsage };
            },
            readUsage: (_operation, body) => readOpenAiBodyUsage(body),
            readStreamUsage: readOpenAiStreamUsage,
            isInjectedUsageEvent: isUsageOnlyChunk,
            isContentEvent: isOpenAiContentChunk,
          },
        }
      : {}),
    authenticate: bearerAuth(vendor.auth?.header ?? 'authorization', vendor.auth === undefined ? 'Bearer' : vendor.auth.scheme),
    mapError: (status, headers, bodyText) => mapOpenAiError(id, status, headers, bodyText),
    servesModel: (model) => matchesAnyPattern(patterns, model),
    listModels() {
      const exact = [...settings.models, ...keyModels].filter((model) => !model.includes('*'));
      const known = exact.length > 0 ? exact : (vendor.knownModels ?? []);
      return [...new Set(known)];
    },
  };
  return provider;
}

/** The provider definition (config schema, env variables, factory) for an OpenAI-family vendor. */
export function defineOpenAiFamilyProvider(vendor: OpenAiFamilyVendor): ProviderDefinition {
  return {
    type: vendor.type,
    displayName: vendor.displayName,
    dialect: 'openai-chat',
    ...(vendor.defaultBaseUrl === undefined ? {} : { defaultBaseUrl: vendor.defaultBaseUrl }),
    ...(vendor.env === undefined ? {} : { env: vendor.env }),
    requiresKey: vendor.requiresKey,
    ...(vendor.modelPatterns === undefined ? {} : { modelPatterns: vendor.modelPatterns }),
    ...(vendor.knownModels === undefined ? {} : { knownModels: vendor.knownModels }),
    ...(vendor.configFields === undefined && vendor.responses === undefined
      ? {}
      : { configFields: { ...vendor.configFields, ...(vendor.responses === undefined ? {} : RESPONSES_CONFIG_FIELDS) } }),
    create: (settings) => {
      const provider = createOpenAiFamilyProvider(vendor, settings);
      return vendor.responses === undefined ? provider : withResponsesApi(provider, baseUrlResponsesTransport(settings, vendor.responses.path));
    },
  };
}
