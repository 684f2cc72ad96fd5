import type { ChatAdapter, ProviderCallContext } from '../provider.js';
import type { ProviderSettings } from '../provider-settings.js';
import { knownMaxOutputTokens } from '../anthropic/anthropic-max-output-tokens.js';
import { createAnthropicDialectProvider } from '../anthropic/create-anthropic-provider.js';
import type { SseEvent } from '../../transport/sse-parser.js';
import type { StreamDecoder } from '../provider.js';
import type { BedrockAuth } from './bedrock-auth.js';
import { createBedrockAnthropicTransport } from './bedrock-anthropic-transport.js';
import { BedrockInvokeStreamDecoder } from './bedrock-invoke-stream-decoder.js';
import { baseModelId } from './bedrock-model-id.js';
import { resolveBedrockModelId, type BedrockOptions } from './bedrock-settings.js';

/**
 * Claude through InvokeModel: the Anthropic dialect (request conversion, response decoding,
 * stream decoder, structured outputs) composed with the Bedrock transport (path, body shape,
 * SigV4) and the event-stream unwrapping of InvokeModelWithResponseStream.
 */
export function createBedrockInvokeAdapter(settings: ProviderSettings, options: BedrockOptions, auth: BedrockAuth): ChatAdapter {
  const configured = settings.options as { betas?: string[] };
  const transport = createBedrockAnthropicTransport({
    origin: settings.origin,
    basePath: settings.basePath,
    headers: settings.headers,
    betas: configured.betas ?? [],
    auth,
  });
  // Bedrock runs Claude's native structured outputs (output_config.format) and fetches no document URLs.
  const dialect = createAnthropicDialectProvider({ ...settings, passthrough: false }, { type: 'bedrock', transport, structuredOutputs: 'native', documentUrls: false }).chat!;

  // The dialect code sees the Bedrock model id, and Claude's own output limit for the
  // max_tokens it must send; one derived context per call, so what the request builder
  // remembers on it (the emulated structured-output tool) is found again when decoding.
  const derived = new WeakMap<ProviderCallContext, ProviderCallContext>();
  const contextFor = (context: ProviderCallContext): ProviderCallContext => {
    let own = derived.get(context);
    if (own === undefined) {
      const model = resolveBedrockModelId(options, context.model);
      own = { ...context, model };
      if (own.maxOutputTokens === undefined) {
        const limit = knownMaxOutputTokens(baseModelId(model).replace(/^anthropic\./, ''));
        if (limit !== undefined) own.maxOutputTokens = limit;
      }
      derived.set(context, own);
    }
    return own;
  };

  return {
    streamFraming: 'aws-eventstream',
    buildRequest: (request, context) => dialect.buildRequest(request, contextFor(context)),
    decodeResponse: (body, context) => dialect.decodeResponse(body, contextFor(context)),
    createStreamDecoder: (context) => new BedrockInvokeStreamDecoder(dialect.createStreamDecoder(contextFor(context)) as StreamDecoder<SseEvent>, settings.id),
  };
}
