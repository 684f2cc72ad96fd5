import type { AssistantContentPart, FilePart, Message, TextPart, ToolResultPart, UserContentPart } from '../../core/index.js';
import {
  optString,
  readArray,
  readEnum,
  readObject,
  readString,
  requireField,
  unknownFields,
} from '../../json/request-reader.js';
import { sourceFromUrl } from '../../providers/shared/data-url.js';

const ROLES = ['system', 'user', 'assistant', 'tool'] as const;
const MESSAGE_FIELDS: Record<(typeof ROLES)[number], ReadonlySet<string>> = {
  system: new Set(['role', 'content']),
  user: new Set(['role', 'content']),
  assistant: new Set(['role', 'content', 'tool_plan', 'tool_calls', 'citations']),
  tool: new Set(['role', 'content', 'tool_call_id']),
};

function options(extra: Record<string, unknown> | undefined): { providerOptions?: Record<string, Record<string, unknown>> } {
  return extra === undefined ? {} : { providerOptions: { cohere: extra } };
}

/** The text of a Cohere document: its `text` (or `snippet`) field, else the record as JSON. */
export function documentText(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data !== null && typeof data === 'object') {
    const record = data as Record<string, unknown>;
    if (typeof record.text === 'string' && Object.keys(record).every((key) => key === 'text' || key === 'title' || key === 'id')) return record.text;
    if (typeof record.snippet === 'string' && Object.keys(record).length === 1) return record.snippet;
  }
  return JSON.stringify(data);
}

function textPart(item: Record<string, unknown>, path: string): TextPart {
  const text = readString(requireField(item, 'text', `${path}.text`), `${path}.text`);
  return { type: 'text', text, ...options(unknownFields(item, new Set(['type', 'text']))) };
}

/** A document content block becomes a text/plain file part; the Cohere block rides along. */
function documentPart(item: Record<string, unknown>, path: string): FilePart {
  const document = readObject(requireField(item, 'document', `${path}.document`), `${path}.document`);
  const data = requireField(document, 'data', `${path}.document.data`);
  const part: FilePart = {
    type: 'file',
    mediaType: 'text/plain',
    source: { kind: 'base64', mediaType: 'text/plain', data: Buffer.from(documentText(data), 'utf8').toString('base64') },
    providerOptions: { cohere: { document } },
  };
  const title = data !== null && typeof data === 'object' ? (data as Record<string, unknown>).title : undefined;
  if (typeof title === 'string') part.title = title;
  return part;
}

function userContent(content: unknown, path: string): UserContentPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return readArray(content, path).map((value, index) => {
    const partPath = `${path}[${index}]`;
    const item = readObject(value, partPath);
    const type = readEnum(item.type, `${partPath}.type`, ['text', 'image_url', 'document'] as const);
    if (type === 'text') return textPart(item, partPath);
    if (type === 'document') return documentPart(item, partPath);
    const image = readObject(requireField(item, 'image_url', `${partPath}.image_url`), `${partPath}.image_url`);
    const url = readString(requireField(image, 'url', `${partPath}.image_url.url`), `${partPath}.image_url.url`);
    const detail = image.detail === undefined || image.detail === null ? undefined : readEnum(image.detail, `${partPath}.image_url.detail`, ['auto', 'low', 'high'] as const);
    return { type: 'image', source: sourceFromUrl(url), ...(detail === undefined ? {} : { detail }) };
  });
}

function toolCalls(value: unknown, path: string): AssistantContentPart[] {
  return readArray(value, path).map((item, index) => {
    const callPath = `${path}[${index}]`;
    const call = readObject(item, callPath);
    const fn = readObject(requireField(call, 'function', `${callPath}.function`), `${callPath}.function`);
    const args = fn.arguments;
    return {
      type: 'tool-call',
      id: readString(requireField(call, 'id', `${callPath}.id`), `${callPath}.id`),
      name: readString(requireField(fn, 'name', `${callPath}.function.name`), `${callPath}.function.name`),
      arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
    };
  });
}

function assistantContent(message: Record<string, unknown>, path: string): AssistantContentPart[] {
  const parts: AssistantContentPart[] = [];
  const content = message.content;
  if (typeof content === 'string') {
    if (content !== '') parts.push({ type: 'text', text: content });
  } else if (content !== undefined && content !== null) {
    readArray(content, `${path}.content`).forEach((value, index) => {
      const partPath = `${path}.content[${index}]`;
      const item = readObject(value, partPath);
      const type = readEnum(item.type, `${partPath}.type`, ['text', 'thinking'] as const);
      if (type === 'text') parts.push(textPart(item, partPath));
      else parts.push({ type: 'reasoning', text: readString(requireField(item, 'thinking', `${partPath}.thinking`), `${partPath}.thinking`) });
    });
  }
  const plan = optString(message.tool_plan, `${path}.tool_plan`);
  if (plan !== undefined && plan !== '') parts.push({ type: 'text', text: plan });
  if (message.tool_calls !== undefined && message.tool_calls !== null) parts.push(...toolCalls(message.tool_calls, `${path}.tool_calls`));
  return parts;
}

/** Tool results: text blocks stay text; document blocks become text with the block kept for Cohere. */
function toolResult(message: Record<string, unknown>, path: string): ToolResultPart {
  const toolCallId = readString(requireField(message, 'tool_call_id', `${path}.tool_call_id`), `${path}.tool_call_id`);
  const content = requireField(message, 'content', `${path}.content`);
  if (typeof content === 'string') return { type: 'tool-result', toolCallId, content };
  const parts: TextPart[] = readArray(content, `${path}.content`).map((value, index) => {
    const partPath = `${path}.content[${index}]`;
    const item = readObject(value, partPath);
    const type = readEnum(item.type, `${partPath}.type`, ['text', 'document'] as const);
    if (type === 'text') return textPart(item, partPath);
    const document = readObject(requireField(item, 'document', `${partPath}.document`), `${partPath}.document`);
    return { type: 'text', text: documentText(requireField(document, 'data', `${partPath}.document.data`)), providerOptions: { cohere: { document } } };
  });
  return { type: 'tool-result', toolCallId, content: parts };
}

/** Cohere v2 `messages` → canonical messages (validated; paths name the offending field). */
export function decodeCohereMessages(value: unknown): Message[] {
  const list = readArray(value, 'messages');
  const messages: Message[] = [];
  list.forEach((item, index) => {
    const path = `messages[${index}]`;
    const message = readObject(item, path);
    const role = readEnum(message.role, `${path}.role`, ROLES);
    const extra = options(unknownFields(message, MESSAGE_FIELDS[role]));
    switch (role) {
      case 'system': {
        const content = requireField(message, 'content', `${path}.content`);
        const parts: TextPart[] =
          typeof content === 'string'
            ? [{ type: 'text', text: content }]
            : readArray(content, `${path}.content`).map((part, at) => textPart(readObject(part, `${path}.content[${at}]`), `${path}.content[${at}]`));
        messages.push({ role: 'system', content: parts, ...extra });
        break;
      }
      case 'user':
        messages.push({ role: 'user', content: userContent(requireField(message, 'content', `${path}.content`), `${path}.content`), ...extra });
        break;
      case 'assistant': {
        const citations = message.citations;
        const extras = extra.providerOptions?.cohere;
        const kept = Array.isArray(citations) && citations.length > 0 ? { providerOptions: { cohere: { ...extras, citations } } } : extra;
        messages.push({ role: 'assistant', content: assistantContent(message, path), ...kept });
        break;
      }
      case 'tool': {
        const result = toolResult(message, path);
        const previous = messages.at(-1);
        // Consecutive tool messages answer one assistant turn: one canonical tool message.
        if (previous?.role === 'tool' && extra.providerOptions === undefined && previous.providerOptions === undefined) previous.content.push(result);
        else messages.push({ role: 'tool', content: [result], ...extra });
        break;
      }
    }
  });
  return messages;
}
