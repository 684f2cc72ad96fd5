import type { ChatRequest } from '../../core/index.js';
import type { Provider, ProviderCallContext } from '../provider.js';
import type { ProviderSettings } from '../provider-settings.js';
import { matchesAnyPattern } from '../shared/match-model-pattern.js';
import { ANTHROPIC_KNOWN_MODELS, ANTHROPIC_MODEL_PATTERNS } from './anthropic-known-models.js';
import {
  createAnthropicStreamUsageReader,
  isAnthropicErrorEvent,
  readAnthropicBodyUsage,
  readAnthropicStreamUsage,
} from './anthropic-passthrough.js';
import { AnthropicStreamDecoder } from './anthropic-stream-decoder.js';
import { parseBetaHeader, type AnthropicTransport } from './anthropic-transport.js';
import { convertToAnthropicRequest, type AnthropicRequestOptions } from './convert-to-anthropic-request.js';
import { decodeAnthropicResponse } from './decode-anthropic-response.js';
import { mapAnthropicError } from './map-anthropic-error.js';
import { structuredOutputTool } from './structured-output-tool.js';
import { readTokenCount } from '../shared/read-token-count.js';

type Json = Record<string, unknown>;

export interface AnthropicDialectOptions {
  type: string;
  transport: AnthropicTransport;
  /** Default for the `structuredOutputs` config field. */
  structuredOutputs: 'native' | 'tool';
  /** The upstream fetches document URLs itself. */
  documentUrls: boolean;
}

/** Fields the count_tokens endpoint takes; the rest of a Messages body is generation-only. */
const COUNT_FIELDS = ['model', 'system', 'messages', 'tools', 'tool_choice', 'thinking', 'output_config', 'mcp_servers', 'context_management'];

/** A provider speaking the Anthropic Messages dialect over the given transport. */
export function createAnthropicDialectProvider(settings: ProviderSettings, dialect: AnthropicDialectOptions): Provider {
  const id = settings.id;
  const transport = dialect.transport;
  const configured = settings.options as { structuredOutputs?: 'native' | 'tool' };
  const requestOptions: AnthropicRequestOptions = {
    providerName: `provider "${id}"`,
    structuredOutputs: configured.structuredOutputs ?? dialect.structuredOutputs,
    documentUrls: dialect.documentUrls,
  };
  const keyModels = settings.keys.flatMap((key) => key.models ?? []).filter((pattern) => pattern !== '*');
  const patterns = [...settings.models, ...keyModels, ...ANTHROPIC_MODEL_PATTERNS];

  const countBody = (request: ChatRequest, context: ProviderCallContext): { body: Json; betas: string[] } => {
    const scratch: ProviderCallContext = { ...context, warnings: [] };
    const converted = convertToAnthropicRequest({ ...request, stream: false, maxOutputTokens: request.maxOutputTokens ?? 1_000_000 }, scratch, requestOptions);
    const body: Json = {};
    for (const field of COUNT_FIELDS) if (converted.body[field] !== undefined) body[field] = converted.body[field];
    return { body, betas: converted.betas };
  };

  return {
    id,
    type: dialect.type,
    dialect: 'anthropic-messages',
    settings,
    chat: {
      streamFraming: 'sse',
      buildRequest(request, context) {
        const { body, betas } = convertToAnthropicRequest(request, context, requestOptions);
        return transport.messages(body, context.model, request.stream, betas);
      },
      decodeResponse: (body, context) => decodeAnthropicResponse(body, id, structuredOutputTool(context)),
      createStreamDecoder: (context) => new AnthropicStreamDecoder(id, structuredOutputTool(context)),
    },
    countTokens: {
      buildRequest(request, context) {
        const { body, betas } = countBody(request, context);
        return transport.countTokens(body, context.model, betas);
      },
      decodeResponse: (body) => readTokenCount(body, 'input_tokens', id),
    },
    ...(settings.passthrough
      ? {
          passthrough: {
            buildRequest(_operation, rawBody, parsedBody, context, options) {
              const betas = parseBetaHeader(options.clientHeaders?.['anthropic-beta']);
              const request = transport.passthroughMessages(rawBody, context.model, parsedBody.stream === true, betas, options.removeFields);
              return request === undefined ? undefined : { request, injectedUsage: false };
            },
            readUsage: (_operation, body) => readAnthropicBodyUsage(body),
            readStreamUsage: readAnthropicStreamUsage,
            isInjectedUsageEvent: () => false,
            createStreamUsageReader: createAnthropicStreamUsageReader,
            isStreamErrorEvent: isAnthropicErrorEvent,
          },
        }
      : {}),
    authenticate: (request, key) => transport.authenticate(request, key),
    mapError: (status, headers, bodyText) => mapAnthropicError(id, status, headers, bodyText),
    servesModel: (model) => matchesAnyPattern(patterns, model),
    listModels() {
      const exact = [...settings.models, ...keyModels].filter((model) => !model.includes('*'));
      return [...new Set(exact.length > 0 ? exact : ANTHROPIC_KNOWN_MODELS)];
    },
  };
}
