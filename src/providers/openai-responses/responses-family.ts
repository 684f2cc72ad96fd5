/**
 * The providerOptions / providerMetadata key of the OpenAI Responses dialect. It is separate from
 * "openai" (chat completions) because the two APIs take different fields: a Responses-only option
 * (previous_response_id, include, truncation, built-in tools) sent to chat completions would be
 * rejected, and chat-only fields must not reach /responses. Adapters of the Responses dialect
 * read both families; chat-completions adapters treat this one as foreign (a warning).
 */
export const RESPONSES_FAMILY = 'openai-responses';

/**
 * Options from the "openai" (chat completions) family that mean the same on the Responses API
 * and are forwarded to it; other "openai" options produce a warning.
 */
export const SHARED_OPENAI_OPTIONS: ReadonlySet<string> = new Set([
  'metadata',
  'prompt_cache_key',
  'prompt_cache_retention',
  'safety_identifier',
  'store',
  'stream_options',
  'background',
]);

/** Per-part / per-call metadata the Responses dialect keeps under RESPONSES_FAMILY. */
export interface ResponsesItemMetadata {
  /** The output item id (rs_…, fc_…, ctc_…, msg_…). */
  itemId?: string;
  /** The call was a custom (free-form) tool call: its arguments are raw text, not JSON. */
  custom?: boolean;
}

export function itemMetadata(metadata: Record<string, Record<string, unknown>> | undefined): ResponsesItemMetadata {
  const own = metadata?.[RESPONSES_FAMILY];
  if (own === undefined) return {};
  const out: ResponsesItemMetadata = {};
  if (typeof own.itemId === 'string') out.itemId = own.itemId;
  if (own.custom === true) out.custom = true;
  return out;
}
