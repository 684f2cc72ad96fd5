import type { Usage } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import { convertAnthropicUsage, mergeAnthropicUsage } from './convert-anthropic-usage.js';

type Json = Record<string, unknown>;

/*
 * Side parsing of forwarded Anthropic traffic: usage for accounting, error events for the
 * request record. Only events that can carry usage are parsed, so the cost per forwarded event
 * is a substring test.
 */

/** Usage of a complete Messages body. */
export function readAnthropicBodyUsage(body: unknown): Usage | undefined {
  return isRecord(body) ? convertAnthropicUsage(body.usage) : undefined;
}

function eventUsage(data: string): Json | undefined {
  if (!data.includes('"usage"')) return undefined;
  const event = tryParseJson(data);
  if (!isRecord(event)) return undefined;
  if (event.type === 'message_start' && isRecord(event.message) && isRecord(event.message.usage)) return event.message.usage;
  if (event.type === 'message_delta' && isRecord(event.usage)) return event.usage;
  return undefined;
}

/** Usage of one event on its own (message_delta alone may lack the input side). */
export function readAnthropicStreamUsage(data: string): Usage | undefined {
  const usage = eventUsage(data);
  return usage === undefined ? undefined : convertAnthropicUsage(usage);
}

/** A per-stream reader that merges message_start and message_delta usage. */
export function createAnthropicStreamUsageReader(): (data: string) => Usage | undefined {
  let merged: Json | undefined;
  return (data) => {
    const usage = eventUsage(data);
    if (usage === undefined) return undefined;
    merged = mergeAnthropicUsage(merged, usage);
    return convertAnthropicUsage(merged);
  };
}

/** `{"type":"error",...}` events (the `event: error` line is not seen by data readers). */
export function isAnthropicErrorEvent(data: string): boolean {
  return data.startsWith('{"type":"error"') || data.startsWith('{"type": "error"');
}
