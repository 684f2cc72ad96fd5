import type {
  AudioPart,
  CacheControl,
  FilePart,
  ImagePart,
  ProviderOptions,
  TextPart,
  ToolResultPart,
  Warning,
} from '../../core/index.js';
import { isAnthropicCitation } from './convert-anthropic-citation.js';
import { opaqueBlockOf } from './opaque-block.js';

type Json = Record<string, unknown>;

export const FILES_API_BETA = 'files-api-2025-04-14';

/** What the content conversion needs to know and what it found out. */
export interface ContentConversion {
  warnings: Warning[];
  /** Beta features the converted content needs (the Files API for file ids). */
  betas: Set<string>;
  /** The upstream fetches document URLs itself (Claude on Vertex does not). */
  documentUrls: boolean;
  providerName: string;
}

export function cacheControl(value: CacheControl): Json {
  return value.ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: value.ttl };
}

/** Add cache_control and the part's own Anthropic fields (citations, context, ...) to a block. */
export function finishBlock(block: Json, part: { cacheControl?: CacheControl; providerOptions?: ProviderOptions }): Json {
  if (part.cacheControl !== undefined) block.cache_control = cacheControl(part.cacheControl);
  const own = part.providerOptions?.anthropic;
  if (own !== undefined) {
    for (const key in own) if (key !== 'block') block[key] = own[key];
  }
  return block;
}

/** A text part → a text block; empty text is not sent (Anthropic rejects empty text blocks). */
export function textBlock(part: TextPart, assistant: boolean): Json | undefined {
  const opaque = opaqueBlockOf(part);
  if (opaque !== undefined) return opaque;
  if (part.text === '') return undefined;
  const block: Json = { type: 'text', text: part.text };
  // Only Anthropic's own citations can go back (web results carry an encrypted index).
  if (assistant && part.citations !== undefined && part.citations.length > 0 && part.citations.every(isAnthropicCitation)) {
    block.citations = part.citations.map((citation) => citation.raw);
  }
  return finishBlock(block, part);
}

export function imageBlock(part: ImagePart, state: ContentConversion): Json {
  const source = part.source;
  if (part.detail !== undefined && part.detail !== 'auto') {
    state.warnings.push({ code: 'unsupported-parameter', param: 'image_url.detail', message: `Anthropic takes no image detail level; "${part.detail}" was not sent` });
  }
  if (source.kind === 'file-id') {
    state.betas.add(FILES_API_BETA);
    return finishBlock({ type: 'image', source: { type: 'file', file_id: source.id } }, part);
  }
  if (source.kind === 'url') return finishBlock({ type: 'image', source: { type: 'url', url: source.url } }, part);
  return finishBlock({ type: 'image', source: { type: 'base64', media_type: source.mediaType, data: source.data } }, part);
}

/**
 * A file part → a document block: PDFs as base64, URL or file id; plain text decoded into a
 * text source; images given as files become image blocks. Other types cannot be sent.
 */
export function fileBlock(part: FilePart, state: ContentConversion): Json | undefined {
  const source = part.source;
  const mediaType = part.mediaType ?? (source.kind === 'base64' ? source.mediaType : undefined);
  if (mediaType?.startsWith('image/')) return imageBlock({ type: 'image', source, ...(part.cacheControl ? { cacheControl: part.cacheControl } : {}) }, state);
  let documentSource: Json;
  if (source.kind === 'file-id') {
    state.betas.add(FILES_API_BETA);
    documentSource = { type: 'file', file_id: source.id };
  } else if (source.kind === 'url') {
    if (!state.documentUrls) {
      state.warnings.push({
        code: 'unsupported-content',
        message: `${state.providerName} does not fetch documents from URLs; the document ${source.url} was not sent (send it as base64)`,
      });
      return undefined;
    }
    documentSource = { type: 'url', url: source.url };
  } else if (source.mediaType === 'application/pdf') {
    documentSource = { type: 'base64', media_type: 'application/pdf', data: source.data };
  } else if (source.mediaType.startsWith('text/')) {
    documentSource = { type: 'text', media_type: 'text/plain', data: Buffer.from(source.data, 'base64').toString('utf8') };
  } else {
    state.warnings.push({
      code: 'unsupported-content',
      message: `Anthropic takes PDF, plain-text and image documents; a ${source.mediaType} file was not sent`,
    });
    return undefined;
  }
  const block: Json = { type: 'document', source: documentSource };
  if (part.title !== undefined) block.title = part.title;
  else if (part.filename !== undefined) block.title = part.filename;
  return finishBlock(block, part);
}

export function audioUnsupported(_part: AudioPart, state: ContentConversion): undefined {
  state.warnings.push({ code: 'unsupported-content', message: `${state.providerName} takes no audio input; the audio part was not sent` });
  return undefined;
}

/** A tool result → a tool_result block (text, images and documents inside). */
export function toolResultBlock(part: ToolResultPart, state: ContentConversion): Json {
  const block: Json = { type: 'tool_result', tool_use_id: part.toolCallId };
  if (typeof part.content === 'string') {
    block.content = part.content;
  } else {
    const content: Json[] = [];
    for (const item of part.content) {
      const converted =
        item.type === 'text' ? textBlock(item, false) : item.type === 'image' ? imageBlock(item, state) : fileBlock(item, state);
      if (converted !== undefined) content.push(converted);
    }
    block.content = content;
  }
  if (part.isError !== undefined) block.is_error = part.isError;
  return finishBlock(block, part);
}
