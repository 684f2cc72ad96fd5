import type { EmbeddingRequest, EmbeddingResponse } from '../../core/index.js';
import { invalidRequest } from '../../core/index.js';
import {
  optInteger,
  optString,
  readArray,
  readEnum,
  readInteger,
  readObject,
  readString,
  requireField,
  unknownFields,
} from '../../json/request-reader.js';

const KNOWN_FIELDS = new Set(['model', 'input', 'encoding_format', 'dimensions', 'user']);

/** OpenAI /embeddings body → canonical request. */
export function decodeOpenAiEmbeddingRequest(value: unknown): EmbeddingRequest {
  const body = readObject(value, 'body');
  const model = readString(requireField(body, 'model', 'model'), 'model');
  const raw = requireField(body, 'input', 'input');
  let input: Array<string | number[]>;
  if (typeof raw === 'string') input = [raw];
  else {
    const list = readArray(raw, 'input');
    if (list.length === 0) throw invalidRequest("'input' : input must be a non-empty string or array", 'input');
    if (list.every((item) => typeof item === 'number')) input = [list.map((item, index) => readInteger(item, `input[${index}]`))];
    else
      input = list.map((item, index) =>
        typeof item === 'string' ? item : readArray(item, `input[${index}]`).map((token, at) => readInteger(token, `input[${index}][${at}]`)),
      );
  }
  if (input.some((item) => item === '')) throw invalidRequest("'input' : input must not contain empty strings", 'input');
  const request: EmbeddingRequest = { model, input };
  if (body.encoding_format !== undefined && body.encoding_format !== null) {
    request.encodingFormat = readEnum(body.encoding_format, 'encoding_format', ['float', 'base64'] as const);
  }
  const dimensions = optInteger(body.dimensions, 'dimensions', 1);
  if (dimensions !== undefined) request.dimensions = dimensions;
  const user = optString(body.user, 'user');
  if (user !== undefined) request.user = user;
  const extra = unknownFields(body, KNOWN_FIELDS);
  if (extra !== undefined) request.providerOptions = { openai: extra };
  return request;
}

/** float[] → base64 of little-endian float32, as OpenAI returns for encoding_format=base64. */
export function floatsToBase64(vector: number[]): string {
  const floats = new Float32Array(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}

export function base64ToFloats(encoded: string): number[] {
  const bytes = Buffer.from(encoded, 'base64');
  const floats = new Float32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 4));
  return Array.from(floats);
}

/** Canonical embeddings → OpenAI list, in the encoding the client asked for. */
export function encodeOpenAiEmbeddingResponse(response: EmbeddingResponse, request: EmbeddingRequest, fallbackModel: string): string {
  const wantBase64 = request.encodingFormat === 'base64';
  const data = response.embeddings.map((vector, index) => ({
    object: 'embedding',
    index,
    embedding:
      typeof vector === 'string' ? (wantBase64 ? vector : base64ToFloats(vector)) : wantBase64 ? floatsToBase64(vector) : vector,
  }));
  const input = response.usage?.inputTokens ?? 0;
  return JSON.stringify({
    object: 'list',
    data,
    model: response.model || fallbackModel,
    usage: { prompt_tokens: input, total_tokens: response.usage?.totalTokens ?? input },
  });
}
