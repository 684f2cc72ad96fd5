import type { TextPart } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';

type Json = Record<string, unknown>;

/*
 * Anthropic content blocks the canonical model has no part for (server_tool_use,
 * web_search_tool_result, code execution results, search_result, container_upload, ...) travel
 * as an empty text part whose providerOptions.anthropic.block holds the block verbatim. Other
 * dialects see an empty text and send nothing for it; the Anthropic provider and surface put
 * the block back where it was, so an Anthropic client gets server tool blocks back unchanged and
 * can send them in the next turn.
 */

export function opaqueBlockPart(block: Json): TextPart {
  return { type: 'text', text: '', providerOptions: { anthropic: { block } } };
}

/** The verbatim Anthropic block carried by a part, if it is such a carrier. */
export function opaqueBlockOf(part: { type: string; providerOptions?: Record<string, Record<string, unknown>> }): Json | undefined {
  if (part.type !== 'text') return undefined;
  const block = part.providerOptions?.anthropic?.block;
  return isRecord(block) ? block : undefined;
}
