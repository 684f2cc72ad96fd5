import type { TokenCountAdapter } from '../provider.js';
import type { BedrockEndpoint } from './bedrock-converse-adapter.js';
import { bedrockModelPath } from './bedrock-model-id.js';
import { familyOf, resolveBedrockModelId, type BedrockOptions } from './bedrock-settings.js';
import { convertToBedrockConverseRequest } from './convert-to-bedrock-converse-request.js';
import { readTokenCount } from '../shared/read-token-count.js';

const COUNTED_FIELDS = ['messages', 'system', 'toolConfig', 'additionalModelRequestFields'];

/**
 * Bedrock CountTokens with the Converse form of the request:
 * POST /model/{modelId}/count-tokens `{"input": {"converse": {messages, system, toolConfig,
 * additionalModelRequestFields}}}` → `{"inputTokens": n}`
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_CountTokens.html).
 */
export function createBedrockCountTokens(providerId: string, options: BedrockOptions, endpoint: BedrockEndpoint): TokenCountAdapter {
  return {
    buildRequest(request, context) {
      const modelId = resolveBedrockModelId(options, context.model);
      const body = convertToBedrockConverseRequest(
        { ...request, stream: false },
        { family: familyOf(options, modelId), options: { guardrail: undefined }, providerName: `provider "${providerId}"`, warnings: context.warnings },
      );
      const converse: Record<string, unknown> = {};
      for (const field of COUNTED_FIELDS) if (body[field] !== undefined) converse[field] = body[field];
      return {
        method: 'POST',
        origin: endpoint.origin,
        path: bedrockModelPath(endpoint.basePath, modelId, 'count-tokens'),
        headers: { 'content-type': 'application/json', accept: 'application/json', ...endpoint.headers },
        body: JSON.stringify({ input: { converse } }),
      };
    },
    decodeResponse: (body) => readTokenCount(body, 'inputTokens', providerId),
  };
}
