import { randomBytes } from 'node:crypto';

/**
 * Gemini thought signatures on function calls must come back with the next turn, but clients of
 * other dialects keep only the tool call id (OpenAI `tool_calls[].id`, Anthropic `tool_use.id`,
 * Bedrock `toolUseId`). The signature therefore rides inside the id as
 * `<call id>__thought__<signature>` — the convention LiteLLM introduced and that several agent
 * frameworks already parse — so any client that echoes ids gives it back without knowing.
 * Surfaces that speak Gemini carry the signature natively and show the bare id instead.
 */
export const THOUGHT_SEPARATOR = '__thought__';

/**
 * Google's documented placeholder for function calls whose signature is lost (history written by
 * another model or trimmed by the client); Gemini 3 then skips signature validation.
 * https://ai.google.dev/gemini-api/docs/thought-signatures
 */
export const SKIP_SIGNATURE_VALIDATOR = 'skip_thought_signature_validator';

export function encodeToolCallId(baseId: string, signature: string | undefined): string {
  return signature === undefined || signature === '' ? baseId : `${baseId}${THOUGHT_SEPARATOR}${signature}`;
}

export function decodeToolCallId(id: string): { baseId: string; signature?: string } {
  const at = id.indexOf(THOUGHT_SEPARATOR);
  if (at < 0) return { baseId: id };
  const signature = id.slice(at + THOUGHT_SEPARATOR.length);
  return signature === '' ? { baseId: id.slice(0, at) } : { baseId: id.slice(0, at), signature };
}

/** A fresh call id for a Gemini function call (the Gemini API sends none). */
export function newToolCallId(): string {
  return `call_${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`;
}
