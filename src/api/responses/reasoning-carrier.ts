import { isRecord, tryParseJson } from '../../json/parse-json.js';

/*
 * Reasoning from providers other than the Responses API (Anthropic thinking signatures, redacted
 * thinking, Gemini thought signatures) must survive a client that echoes `output` items back as
 * `input` (the stateless pattern). The Responses API's only opaque slot is a reasoning item's
 * `encrypted_content`, so the gateway packs such data there under a recognisable prefix and
 * unpacks it on the way in. It is never sent to OpenAI: reasoning without an OpenAI item id is
 * left out of Responses API requests (with a warning).
 */

const PREFIX = 'swyd1.';

export interface CarriedReasoning {
  signature?: string;
  redactedData?: string;
}

export function packReasoning(carried: CarriedReasoning): string {
  const payload: Record<string, string> = {};
  if (carried.signature !== undefined) payload.s = carried.signature;
  if (carried.redactedData !== undefined) payload.r = carried.redactedData;
  return PREFIX + Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/** The carried data, or undefined when the value is a real encrypted_content. */
export function unpackReasoning(value: string): CarriedReasoning | undefined {
  if (!value.startsWith(PREFIX)) return undefined;
  const payload = tryParseJson(Buffer.from(value.slice(PREFIX.length), 'base64url').toString('utf8'));
  if (!isRecord(payload)) return {};
  const out: CarriedReasoning = {};
  if (typeof payload.s === 'string') out.signature = payload.s;
  if (typeof payload.r === 'string') out.redactedData = payload.r;
  return out;
}
