import type {
  AssistantContentPart,
  CacheControl,
  Citation,
  FilePart,
  ImagePart,
  ProviderOptions,
  TextPart,
  ToolResultPart,
} from '../../core/index.js';
import { invalidRequest } from '../../core/index.js';
import { optString, readArray, readObject, readString, requireField, unknownFields } from '../../json/request-reader.js';
import { convertAnthropicCitation } from '../../providers/anthropic/convert-anthropic-citation.js';
import { opaqueBlockPart } from '../../providers/anthropic/opaque-block.js';

type Json = Record<string, unknown>;

/** Read a cache_control object ({type: "ephemeral", ttl?}). */
export function decodeCacheControl(value: unknown, path: string): CacheControl | undefined {
  if (value === undefined || value === null) return undefined;
  const control = readObject(value, path);
  const ttl = optString(control.ttl, `${path}.ttl`);
  return ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl };
}

/** The part's base: cache_control and every field not otherwise read (kept for Anthropic). */
function base(block: Json, path: string, known: ReadonlySet<string>): { cacheControl?: CacheControl; providerOptions?: ProviderOptions } {
  const out: { cacheControl?: CacheControl; providerOptions?: ProviderOptions } = {};
  const control = decodeCacheControl(block.cache_control, `${path}.cache_control`);
  if (control !== undefined) out.cacheControl = control;
  const extra = unknownFields(block, known);
  if (extra !== undefined) out.providerOptions = { anthropic: extra };
  return out;
}

const TEXT_FIELDS = new Set(['type', 'text', 'cache_control', 'citations']);
const IMAGE_FIELDS = new Set(['type', 'source', 'cache_control']);
const DOCUMENT_FIELDS = new Set(['type', 'source', 'cache_control', 'title']);
const TOOL_RESULT_FIELDS = new Set(['type', 'tool_use_id', 'content', 'is_error', 'cache_control']);
const TOOL_USE_FIELDS = new Set(['type', 'id', 'name', 'input', 'cache_control']);
const THINKING_FIELDS = new Set(['type', 'thinking', 'signature', 'cache_control']);

export function decodeTextBlock(block: Json, path: string, assistant: boolean): TextPart {
  const part: TextPart = { type: 'text', text: readString(requireField(block, 'text', `${path}.text`), `${path}.text`), ...base(block, path, TEXT_FIELDS) };
  if (Array.isArray(block.citations) && block.citations.length > 0) {
    if (assistant) {
      part.citations = block.citations.map(convertAnthropicCitation).filter((citation): citation is Citation => citation !== undefined);
    } else {
      // Citations on user text are request options; keep them as sent.
      part.providerOptions = { anthropic: { ...part.providerOptions?.anthropic, citations: block.citations } };
    }
  }
  return part;
}

export function decodeImageBlock(block: Json, path: string): ImagePart {
  const source = readObject(requireField(block, 'source', `${path}.source`), `${path}.source`);
  const kind = readString(requireField(source, 'type', `${path}.source.type`), `${path}.source.type`);
  const rest = base(block, path, IMAGE_FIELDS);
  switch (kind) {
    case 'base64':
      return {
        type: 'image',
        source: {
          kind: 'base64',
          mediaType: readString(requireField(source, 'media_type', `${path}.source.media_type`), `${path}.source.media_type`),
          data: readString(requireField(source, 'data', `${path}.source.data`), `${path}.source.data`),
        },
        ...rest,
      };
    case 'url':
      return { type: 'image', source: { kind: 'url', url: readString(requireField(source, 'url', `${path}.source.url`), `${path}.source.url`) }, ...rest };
    case 'file':
      return { type: 'image', source: { kind: 'file-id', id: readString(requireField(source, 'file_id', `${path}.source.file_id`), `${path}.source.file_id`) }, ...rest };
    default:
      throw invalidRequest(`${path}.source.type: Input should be 'base64', 'url' or 'file'`, `${path}.source.type`);
  }
}

/**
 * A document block → a file part: base64 PDFs, URL PDFs, plain text (kept as base64 text/plain)
 * and file ids. Content-block sources have no canonical form and stay verbatim.
 */
export function decodeDocumentBlock(block: Json, path: string): FilePart | TextPart {
  const source = readObject(requireField(block, 'source', `${path}.source`), `${path}.source`);
  const kind = readString(requireField(source, 'type', `${path}.source.type`), `${path}.source.type`);
  const rest = base(block, path, DOCUMENT_FIELDS);
  const title = optString(block.title, `${path}.title`);
  const titled = title === undefined ? {} : { title };
  switch (kind) {
    case 'base64': {
      const mediaType = readString(requireField(source, 'media_type', `${path}.source.media_type`), `${path}.source.media_type`);
      const data = readString(requireField(source, 'data', `${path}.source.data`), `${path}.source.data`);
      return { type: 'file', source: { kind: 'base64', mediaType, data }, mediaType, ...titled, ...rest };
    }
    case 'text': {
      const data = readString(requireField(source, 'data', `${path}.source.data`), `${path}.source.data`);
      return { type: 'file', source: { kind: 'base64', mediaType: 'text/plain', data: Buffer.from(data, 'utf8').toString('base64') }, mediaType: 'text/plain', ...titled, ...rest };
    }
    case 'url':
      return {
        type: 'file',
        source: { kind: 'url', url: readString(requireField(source, 'url', `${path}.source.url`), `${path}.source.url`) },
        mediaType: 'application/pdf',
        ...titled,
        ...rest,
      };
    case 'file':
      return { type: 'file', source: { kind: 'file-id', id: readString(requireField(source, 'file_id', `${path}.source.file_id`), `${path}.source.file_id`) }, ...titled, ...rest };
    default:
      return opaqueBlockPart(block);
  }
}

/** A tool_result block (its content may be text, images, documents or other blocks). */
export function decodeToolResultBlock(block: Json, path: string): ToolResultPart {
  const part: ToolResultPart = {
    type: 'tool-result',
    toolCallId: readString(requireField(block, 'tool_use_id', `${path}.tool_use_id`), `${path}.tool_use_id`),
    content: '',
    ...base(block, path, TOOL_RESULT_FIELDS),
  };
  const content = block.content;
  if (typeof content === 'string') part.content = content;
  else if (content !== undefined && content !== null) {
    part.content = readArray(content, `${path}.content`).map((item, index) => {
      const itemPath = `${path}.content.${index}`;
      const inner = readObject(item, itemPath);
      switch (inner.type) {
        case 'text':
          return decodeTextBlock(inner, itemPath, false);
        case 'image':
          return decodeImageBlock(inner, itemPath);
        case 'document':
          return decodeDocumentBlock(inner, itemPath);
        default:
          return opaqueBlockPart(inner);
      }
    });
  }
  if (typeof block.is_error === 'boolean') part.isError = block.is_error;
  return part;
}

/** An assistant content block → a canonical part (server tool blocks stay verbatim). */
export function decodeAssistantBlock(block: Json, path: string): AssistantContentPart {
  switch (block.type) {
    case 'text':
      return decodeTextBlock(block, path, true);
    case 'thinking': {
      const signature = optString(block.signature, `${path}.signature`);
      return {
        type: 'reasoning',
        text: readString(requireField(block, 'thinking', `${path}.thinking`), `${path}.thinking`),
        ...(signature === undefined ? {} : { signature }),
        ...base(block, path, THINKING_FIELDS),
      };
    }
    case 'redacted_thinking':
      return { type: 'reasoning', text: '', redactedData: readString(requireField(block, 'data', `${path}.data`), `${path}.data`) };
    case 'tool_use':
      return {
        type: 'tool-call',
        id: readString(requireField(block, 'id', `${path}.id`), `${path}.id`),
        name: readString(requireField(block, 'name', `${path}.name`), `${path}.name`),
        arguments: JSON.stringify(block.input ?? {}),
        ...base(block, path, TOOL_USE_FIELDS),
      };
    default:
      return opaqueBlockPart(block);
  }
}
