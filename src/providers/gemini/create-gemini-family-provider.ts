import { isRecord } from '../../json/parse-json.js';
import { patchJsonMembers } from '../../json/patch-json-members.js';
import type { UpstreamRequest } from '../../transport/upstream-request.js';
import type { PassthroughSupport, Provider } from '../provider.js';
import type { ProviderKey, ProviderSettings } from '../provider-settings.js';
import { matchesAnyPattern } from '../shared/match-model-pattern.js';
import { convertToGeminiRequest } from './convert-to-gemini-request.js';
import { decodeGeminiResponse } from './decode-gemini-response.js';
import { countTokensBody, createGeminiCountTokens } from './gemini-count-tokens.js';
import type { GeminiEndpoints } from './gemini-endpoints.js';
import {
  convertToGeminiEmbeddingRequest,
  convertToVertexEmbeddingRequest,
  decodeGeminiEmbeddingResponse,
  decodeVertexEmbeddingResponse,
} from './gemini-embeddings.js';
import { readGeminiBodyUsage, readGeminiStreamUsage } from './gemini-passthrough.js';
import { GeminiStreamDecoder } from './gemini-stream-decoder.js';
import { mapGeminiError } from './map-gemini-error.js';

type Json = Record<string, unknown>;

/** What differs between the Gemini API and Vertex AI; the dialect is the same. */
export interface GeminiVariant {
  type: string;
  settings: ProviderSettings;
  endpoints: GeminiEndpoints;
  vertex: boolean;
  knownModels: string[];
  modelPatterns: string[];
  authenticate(request: UpstreamRequest, key: ProviderKey | undefined): void | Promise<void>;
  /** Called when the upstream answers 401. */
  onUnauthorized?(): void;
}

/** A Gemini-dialect provider, with the extra call the GenAI surface's :countTokens needs. */
export interface GeminiFamilyProvider extends Provider {
  readonly gemini: {
    /** An upstream countTokens request for a GenAI-format CountTokensRequest body. */
    countTokensRequest(model: string, body: Json): UpstreamRequest;
  };
}

export function isGeminiFamilyProvider(provider: Provider): provider is GeminiFamilyProvider {
  return isRecord((provider as Partial<GeminiFamilyProvider>).gemini);
}

const JSON_CONTENT = 'application/json';

export function createGeminiFamilyProvider(variant: GeminiVariant): GeminiFamilyProvider {
  const { settings, endpoints, vertex } = variant;
  const id = settings.id;
  const name = `provider "${id}"`;
  const baseHeaders = { 'content-type': JSON_CONTENT, accept: JSON_CONTENT, ...settings.headers };
  const keyModels = settings.keys.flatMap((key) => key.models ?? []).filter((pattern) => pattern !== '*');
  const patterns = [...settings.models, ...keyModels, ...variant.modelPatterns];
  const post = (path: string, body: string | Buffer, stream: boolean): UpstreamRequest => ({
    method: 'POST',
    origin: settings.origin,
    path,
    headers: stream ? { ...baseHeaders, accept: 'text/event-stream' } : { ...baseHeaders },
    body,
  });
  const conversion = (model: string) => ({ model, providerName: name, requireMimeType: vertex });

  const passthrough: PassthroughSupport = {
    buildRequest(operation, rawBody, parsedBody, context, options) {
      const model = context.model;
      if (operation === 'chat') {
        // Vertex rejects contents without a role, which the Gemini API tolerates.
        if (vertex && Array.isArray(parsedBody.contents) && parsedBody.contents.some((content) => !isRecord(content) || typeof content.role !== 'string')) return undefined;
        const body = patchJsonMembers(rawBody, {}, options.removeFields);
        if (body === undefined) return undefined;
        const stream = options.stream === true;
        return { request: post(endpoints.generate(model, stream), body, stream), injectedUsage: false };
      }
      if (operation !== 'embeddings' || vertex) return undefined;
      const set: Record<string, string> = {};
      const batch = Array.isArray(parsedBody.requests);
      if (batch) {
        const requests = parsedBody.requests as unknown[];
        if (requests.some((item) => !isRecord(item) || item.model !== `models/${model}`)) {
          set.requests = JSON.stringify(requests.map((item) => (isRecord(item) ? { ...item, model: `models/${model}` } : item)));
        }
      }
      const body = patchJsonMembers(rawBody, set, options.removeFields);
      if (body === undefined) return undefined;
      return { request: post(endpoints.embed(model, batch), body, false), injectedUsage: false };
    },
    readUsage: (operation, body) => (operation === 'chat' ? readGeminiBodyUsage(body) : undefined),
    readStreamUsage: readGeminiStreamUsage,
    isInjectedUsageEvent: () => false,
  };

  return {
    id,
    type: variant.type,
    dialect: 'gemini',
    settings,
    chat: {
      streamFraming: 'sse',
      buildRequest(request, context) {
        const body = convertToGeminiRequest(request, conversion(context.model), context.warnings);
        return post(endpoints.generate(context.model, request.stream), JSON.stringify(body), request.stream);
      },
      decodeResponse: (body) => decodeGeminiResponse(body, { provider: id }),
      createStreamDecoder: () => new GeminiStreamDecoder(id),
    },
    embeddings: vertex
      ? {
          buildRequest(request, context) {
            const body = convertToVertexEmbeddingRequest(request, name, context.warnings);
            return post(endpoints.embed(context.model, true), JSON.stringify(body), false);
          },
          decodeResponse: (body, _request, context) => decodeVertexEmbeddingResponse(body, context.model, id),
        }
      : {
          buildRequest(request, context) {
            const { batch, body } = convertToGeminiEmbeddingRequest(request, context.model, name, context.warnings);
            return post(endpoints.embed(context.model, batch), JSON.stringify(body), false);
          },
          decodeResponse: (body, _request, context) => decodeGeminiEmbeddingResponse(body, context.model, id),
        },
    ...(settings.passthrough ? { passthrough } : {}),
    countTokens: createGeminiCountTokens(id, vertex, conversion, (model, body) => post(endpoints.countTokens(model), body, false)),
    gemini: {
      countTokensRequest: (model, body) => post(endpoints.countTokens(model), JSON.stringify(countTokensBody(body, model, vertex)), false),
    },
    authenticate: variant.authenticate,
    mapError(status, headers, bodyText) {
      if (status === 401) variant.onUnauthorized?.();
      return mapGeminiError(id, status, headers, bodyText);
    },
    servesModel: (model) => matchesAnyPattern(patterns, model),
    listModels() {
      const exact = [...settings.models, ...keyModels].filter((model) => !model.includes('*'));
      return [...new Set(exact.length > 0 ? exact : variant.knownModels)];
    },
  };
}
