import type {
  AssistantMessage,
  FilePart,
  ImagePart,
  AudioPart,
  Message,
  TextPart,
  ToolResultPart,
  UserContentPart,
  Warning,
} from '../../core/index.js';
import { toDataUrl } from '../shared/data-url.js';
import type { OpenAiQuirks } from './openai-quirks.js';

type Json = Record<string, unknown>;

function withOptions(target: Json, options: Record<string, Record<string, unknown>> | undefined): Json {
  const own = options?.openai;
  return own === undefined ? target : { ...target, ...own };
}

function textPart(part: TextPart): Json {
  return withOptions({ type: 'text', text: part.text }, part.providerOptions);
}

function imagePart(part: ImagePart, warnings: Warning[]): Json | undefined {
  const source = part.source;
  if (source.kind === 'file-id') {
    warnings.push({ code: 'unsupported-content', message: 'images given by file id are not supported in OpenAI chat; the image was not sent' });
    return undefined;
  }
  const url = source.kind === 'url' ? source.url : toDataUrl(source.mediaType, source.data);
  const imageUrl: Json = { url };
  if (part.detail !== undefined) imageUrl.detail = part.detail;
  return withOptions({ type: 'image_url', image_url: imageUrl }, part.providerOptions);
}

function audioPart(part: AudioPart, warnings: Warning[]): Json | undefined {
  if (part.source.kind !== 'base64') {
    warnings.push({ code: 'unsupported-content', message: 'OpenAI chat takes audio only as base64 data; the audio part was not sent' });
    return undefined;
  }
  const format = part.format ?? part.source.mediaType.replace(/^audio\/(x-)?/, '').replace('mpeg', 'mp3');
  return withOptions({ type: 'input_audio', input_audio: { data: part.source.data, format } }, part.providerOptions);
}

function filePart(part: FilePart, warnings: Warning[]): Json | undefined {
  const source = part.source;
  if (source.kind === 'file-id') return withOptions({ type: 'file', file: { file_id: source.id } }, part.providerOptions);
  if (source.kind === 'base64') {
    const file: Json = { file_data: toDataUrl(source.mediaType, source.data) };
    file.filename = part.filename ?? 'file';
    return withOptions({ type: 'file', file }, part.providerOptions);
  }
  warnings.push({ code: 'unsupported-content', message: 'OpenAI chat does not fetch files from URLs; the file part was not sent' });
  return undefined;
}

function userContent(parts: UserContentPart[], warnings: Warning[]): string | Json[] {
  const only = parts[0];
  if (parts.length === 1 && only?.type === 'text' && only.providerOptions === undefined) return only.text;
  const out: Json[] = [];
  for (const part of parts) {
    const converted =
      part.type === 'text'
        ? textPart(part)
        : part.type === 'image'
          ? imagePart(part, warnings)
          : part.type === 'audio'
            ? audioPart(part, warnings)
            : filePart(part, warnings);
    if (converted !== undefined) out.push(converted);
  }
  return out;
}

function textContent(parts: TextPart[]): string | Json[] {
  const only = parts[0];
  if (parts.length === 1 && only !== undefined && only.providerOptions === undefined) return only.text;
  return parts.map(textPart);
}

function assistantMessage(message: AssistantMessage, quirks: OpenAiQuirks, warnings: Warning[]): Json {
  const out: Json = { role: 'assistant' };
  const texts: string[] = [];
  const toolCalls: Json[] = [];
  let reasoning = '';
  let droppedReasoning = false;
  for (const part of message.content) {
    switch (part.type) {
      case 'text':
        texts.push(part.text);
        break;
      case 'refusal':
        out.refusal = part.text;
        break;
      case 'tool-call':
        toolCalls.push(
          withOptions(
            { id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments } },
            part.providerOptions,
          ),
        );
        break;
      case 'reasoning':
        if (quirks.reasoningInput !== false && part.redactedData === undefined) reasoning += part.text;
        else droppedReasoning = true;
        break;
      default:
        warnings.push({
          code: 'unsupported-content',
          message: `assistant ${part.type} content cannot be sent in OpenAI chat history and was left out`,
        });
    }
  }
  out.content = texts.length === 0 ? null : texts.join('');
  if (reasoning !== '' && quirks.reasoningInput !== false) out[quirks.reasoningInput] = reasoning;
  if (toolCalls.length > 0) out.tool_calls = toolCalls;
  if (message.name !== undefined) out.name = message.name;
  if (droppedReasoning) {
    warnings.push({
      code: 'lossy-conversion',
      message: 'reasoning from earlier assistant turns is not accepted by this provider and was not sent',
    });
  }
  return withOptions(out, message.providerOptions);
}

function toolResultContent(part: ToolResultPart, warnings: Warning[]): string | Json[] {
  if (typeof part.content === 'string') return part.content;
  const texts: Json[] = [];
  for (const item of part.content) {
    if (item.type === 'text') texts.push(textPart(item));
    else warnings.push({ code: 'unsupported-content', message: `OpenAI tool results carry text only; a ${item.type} was left out` });
  }
  const only = texts[0];
  return texts.length === 1 && only !== undefined && Object.keys(only).length === 2 ? (only.text as string) : texts;
}

/** Canonical messages → OpenAI chat `messages`. */
export function convertToOpenAiMessages(messages: Message[], quirks: OpenAiQuirks, warnings: Warning[]): Json[] {
  const out: Json[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system': {
        const role = message.developer && quirks.developerRole ? 'developer' : 'system';
        const converted: Json = { role, content: textContent(message.content) };
        if (message.name !== undefined) converted.name = message.name;
        out.push(withOptions(converted, message.providerOptions));
        break;
      }
      case 'user': {
        const converted: Json = { role: 'user', content: userContent(message.content, warnings) };
        if (message.name !== undefined) converted.name = message.name;
        out.push(withOptions(converted, message.providerOptions));
        break;
      }
      case 'assistant':
        out.push(assistantMessage(message, quirks, warnings));
        break;
      case 'tool':
        for (const part of message.content) {
          out.push(
            withOptions(
              { role: 'tool', tool_call_id: part.toolCallId, content: toolResultContent(part, warnings) },
              message.providerOptions ?? part.providerOptions,
            ),
          );
        }
        break;
    }
  }
  return out;
}
