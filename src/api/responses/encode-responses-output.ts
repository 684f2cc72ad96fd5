import type { AssistantContentPart, Citation, ReasoningPart, TokenLogprob } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import type { BuiltinOutputItem } from '../../providers/openai-responses/decode-responses-output.js';
import { itemMetadata } from '../../providers/openai-responses/responses-family.js';
import { packReasoning } from './reasoning-carrier.js';
import { newItemId } from './response-ids.js';

type Json = Record<string, unknown>;

/** A canonical citation → a Responses annotation (a Responses provider's own object as sent). */
export function encodeAnnotation(citation: Citation): Json {
  if (isRecord(citation.raw) && typeof citation.raw.type === 'string') return citation.raw;
  return {
    type: 'url_citation',
    url: citation.url ?? '',
    title: citation.title ?? '',
    start_index: citation.startIndex ?? 0,
    end_index: citation.endIndex ?? 0,
  };
}

export function encodeLogprobs(logprobs: TokenLogprob[] | null | undefined): Json[] {
  return (logprobs ?? []).map((entry) => ({
    token: entry.token,
    logprob: entry.logprob,
    bytes: entry.bytes ?? [],
    top_logprobs: (entry.topLogprobs ?? []).map((top) => ({ token: top.token, logprob: top.logprob, bytes: top.bytes ?? [] })),
  }));
}

/**
 * A reasoning item. The Responses API's own reasoning keeps its item id and returns its
 * encrypted_content when the client asked for it; other providers' signatures and redacted
 * thinking travel packed in encrypted_content (see reasoning-carrier.ts), under the same rule.
 */
export function encodeReasoningItem(part: ReasoningPart, includeEncrypted: boolean, id?: string): Json {
  const { itemId } = itemMetadata(part.providerMetadata);
  const item: Json = { id: id ?? itemId ?? newItemId('rs'), type: 'reasoning', summary: part.text === '' ? [] : [{ type: 'summary_text', text: part.text }] };
  if (includeEncrypted) {
    if (itemId !== undefined) {
      if (part.redactedData !== undefined) item.encrypted_content = part.redactedData;
    } else if (part.signature !== undefined || part.redactedData !== undefined) {
      item.encrypted_content = packReasoning({
        ...(part.signature === undefined ? {} : { signature: part.signature }),
        ...(part.redactedData === undefined ? {} : { redactedData: part.redactedData }),
      });
    }
  }
  return item;
}

export function encodeCallItem(part: Extract<AssistantContentPart, { type: 'tool-call' }>, status: string, id?: string): Json {
  const { itemId, custom } = itemMetadata(part.providerMetadata);
  return custom
    ? { id: id ?? itemId ?? newItemId('ctc'), type: 'custom_tool_call', status, call_id: part.id, name: part.name, input: part.arguments }
    : { id: id ?? itemId ?? newItemId('fc'), type: 'function_call', status, arguments: part.arguments, call_id: part.id, name: part.name };
}

/**
 * Canonical assistant parts → Responses output items, in order: adjacent text and refusal parts
 * form one message item, reasoning and tool calls are items of their own, built-in tool items
 * from a Responses provider go back where they were.
 */
export function encodeOutputItems(
  content: AssistantContentPart[],
  options: { includeEncrypted: boolean; builtinItems?: BuiltinOutputItem[]; logprobs?: TokenLogprob[] | null },
): Json[] {
  const output: Json[] = [];
  const builtin = [...(options.builtinItems ?? [])].sort((a, b) => a.outputIndex - b.outputIndex);
  let message: Json[] | undefined;
  let logprobsUsed = false;
  const flush = (): void => {
    if (message === undefined) return;
    output.push({ id: newItemId('msg'), type: 'message', status: 'completed', content: message, role: 'assistant' });
    message = undefined;
  };
  const push = (item: Json): void => {
    flush();
    while (builtin.length > 0 && builtin[0]!.outputIndex <= output.length) output.push(builtin.shift()!.item);
    output.push(item);
  };
  for (const part of content) {
    while (message === undefined && builtin.length > 0 && builtin[0]!.outputIndex <= output.length) output.push(builtin.shift()!.item);
    switch (part.type) {
      case 'text': {
        const logprobs = logprobsUsed ? [] : encodeLogprobs(options.logprobs);
        logprobsUsed = true;
        (message ??= []).push({ type: 'output_text', annotations: (part.citations ?? []).map(encodeAnnotation), logprobs, text: part.text });
        break;
      }
      case 'refusal':
        (message ??= []).push({ type: 'refusal', refusal: part.text });
        break;
      case 'reasoning':
        push(encodeReasoningItem(part, options.includeEncrypted));
        break;
      case 'tool-call':
        push(encodeCallItem(part, 'completed'));
        break;
      default:
        break;
    }
  }
  flush();
  for (const entry of builtin) output.push(entry.item);
  return output;
}
