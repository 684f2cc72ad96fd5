import type {
  AssistantContentPart,
  AssistantMessage,
  Message,
  TextPart,
  ToolResultPart,
  UserContentPart,
} from '../../core/index.js';
import { invalidRequest } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import { optString, readArray, readEnum, readObject, readString, requireField, unknownFields } from '../../json/request-reader.js';
import type { OpaqueInputItem } from '../../providers/openai-responses/convert-to-responses-input.js';
import { RESPONSES_FAMILY } from '../../providers/openai-responses/responses-family.js';
import { sourceFromUrl } from '../../providers/shared/data-url.js';
import { unpackReasoning } from './reasoning-carrier.js';

type Json = Record<string, unknown>;

export interface DecodedInput {
  messages: Message[];
  /** Items without a canonical form, by position in `messages`. */
  opaqueItems: OpaqueInputItem[];
  /** The input as a list of items (a string input becomes one user message item). */
  items: Json[];
}

const AUDIO_TYPES: Record<string, string> = { wav: 'audio/wav', mp3: 'audio/mpeg' };
const ITEM_BOOKKEEPING = ['type', 'id', 'status'];

function extra(source: Json, known: string[]): { providerOptions?: Record<string, Json> } {
  const fields = unknownFields(source, new Set([...known, ...ITEM_BOOKKEEPING]));
  return fields === undefined ? {} : { providerOptions: { [RESPONSES_FAMILY]: fields } };
}

function textOf(part: Json, path: string): TextPart {
  return { type: 'text', text: readString(requireField(part, 'text', `${path}.text`), `${path}.text`), ...extra(part, ['text', 'annotations', 'logprobs']) };
}

function userPart(part: Json, path: string): UserContentPart {
  const type = readEnum(part.type, `${path}.type`, ['input_text', 'input_image', 'input_file', 'input_audio', 'text', 'output_text'] as const);
  switch (type) {
    case 'input_text':
    case 'text':
    case 'output_text':
      return textOf(part, path);
    case 'input_image': {
      const detail = part.detail === undefined || part.detail === null ? undefined : readEnum(part.detail, `${path}.detail`, ['auto', 'low', 'high'] as const);
      const fileId = optString(part.file_id, `${path}.file_id`);
      const url = optString(part.image_url, `${path}.image_url`);
      if (fileId === undefined && url === undefined) throw invalidRequest(`'${path}' needs image_url or file_id.`, path);
      return {
        type: 'image',
        source: fileId !== undefined ? { kind: 'file-id', id: fileId } : sourceFromUrl(url!),
        ...(detail === undefined ? {} : { detail }),
        ...extra(part, ['image_url', 'file_id', 'detail']),
      };
    }
    case 'input_file': {
      const fileId = optString(part.file_id, `${path}.file_id`);
      const fileUrl = optString(part.file_url, `${path}.file_url`);
      const data = optString(part.file_data, `${path}.file_data`);
      const filename = optString(part.filename, `${path}.filename`);
      const named = filename === undefined ? {} : { filename };
      const options = extra(part, ['file_id', 'file_url', 'file_data', 'filename']);
      if (fileId !== undefined) return { type: 'file', source: { kind: 'file-id', id: fileId }, ...named, ...options };
      if (fileUrl !== undefined) return { type: 'file', source: { kind: 'url', url: fileUrl }, ...named, ...options };
      if (data === undefined) throw invalidRequest(`'${path}' needs file_id, file_url or file_data.`, path);
      const source = sourceFromUrl(data);
      const resolved = source.kind === 'base64' ? source : { kind: 'base64' as const, mediaType: 'application/pdf', data };
      return { type: 'file', source: resolved, mediaType: resolved.mediaType, ...named, ...options };
    }
    case 'input_audio': {
      const audio = readObject(requireField(part, 'input_audio', `${path}.input_audio`), `${path}.input_audio`);
      const format = readString(requireField(audio, 'format', `${path}.input_audio.format`), `${path}.input_audio.format`);
      const audioData = readString(requireField(audio, 'data', `${path}.input_audio.data`), `${path}.input_audio.data`);
      return { type: 'audio', source: { kind: 'base64', mediaType: AUDIO_TYPES[format] ?? `audio/${format}`, data: audioData }, format };
    }
  }
}

function messageContent(content: unknown, path: string): Json[] {
  if (typeof content === 'string') return [{ type: 'input_text', text: content }];
  return readArray(content, path).map((item, index) => readObject(item, `${path}[${index}]`));
}

function reasoningPart(item: Json, path: string): AssistantContentPart {
  const summary = Array.isArray(item.summary) ? item.summary : [];
  const content = Array.isArray(item.content) ? item.content : [];
  const texts: string[] = [];
  for (const part of summary.length > 0 ? summary : content) if (isRecord(part) && typeof part.text === 'string') texts.push(part.text);
  const encrypted = optString(item.encrypted_content, `${path}.encrypted_content`);
  const carried = encrypted === undefined ? undefined : unpackReasoning(encrypted);
  const text = texts.join('\n\n');
  if (carried !== undefined) return { type: 'reasoning', text, ...carried };
  const id = optString(item.id, `${path}.id`);
  return {
    type: 'reasoning',
    text,
    ...(encrypted === undefined ? {} : { redactedData: encrypted }),
    ...(id === undefined ? {} : { providerMetadata: { [RESPONSES_FAMILY]: { itemId: id } } }),
  };
}

function toolResult(item: Json, path: string): ToolResultPart {
  const callId = readString(requireField(item, 'call_id', `${path}.call_id`), `${path}.call_id`);
  const output = item.output ?? '';
  if (typeof output === 'string') return { type: 'tool-result', toolCallId: callId, content: output };
  const parts = readArray(output, `${path}.output`).map((entry, index) => {
    const part = userPart(readObject(entry, `${path}.output[${index}]`), `${path}.output[${index}]`);
    if (part.type === 'audio') throw invalidRequest(`'${path}.output[${index}]': audio is not accepted in function outputs.`, `${path}.output[${index}]`);
    return part;
  });
  return { type: 'tool-result', toolCallId: callId, content: parts };
}

/**
 * Responses `input` (a string or a list of items) → canonical messages. Consecutive
 * assistant-side items (assistant messages, reasoning, function and custom tool calls) form one
 * assistant message, consecutive function outputs one tool message, as the other dialects
 * need. Items with no canonical form (built-in tool calls and their outputs, item references)
 * are kept aside with their position, for providers of the Responses dialect.
 */
export function decodeResponsesInput(value: unknown): DecodedInput {
  if (typeof value === 'string') {
    const item = { type: 'message', role: 'user', content: [{ type: 'input_text', text: value }] };
    return { messages: [{ role: 'user', content: [{ type: 'text', text: value }] }], opaqueItems: [], items: [item] };
  }
  const list = readArray(value, 'input');
  const result: DecodedInput = { messages: [], opaqueItems: [], items: [] };
  let assistant: AssistantMessage | undefined;
  let tool: { role: 'tool'; content: ToolResultPart[] } | undefined;
  const flush = (): void => {
    if (assistant !== undefined) result.messages.push(assistant);
    if (tool !== undefined) result.messages.push(tool);
    assistant = undefined;
    tool = undefined;
  };
  const assistantPart = (part: AssistantContentPart): void => {
    if (tool !== undefined) flush();
    (assistant ??= { role: 'assistant', content: [] }).content.push(part);
  };
  list.forEach((entry, index) => {
    const path = `input[${index}]`;
    const item = readObject(entry, path);
    result.items.push(item);
    const type = item.type === undefined || item.type === null ? 'message' : readString(item.type, `${path}.type`);
    switch (type) {
      case 'message': {
        const role = readEnum(requireField(item, 'role', `${path}.role`), `${path}.role`, ['user', 'assistant', 'system', 'developer'] as const);
        const parts = messageContent(requireField(item, 'content', `${path}.content`), `${path}.content`);
        if (role === 'assistant') {
          parts.forEach((part, partIndex) => {
            const partPath = `${path}.content[${partIndex}]`;
            if (part.type === 'refusal') assistantPart({ type: 'refusal', text: readString(part.refusal, `${partPath}.refusal`) });
            else assistantPart(textOf(part, partPath));
          });
          if (parts.length === 0) assistantPart({ type: 'text', text: '' });
          return;
        }
        flush();
        const options = extra(item, ['role', 'content']);
        if (role === 'user') {
          result.messages.push({ role: 'user', content: parts.map((part, partIndex) => userPart(part, `${path}.content[${partIndex}]`)), ...options });
        } else {
          const texts = parts.map((part, partIndex) => {
            const partPath = `${path}.content[${partIndex}]`;
            if (part.type !== 'input_text' && part.type !== 'text') throw invalidRequest(`'${partPath}': ${role} messages take input_text only.`, partPath);
            return textOf(part, partPath);
          });
          result.messages.push({ role: 'system', content: texts, ...(role === 'developer' ? { developer: true } : {}), ...options });
        }
        return;
      }
      case 'function_call':
      case 'custom_tool_call': {
        const custom = type === 'custom_tool_call';
        const id = optString(item.id, `${path}.id`);
        const args = custom ? item.input : item.arguments;
        const own: Json = {};
        if (id !== undefined) own.itemId = id;
        if (custom) own.custom = true;
        assistantPart({
          type: 'tool-call',
          id: readString(requireField(item, 'call_id', `${path}.call_id`), `${path}.call_id`),
          name: readString(requireField(item, 'name', `${path}.name`), `${path}.name`),
          arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
          providerMetadata: { [RESPONSES_FAMILY]: own },
        });
        return;
      }
      case 'reasoning':
        assistantPart(reasoningPart(item, path));
        return;
      case 'function_call_output':
      case 'custom_tool_call_output': {
        if (assistant !== undefined) flush();
        (tool ??= { role: 'tool', content: [] }).content.push(toolResult(item, path));
        return;
      }
      default:
        flush();
        result.opaqueItems.push({ position: result.messages.length, item });
    }
  });
  flush();
  return result;
}
