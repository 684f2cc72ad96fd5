import type { EmbeddingRequest, EmbeddingResponse, Usage, Warning } from '../../core/index.js';
import { GatewayError } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import { warnForeignProviderOptions } from '../shared/foreign-provider-options.js';
import type { EmbeddingAdapter } from '../provider.js';
import type { BedrockEndpoint } from './bedrock-converse-adapter.js';
import { baseModelId, bedrockModelPath } from './bedrock-model-id.js';
import { familyOf, resolveBedrockModelId, type BedrockOptions } from './bedrock-settings.js';

type Json = Record<string, unknown>;

function notSupported(message: string, param?: string): GatewayError {
  return new GatewayError({ code: 'not_supported', status: 400, message, ...(param === undefined ? {} : { param }) });
}

function textInputs(request: EmbeddingRequest, providerName: string): string[] {
  return request.input.map((item, index) => {
    if (typeof item !== 'string') throw notSupported(`${providerName} embeds text, not token arrays`, `input[${index}]`);
    return item;
  });
}

/**
 * Amazon Titan text embeddings (amazon.titan-embed-text-v1, -v2:0):
 * `{"inputText", "dimensions"?}` → `{"embedding": [...], "inputTextTokenCount"}`. One text per
 * call. https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html
 */
function titanBody(request: EmbeddingRequest, modelId: string, providerName: string, warnings: Warning[]): Json {
  const inputs = textInputs(request, providerName);
  if (inputs.length !== 1) throw notSupported(`Titan embeddings take one input per request; this one has ${inputs.length} (send them one by one, or use a Cohere embedding model)`, 'input');
  const body: Json = { inputText: inputs[0] };
  if (request.dimensions !== undefined) {
    if (baseModelId(modelId).startsWith('amazon.titan-embed-text-v1')) {
      warnings.push({ code: 'unsupported-parameter', param: 'dimensions', message: `${modelId} has a fixed size; dimensions was not sent` });
    } else body.dimensions = request.dimensions;
  }
  if (request.inputType !== undefined) warnings.push({ code: 'unsupported-parameter', param: 'input_type', message: 'Titan embeddings take no input type; it was not sent' });
  return body;
}

/**
 * Cohere Embed on Bedrock (cohere.embed-english-v3, -multilingual-v3, cohere.embed-v4:0):
 * `{"texts", "input_type", "output_dimension"?}` → `{"embeddings": [[...]] | {"float": [[...]]}}`.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed.html
 */
function cohereBody(request: EmbeddingRequest, modelId: string, providerName: string, warnings: Warning[]): Json {
  const body: Json = { texts: textInputs(request, providerName) };
  if (request.inputType !== undefined) body.input_type = request.inputType;
  else {
    body.input_type = 'search_document';
    warnings.push({ code: 'other', param: 'input_type', message: 'Cohere embeddings require an input type and the request had none; sent "search_document"' });
  }
  if (request.dimensions !== undefined) {
    if (baseModelId(modelId).startsWith('cohere.embed-v4')) body.output_dimension = request.dimensions;
    else warnings.push({ code: 'unsupported-parameter', param: 'dimensions', message: `${modelId} has a fixed size; dimensions was not sent` });
  }
  return body;
}

function badResponse(provider: string): GatewayError {
  return new GatewayError({ code: 'upstream_bad_response', status: 502, retryable: true, message: `Provider "${provider}" returned an embeddings response without vectors`, upstream: { provider } });
}

/** Embeddings through InvokeModel for the Titan and Cohere embedding models. */
export function createBedrockEmbeddings(providerId: string, options: BedrockOptions, endpoint: BedrockEndpoint): EmbeddingAdapter {
  const providerName = `provider "${providerId}"`;
  return {
    buildRequest(request, context) {
      const modelId = resolveBedrockModelId(options, context.model);
      const family = familyOf(options, modelId);
      if (family !== 'titan' && family !== 'cohere') throw notSupported(`${providerName} embeds with Titan and Cohere embedding models; ${modelId} is neither`, 'model');
      const body = family === 'titan' ? titanBody(request, modelId, providerName, context.warnings) : cohereBody(request, modelId, providerName, context.warnings);
      if (request.user !== undefined) context.warnings.push({ code: 'unsupported-parameter', param: 'user', message: `user is not supported by ${providerName} and was not sent` });
      const own = request.providerOptions?.bedrock;
      if (own !== undefined) Object.assign(body, own);
      warnForeignProviderOptions(request.providerOptions, ['bedrock'], providerName, context.warnings);
      return {
        method: 'POST',
        origin: endpoint.origin,
        path: bedrockModelPath(endpoint.basePath, modelId, 'invoke'),
        headers: { 'content-type': 'application/json', accept: 'application/json', ...endpoint.headers },
        body: JSON.stringify(body),
      };
    },
    decodeResponse(body, _request, context): EmbeddingResponse {
      if (!isRecord(body)) throw badResponse(providerId);
      const model = resolveBedrockModelId(options, context.model);
      if (Array.isArray(body.embedding)) {
        const response: EmbeddingResponse = { model, embeddings: [body.embedding as number[]] };
        if (typeof body.inputTextTokenCount === 'number') response.usage = { inputTokens: body.inputTextTokenCount, totalTokens: body.inputTextTokenCount, raw: { inputTextTokenCount: body.inputTextTokenCount } } satisfies Usage;
        return response;
      }
      const vectors = Array.isArray(body.embeddings) ? body.embeddings : isRecord(body.embeddings) && Array.isArray(body.embeddings.float) ? body.embeddings.float : undefined;
      if (vectors === undefined) throw badResponse(providerId);
      const response: EmbeddingResponse = { model, embeddings: vectors as number[][] };
      if (typeof body.id === 'string') response.providerMetadata = { bedrock: { id: body.id } };
      return response;
    },
  };
}
