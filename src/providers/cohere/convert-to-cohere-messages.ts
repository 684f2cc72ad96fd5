import type {
  AssistantMessage,
  FilePart,
  Message,
  ToolResultPart,
  UserContentPart,
  Warning,
} from '../../core/index.js';
import { toDataUrl } from '../shared/data-url.js';

type Json = Record<string, unknown>;

/** Documents for Cohere's top-level `documents` (RAG), gathered from text files in messages. */
export interface CohereDocument {
  id?: string;
  data: Record<string, string>;
}

export interface ConvertedCohereMessages {
  messages: Json[];
  documents: CohereDocument[];
}

const TEXT_MEDIA = /^(text\/|application\/(json|xml|yaml|x-yaml|markdown)$)/;

function withOptions(target: Json, options: Record<string, Record<string, unknown>> | undefined): Json {
  const own = options?.cohere;
  return own === undefined ? target : { ...target, ...own };
}

/**
 * A text document given as a file part becomes a Cohere document (cited by the model). Other
 * files (PDF, audio, video) cannot be sent to Cohere.
 */
function fileDocument(part: FilePart, index: number, warnings: Warning[]): CohereDocument | undefined {
  const mediaType = part.mediaType ?? (part.source.kind === 'base64' ? part.source.mediaType : undefined);
  if (part.source.kind !== 'base64' || mediaType === undefined || !TEXT_MEDIA.test(mediaType)) {
    warnings.push({
      code: 'unsupported-content',
      message: `Cohere takes documents as text only; a ${mediaType ?? part.source.kind} file part was not sent`,
    });
    return undefined;
  }
  const data: Record<string, string> = { text: Buffer.from(part.source.data, 'base64').toString('utf8') };
  const title = part.title ?? part.filename;
  if (title !== undefined) data.title = title;
  return { id: `doc:${index}`, data };
}

function userContent(parts: UserContentPart[], documents: CohereDocument[], warnings: Warning[]): string | Json[] {
  const only = parts[0];
  if (parts.length === 1 && only?.type === 'text' && only.providerOptions === undefined) return only.text;
  const out: Json[] = [];
  for (const part of parts) {
    switch (part.type) {
      case 'text':
        out.push(withOptions({ type: 'text', text: part.text }, part.providerOptions));
        break;
      case 'image': {
        if (part.source.kind === 'file-id') {
          warnings.push({ code: 'unsupported-content', message: 'Cohere does not take images by file id; the image was not sent' });
          break;
        }
        const url = part.source.kind === 'url' ? part.source.url : toDataUrl(part.source.mediaType, part.source.data);
        const imageUrl: Json = { url };
        if (part.detail !== undefined) imageUrl.detail = part.detail;
        out.push(withOptions({ type: 'image_url', image_url: imageUrl }, part.providerOptions));
        break;
      }
      case 'audio':
        warnings.push({ code: 'unsupported-content', message: 'Cohere does not take audio input; the audio part was not sent' });
        break;
      case 'file': {
        // A document block from a Cohere client goes back as it came.
        const own = part.providerOptions?.cohere?.document;
        if (own !== undefined) {
          out.push({ type: 'document', document: own });
          break;
        }
        const document = fileDocument(part, documents.length, warnings);
        if (document !== undefined) documents.push(document);
        break;
      }
    }
  }
  return out;
}

/**
 * Assistant turn. Text that comes with tool calls is Cohere's `tool_plan` (the prose Cohere
 * itself writes before calling tools); reasoning goes back as `thinking` content.
 */
function assistantMessage(message: AssistantMessage, warnings: Warning[]): Json {
  const out: Json = { role: 'assistant' };
  const content: Json[] = [];
  const toolCalls: Json[] = [];
  let text = '';
  for (const part of message.content) {
    switch (part.type) {
      case 'text':
        text += part.text;
        break;
      case 'reasoning':
        if (part.redactedData !== undefined) {
          warnings.push({ code: 'lossy-conversion', message: 'encrypted reasoning from another provider cannot be sent to Cohere and was left out' });
        } else if (part.text !== '') {
          content.push({ type: 'thinking', thinking: part.text });
        }
        break;
      case 'tool-call':
        toolCalls.push(
          withOptions({ id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments } }, part.providerOptions),
        );
        break;
      case 'refusal':
        text += part.text;
        break;
      default:
        warnings.push({ code: 'unsupported-content', message: `assistant ${part.type} content cannot be sent to Cohere and was left out` });
    }
  }
  if (toolCalls.length > 0) {
    if (text !== '') out.tool_plan = text;
    out.tool_calls = toolCalls;
    if (content.length > 0) out.content = content;
  } else {
    if (text !== '') content.push({ type: 'text', text });
    out.content = content.length === 1 && content[0]!.type === 'text' ? text : content;
  }
  return withOptions(out, message.providerOptions);
}

function toolResultContent(part: ToolResultPart, warnings: Warning[]): string | Json[] {
  if (typeof part.content === 'string') return part.content;
  const out: Json[] = [];
  for (const item of part.content) {
    const document = item.providerOptions?.cohere?.document;
    if (item.type === 'text') out.push(document === undefined ? { type: 'text', text: item.text } : { type: 'document', document });
    else warnings.push({ code: 'unsupported-content', message: `Cohere tool results carry text and documents only; a ${item.type} was left out` });
  }
  const only = out[0];
  return out.length === 1 && only?.type === 'text' ? (only.text as string) : out;
}

/** Canonical messages → Cohere v2 `messages`, plus documents found in user file parts. */
export function convertToCohereMessages(messages: Message[], warnings: Warning[]): ConvertedCohereMessages {
  const out: Json[] = [];
  const documents: CohereDocument[] = [];
  let named = false;
  for (const message of messages) {
    if (message.name !== undefined) named = true;
    switch (message.role) {
      case 'system':
        out.push(withOptions({ role: 'system', content: message.content.map((part) => part.text).join('\n') }, message.providerOptions));
        break;
      case 'user':
        out.push(withOptions({ role: 'user', content: userContent(message.content, documents, warnings) }, message.providerOptions));
        break;
      case 'assistant':
        out.push(assistantMessage(message, warnings));
        break;
      case 'tool':
        for (const part of message.content) {
          if (part.isError === true) {
            warnings.push({ code: 'lossy-conversion', message: `Cohere has no error flag on tool results; the result of ${part.toolCallId} was sent as ordinary content` });
          }
          out.push(withOptions({ role: 'tool', tool_call_id: part.toolCallId, content: toolResultContent(part, warnings) }, message.providerOptions ?? part.providerOptions));
        }
        break;
    }
  }
  if (named) warnings.push({ code: 'unsupported-parameter', param: 'name', message: 'Cohere messages have no participant name; names were not sent' });
  return { messages: out, documents };
}
