import type { Usage } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import type { PassthroughOperation } from '../provider.js';
import { convertCohereUsage } from './convert-cohere-usage.js';

/** Usage of a complete Cohere body: chat has `usage`, embed and rerank have `meta`. */
export function readCohereBodyUsage(operation: PassthroughOperation, body: unknown): Usage | undefined {
  if (!isRecord(body)) return undefined;
  return convertCohereUsage(operation === 'chat' ? body.usage : body.meta);
}

/** Usage from a stream event: only message-end carries it, so other events cost a substring test. */
export function readCohereStreamUsage(data: string): Usage | undefined {
  if (!data.includes('"message-end"')) return undefined;
  const event = tryParseJson(data);
  const delta = isRecord(event) && isRecord(event.delta) ? event.delta : undefined;
  return delta === undefined ? undefined : convertCohereUsage(delta.usage);
}
