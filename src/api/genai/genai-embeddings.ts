import type { EmbeddingRequest, EmbeddingResponse } from '../../core/index.js';
import { invalidRequest } from '../../core/index.js';
import { optInteger, optString, readArray, readObject } from '../../json/request-reader.js';
import { base64ToFloats } from '../openai/embeddings.js';
import type { SurfaceRequestInfo } from '../surface.js';
import { modelFromPath } from './decode-genai-request.js';
import { camelFields } from './read-gemini-fields.js';

type Json = Record<string, unknown>;

const REQUEST_FIELDS = new Set(['model', 'content', 'taskType', 'outputDimensionality']);

/** The text of an embedContent `content` (text parts joined; other parts are refused). */
function contentText(value: unknown, path: string): string {
  const content = camelFields(readObject(value, path));
  const parts = readArray(content.parts ?? [], `${path}.parts`);
  let text = '';
  parts.forEach((item, index) => {
    const part = readObject(item, `${path}.parts[${index}]`);
    if (typeof part.text !== 'string') throw invalidRequest(`'${path}.parts[${index}]': only text parts can be embedded through the gateway.`, `${path}.parts[${index}]`);
    text += part.text;
  });
  if (text === '') throw invalidRequest(`'${path}' holds no text to embed.`, path);
  return text;
}

interface EmbedItem {
  text: string;
  taskType?: string;
  dimensions?: number;
  extra?: Json;
}

function decodeItem(value: Json, path: string): EmbedItem {
  const item = camelFields(value);
  const out: EmbedItem = { text: contentText(item.content, `${path}content`) };
  const taskType = optString(item.taskType, `${path}taskType`);
  if (taskType !== undefined) out.taskType = taskType;
  const dimensions = optInteger(item.outputDimensionality, `${path}outputDimensionality`, 1);
  if (dimensions !== undefined) out.dimensions = dimensions;
  for (const [key, setting] of Object.entries(item)) if (!REQUEST_FIELDS.has(key)) (out.extra ??= {})[key] = setting;
  return out;
}

function toRequest(model: string, items: EmbedItem[]): EmbeddingRequest {
  const first = items[0]!;
  for (const item of items) {
    if (item.taskType !== first.taskType || item.dimensions !== first.dimensions || JSON.stringify(item.extra) !== JSON.stringify(first.extra)) {
      throw invalidRequest('All requests of a batch must share taskType, title and outputDimensionality when routed through the gateway.', 'requests');
    }
  }
  const request: EmbeddingRequest = { model, input: items.map((item) => item.text) };
  if (first.taskType !== undefined) request.inputType = first.taskType;
  if (first.dimensions !== undefined) request.dimensions = first.dimensions;
  if (first.extra !== undefined) request.providerOptions = { gemini: first.extra };
  return request;
}

/** :embedContent body → canonical request (model from the URL). */
export function decodeGenAiEmbedRequest(body: unknown, info: SurfaceRequestInfo): EmbeddingRequest {
  return toRequest(modelFromPath(info), [decodeItem(readObject(body, 'body'), '')]);
}

/** :batchEmbedContents body → canonical request, one input per request. */
export function decodeGenAiBatchEmbedRequest(body: unknown, info: SurfaceRequestInfo): EmbeddingRequest {
  const requests = readArray(readObject(body, 'body').requests, 'requests');
  if (requests.length === 0) throw invalidRequest("'requests' must not be empty.", 'requests');
  return toRequest(
    modelFromPath(info),
    requests.map((item, index) => decodeItem(readObject(item, `requests[${index}]`), `requests[${index}].`)),
  );
}

function values(vector: number[] | string): number[] {
  return typeof vector === 'string' ? base64ToFloats(vector) : vector;
}

export function encodeGenAiEmbedResponse(response: EmbeddingResponse): string {
  return JSON.stringify({ embedding: { values: values(response.embeddings[0] ?? []) } });
}

export function encodeGenAiBatchEmbedResponse(response: EmbeddingResponse): string {
  return JSON.stringify({ embeddings: response.embeddings.map((vector) => ({ values: values(vector) })) });
}

