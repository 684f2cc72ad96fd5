import type { ChatAdapter } from '../provider.js';
import { EVENT_STREAM_CONTENT_TYPE } from '../../transport/aws-eventstream.js';
import type { UpstreamRequest } from '../../transport/upstream-request.js';
import { BedrockConverseStreamDecoder } from './bedrock-converse-stream-decoder.js';
import { bedrockModelPath } from './bedrock-model-id.js';
import { familyOf, resolveBedrockModelId, type BedrockOptions } from './bedrock-settings.js';
import { convertToBedrockConverseRequest } from './convert-to-bedrock-converse-request.js';
import { decodeBedrockConverseResponse } from './decode-bedrock-converse-response.js';

/** Where calls go: the configured origin (BedrockAuth puts in the key's region), base path, headers. */
export interface BedrockEndpoint {
  origin: string;
  basePath: string;
  headers: Record<string, string>;
}

/** Converse / ConverseStream for any Bedrock model (the model id from the config's mapping, if any). */
export function createBedrockConverseAdapter(providerId: string, options: BedrockOptions, endpoint: BedrockEndpoint): ChatAdapter {
  const providerName = `provider "${providerId}"`;
  return {
    streamFraming: 'aws-eventstream',
    buildRequest(request, context): UpstreamRequest {
      const modelId = resolveBedrockModelId(options, context.model);
      const body = convertToBedrockConverseRequest(request, {
        family: familyOf(options, modelId),
        options,
        providerName,
        warnings: context.warnings,
      });
      return {
        method: 'POST',
        origin: endpoint.origin,
        path: bedrockModelPath(endpoint.basePath, modelId, request.stream ? 'converse-stream' : 'converse'),
        headers: {
          'content-type': 'application/json',
          accept: request.stream ? EVENT_STREAM_CONTENT_TYPE : 'application/json',
          ...endpoint.headers,
        },
        body: JSON.stringify(body),
      };
    },
    decodeResponse: (body, context) => decodeBedrockConverseResponse(body, resolveBedrockModelId(options, context.model), providerId),
    createStreamDecoder: (context) => new BedrockConverseStreamDecoder(providerId, resolveBedrockModelId(options, context.model)),
  };
}
