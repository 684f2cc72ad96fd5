import type {
  AssistantContentPart,
  Message,
  ReasoningPart,
  TextPart,
  ToolResultPart,
  UserContentPart,
} from '../../core/index.js';
import { invalidRequest } from '../../core/index.js';
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

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'] as const;
const MESSAGE_FIELDS: Record<string, ReadonlySet<string>> = {
  system: new Set(['role', 'content', 'name']),
  developer: new Set(['role', 'content', 'name']),
  user: new Set(['role', 'content', 'name']),
  assistant: new Set(['role', 'content', 'name', 'tool_calls', 'refusal', 'reasoning_content', 'reasoning', 'thinking_blocks']),
  tool: new Set(['role', 'content', 'tool_call_id']),
  function: new Set(['role', 'content', 'name']),
};
const TEXT_PART_FIELDS = new Set(['type', 'text']);
const AUDIO_TYPES: Record<string, string> = { wav: 'audio/wav', mp3: 'audio/mpeg', flac: 'audio/flac', ogg: 'audio/ogg', webm: 'audio/webm', pcm16: 'audio/pcm' };

function optionsFor(extra: Record<string, unknown> | undefined) {
  return extra === undefined ? {} : { providerOptions: { openai: extra } };
}

function textParts(content: unknown, path: string): TextPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  const parts = readArray(content, path);
  return parts.map((item, index) => {
    const partPath = `${path}[${index}]`;
    const part = readObject(item, partPath);
    readEnum(part.type, `${partPath}.type`, ['text'] as const);
    const text = readString(requireField(part, 'text', `${partPath}.text`), `${partPath}.text`);
    return { type: 'text', text, ...optionsFor(unknownFields(part, TEXT_PART_FIELDS)) };
  });
}


function userPart(item: unknown, path: string): UserContentPart {
  const part = readObject(item, path);
  const type = readEnum(part.type, `${path}.type`, ['text', 'image_url', 'input_audio', 'file'] as const);
  switch (type) {
    case 'text':
      return {
        type: 'text',
        text: readString(requireField(part, 'text', `${path}.text`), `${path}.text`),
        ...optionsFor(unknownFields(part, TEXT_PART_FIELDS)),
      };
    case 'image_url': {
      const raw = requireField(part, 'image_url', `${path}.image_url`);
      const image = typeof raw === 'string' ? { url: raw } : readObject(raw, `${path}.image_url`);
      const url = readString(requireField(image, 'url', `${path}.image_url.url`), `${path}.image_url.url`);
      const detail = image.detail === undefined || image.detail === null ? undefined : readEnum(image.detail, `${path}.image_url.detail`, ['auto', 'low', 'high'] as const);
      return { type: 'image', source: sourceFromUrl(url), ...(detail === undefined ? {} : { detail }) };
    }
    case 'input_audio': {
      const audio = readObject(requireField(part, 'input_audio', `${path}.input_audio`), `${path}.input_audio`);
      const data = readString(requireField(audio, 'data', `${path}.input_audio.data`), `${path}.input_audio.data`);
      const format = readString(requireField(audio, 'format', `${path}.input_audio.format`), `${path}.input_audio.format`);
      return { type: 'audio', source: { kind: 'base64', mediaType: AUDIO_TYPES[format] ?? `audio/${format}`, data }, format };
    }
    case 'file': {
      const file = readObject(requireField(part, 'file', `${path}.file`), `${path}.file`);
      const fileId = optString(file.file_id, `${path}.file.file_id`);
      const fileData = optString(file.file_data, `${path}.file.file_data`);
      const filename = optString(file.filename, `${path}.file.filename`);
      if (fileId !== undefined) return { type: 'file', source: { kind: 'file-id', id: fileId }, ...(filename ? { filename } : {}) };
      if (fileData === undefined) throw invalidRequest(`'${path}.file' needs file_id or file_data.`, `${path}.file`);
      const source = sourceFromUrl(fileData);
      const resolved = source.kind === 'url' ? { kind: 'base64' as const, mediaType: 'application/pdf', data: fileData } : source;
      return {
        type: 'file',
        source: resolved,
        mediaType: resolved.kind === 'base64' ? resolved.mediaType : 'application/octet-stream',
        ...(filename ? { filename } : {}),
      };
    }
  }
}

function reasoningParts(message: Record<string, unknown>, path: string): ReasoningPart[] {
  const blocks = message.thinking_blocks;
  if (Array.isArray(blocks) && blocks.length > 0) {
    return blocks.map((item, index) => {
      const block = readObject(item, `${path}.thinking_blocks[${index}]`);
      if (block.type === 'redacted_thinking') {
        return { type: 'reasoning', text: '', redactedData: readString(block.data, `${path}.thinking_blocks[${index}].data`) };
      }
      const part: ReasoningPart = { type: 'reasoning', text: optString(block.thinking, `${path}.thinking_blocks[${index}].thinking`) ?? '' };
      const signature = optString(block.signature, `${path}.thinking_blocks[${index}].signature`);
      if (signature !== undefined) part.signature = signature;
      return part;
    });
  }
  const text = optString(message.reasoning_content, `${path}.reasoning_content`) ?? (typeof message.reasoning === 'string' ? message.reasoning : undefined);
  return text === undefined || text === '' ? [] : [{ type: 'reasoning', text }];
}

function assistantContent(message: Record<string, unknown>, path: string): AssistantContentPart[] {
  const content: AssistantContentPart[] = [...reasoningParts(message, path)];
  const raw = message.content;
  if (typeof raw === 'string') {
    if (raw !== '') content.push({ type: 'text', text: raw });
  } else if (raw !== undefined && raw !== null) {
    readArray(raw, `${path}.content`).forEach((item, index) => {
      const partPath = `${path}.content[${index}]`;
      const part = readObject(item, partPath);
      const type = readEnum(part.type, `${partPath}.type`, ['text', 'refusal'] as const);
      if (type === 'text') content.push({ type: 'text', text: readString(part.text, `${partPath}.text`) });
      else content.push({ type: 'refusal', text: readString(part.refusal, `${partPath}.refusal`) });
    });
  }
  const refusal = optString(message.refusal, `${path}.refusal`);
  if (refusal !== undefined) content.push({ type: 'refusal', text: refusal });
  if (message.tool_calls !== undefined && message.tool_calls !== null) {
    readArray(message.tool_calls, `${path}.tool_calls`).forEach((item, index) => {
      const callPath = `${path}.tool_calls[${index}]`;
      const call = readObject(item, callPath);
      const fn = readObject(requireField(call, 'function', `${callPath}.function`), `${callPath}.function`);
      const args = fn.arguments;
      content.push({
        type: 'tool-call',
        id: readString(requireField(call, 'id', `${callPath}.id`), `${callPath}.id`),
        name: readString(requireField(fn, 'name', `${callPath}.function.name`), `${callPath}.function.name`),
        arguments: typeof args === 'string' ? args : args === undefined || args === null ? '{}' : JSON.stringify(args),
      });
    });
  }
  return content;
}

function toolResult(message: Record<string, unknown>, path: string): ToolResultPart {
  const id = readString(requireField(message, 'tool_call_id', `${path}.tool_call_id`), `${path}.tool_call_id`);
  const raw = message.content ?? '';
  const content = typeof raw === 'string' ? raw : textParts(raw, `${path}.content`);
  return { type: 'tool-result', toolCallId: id, content };
}

/** OpenAI chat `messages` → canonical messages, validating as it goes. */
export function decodeChatMessages(value: unknown): Message[] {
  const list = readArray(value, 'messages');
  if (list.length === 0) throw invalidRequest("Invalid 'messages': empty array. Expected an array with minimum length 1.", 'messages');
  const out: Message[] = [];
  list.forEach((item, index) => {
    const path = `messages[${index}]`;
    const message = readObject(item, path);
    const role = readEnum(requireField(message, 'role', `${path}.role`), `${path}.role`, ROLES);
    const name = optString(message.name, `${path}.name`);
    const extra = optionsFor(unknownFields(message, MESSAGE_FIELDS[role]!));
    const named = name === undefined ? {} : { name };
    switch (role) {
      case 'system':
      case 'developer':
        out.push({
          role: 'system',
          content: textParts(requireField(message, 'content', `${path}.content`), `${path}.content`),
          ...(role === 'developer' ? { developer: true } : {}),
          ...named,
          ...extra,
        });
        break;
      case 'user': {
        const content = requireField(message, 'content', `${path}.content`);
        const parts: UserContentPart[] =
          typeof content === 'string'
            ? [{ type: 'text', text: content }]
            : readArray(content, `${path}.content`).map((part, partIndex) => userPart(part, `${path}.content[${partIndex}]`));
        out.push({ role: 'user', content: parts, ...named, ...extra });
        break;
      }
      case 'assistant':
        out.push({ role: 'assistant', content: assistantContent(message, path), ...named, ...extra });
        break;
      case 'tool':
        out.push({ role: 'tool', content: [toolResult(message, path)], ...extra });
        break;
      case 'function': {
        // Legacy function results: the function name stands in for the call id.
        const fnName = readString(requireField(message, 'name', `${path}.name`), `${path}.name`);
        const content = message.content;
        out.push({
          role: 'tool',
          content: [{ type: 'tool-result', toolCallId: fnName, name: fnName, content: typeof content === 'string' ? content : JSON.stringify(content ?? '') }],
        });
        break;
      }
    }
  });
  return out;
}

