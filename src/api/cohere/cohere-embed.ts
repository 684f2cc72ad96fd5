import type { EmbeddingRequest, EmbeddingResponse } from '../../core/index.js';
import { invalidRequest } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import { optInteger, optString, readArray, readEnum, readObject, readString, requireField, unknownFields } from '../../json/request-reader.js';
import { base64ToFloats, floatsToBase64 } from '../openai/embeddings.js';
import { encodeCohereMeta } from './encode-cohere-usage.js';

const KNOWN_FIELDS = new Set(['model', 'texts', 'input_type', 'embedding_types', 'output_dimension']);
const TYPES = ['float', 'int8', 'uint8', 'binary', 'ubinary', 'base64'] as const;
/** Types the surface produces itself from float vectors, whatever the provider. */
const OWN_TYPES = new Set<string>(['float', 'base64']);

/** The embedding types each decoded request asked for (read back when encoding). */
const requestedTypes = new WeakMap<EmbeddingRequest, string[]>();

/**
 * A Cohere /v2/embed body → canonical. https://docs.cohere.com/reference/embed
 * Quantised types (int8, binary, ...) only a Cohere provider can produce: they are passed on in
 * providerOptions.cohere; images, `inputs`, `truncate` and `max_tokens` likewise.
 */
export function decodeCohereEmbedRequest(value: unknown): EmbeddingRequest {
  const body = readObject(value, 'body');
  const model = readString(requireField(body, 'model', 'model'), 'model');
  const texts = body.texts === undefined || body.texts === null ? [] : readArray(body.texts, 'texts').map((item, index) => readString(item, `texts[${index}]`));
  if (texts.length === 0 && body.images === undefined && body.inputs === undefined) throw invalidRequest('texts, images or inputs is required', 'texts');
  const types =
    body.embedding_types === undefined || body.embedding_types === null
      ? ['float']
      : readArray(body.embedding_types, 'embedding_types').map((item, index) => readEnum(item, `embedding_types[${index}]`, TYPES));
  const request: EmbeddingRequest = { model, input: texts };
  const inputType = optString(body.input_type, 'input_type');
  if (inputType !== undefined) request.inputType = inputType;
  const dimensions = optInteger(body.output_dimension, 'output_dimension', 1);
  if (dimensions !== undefined) request.dimensions = dimensions;
  const extra = unknownFields(body, KNOWN_FIELDS) ?? {};
  if (types.some((type) => !OWN_TYPES.has(type))) extra.embedding_types = types;
  if (Object.keys(extra).length > 0) request.providerOptions = { cohere: extra };
  requestedTypes.set(request, types);
  return request;
}

/** Canonical embeddings → Cohere `embeddings_by_type`, with the types the client asked for. */
export function encodeCohereEmbedResponse(response: EmbeddingResponse, request: EmbeddingRequest, requestId: string): string {
  const types = requestedTypes.get(request) ?? ['float'];
  const fromProvider = response.providerMetadata?.cohere?.embeddings;
  const floats = () => response.embeddings.map((vector) => (typeof vector === 'string' ? base64ToFloats(vector) : vector));
  const embeddings: Record<string, unknown> = {};
  for (const type of types) {
    if (isRecord(fromProvider) && fromProvider[type] !== undefined) embeddings[type] = fromProvider[type];
    else if (type === 'float') embeddings.float = floats();
    else if (type === 'base64') embeddings.base64 = response.embeddings.map((vector) => (typeof vector === 'string' ? vector : floatsToBase64(vector)));
  }
  const id = response.providerMetadata?.cohere?.id;
  return JSON.stringify({
    id: typeof id === 'string' ? id : requestId,
    embeddings,
    texts: request.input,
    meta: encodeCohereMeta(response.usage),
    response_type: 'embeddings_by_type',
  });
}
