import type { AssistantContentPart, DataSource, FilePart, ImagePart, Message, TextPart, ToolResultPart, UserContentPart } from '../../core/index.js';
import { invalidRequest } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import { optString, readArray, readObject, readString, requireField } from '../../json/request-reader.js';
import { mediaTypeFor } from '../../providers/bedrock/bedrock-media-formats.js';

type Json = Record<string, unknown>;
type Kind = 'image' | 'document' | 'video' | 'audio';

/** A Converse `source` (bytes as base64, s3Location, or document text) → a canonical data source. */
function decodeSource(kind: Kind, format: string, value: unknown, path: string): DataSource {
  const source = readObject(value, path);
  if (typeof source.bytes === 'string') return { kind: 'base64', mediaType: mediaTypeFor(kind, format), data: source.bytes };
  if (isRecord(source.s3Location)) return { kind: 'url', url: readString(requireField(source.s3Location, 'uri', `${path}.s3Location.uri`), `${path}.s3Location.uri`) };
  if (typeof source.text === 'string') return { kind: 'base64', mediaType: 'text/plain', data: Buffer.from(source.text, 'utf8').toString('base64') };
  throw invalidRequest(`'${path}' needs bytes (base64) or s3Location.`, path);
}

function decodeMedia(kind: Kind, value: unknown, path: string): ImagePart | FilePart | UserContentPart {
  const block = readObject(value, path);
  const format = readString(requireField(block, 'format', `${path}.format`), `${path}.format`);
  const source = decodeSource(kind, format, requireField(block, 'source', `${path}.source`), `${path}.source`);
  if (kind === 'image') return { type: 'image', source };
  if (kind === 'audio') return { type: 'audio', source, format };
  const part: FilePart = { type: 'file', source, mediaType: source.kind === 'base64' ? source.mediaType : mediaTypeFor(kind, format) };
  if (kind === 'document') {
    const name = optString(block.name, `${path}.name`);
    if (name !== undefined) part.filename = name;
    const extra: Json = {};
    if (block.citations !== undefined) extra.citations = block.citations;
    if (block.context !== undefined) extra.context = block.context;
    if (Object.keys(extra).length > 0) part.providerOptions = { bedrock: extra };
  }
  return part;
}

/** Attach a `cachePoint` block to the part before it. */
function applyCachePoint(parts: Array<{ cacheControl?: unknown }>, block: Json, path: string): void {
  const previous = parts[parts.length - 1];
  if (previous === undefined) throw invalidRequest(`'${path}' must follow the content it caches.`, path);
  const point = isRecord(block.cachePoint) ? block.cachePoint : {};
  previous.cacheControl = typeof point.ttl === 'string' ? { type: 'ephemeral', ttl: point.ttl } : { type: 'ephemeral' };
}

function decodeToolResult(value: unknown, path: string): ToolResultPart {
  const block = readObject(value, path);
  const toolCallId = readString(requireField(block, 'toolUseId', `${path}.toolUseId`), `${path}.toolUseId`);
  const items: Array<TextPart | ImagePart | FilePart> = [];
  readArray(requireField(block, 'content', `${path}.content`), `${path}.content`).forEach((item, index) => {
    const itemPath = `${path}.content[${index}]`;
    const content = readObject(item, itemPath);
    if (typeof content.text === 'string') items.push({ type: 'text', text: content.text });
    // JSON results read as their text elsewhere, and go back to Bedrock as json blocks.
    else if (content.json !== undefined) items.push({ type: 'text', text: JSON.stringify(content.json), providerOptions: { bedrock: { json: content.json } } });
    else if (content.image !== undefined) items.push(decodeMedia('image', content.image, `${itemPath}.image`) as ImagePart);
    else if (content.document !== undefined) items.push(decodeMedia('document', content.document, `${itemPath}.document`) as FilePart);
    else if (content.video !== undefined) items.push(decodeMedia('video', content.video, `${itemPath}.video`) as FilePart);
    else throw invalidRequest(`'${itemPath}' is not a tool result content block this gateway knows.`, itemPath);
  });
  const part: ToolResultPart = {
    type: 'tool-result',
    toolCallId,
    content: items.length === 1 && items[0]!.type === 'text' && items[0]!.providerOptions === undefined ? items[0]!.text : items,
  };
  if (block.status === 'error') part.isError = true;
  return part;
}

/**
 * One Converse message → canonical messages. A user turn holding toolResult blocks becomes a
 * tool message (results) followed by a user message (the rest), in their order.
 */
export function decodeConverseMessage(value: unknown, path: string): Message[] {
  const message = readObject(value, path);
  const role = readString(requireField(message, 'role', `${path}.role`), `${path}.role`);
  if (role !== 'user' && role !== 'assistant') throw invalidRequest(`Invalid value for '${path}.role': expected 'user' or 'assistant'.`, `${path}.role`);
  const blocks = readArray(requireField(message, 'content', `${path}.content`), `${path}.content`);
  const out: Message[] = [];
  let parts: Array<UserContentPart | AssistantContentPart> = [];
  let results: ToolResultPart[] = [];
  const flushParts = (): void => {
    if (parts.length === 0) return;
    out.push(role === 'user' ? { role: 'user', content: parts as UserContentPart[] } : { role: 'assistant', content: parts as AssistantContentPart[] });
    parts = [];
  };
  const flushResults = (): void => {
    if (results.length === 0) return;
    out.push({ role: 'tool', content: results });
    results = [];
  };
  blocks.forEach((item, index) => {
    const blockPath = `${path}.content[${index}]`;
    const block = readObject(item, blockPath);
    if (block.cachePoint !== undefined) {
      applyCachePoint(results.length > 0 && parts.length === 0 ? results : parts, block, blockPath);
      return;
    }
    if (block.toolResult !== undefined) {
      if (role !== 'user') throw invalidRequest(`'${blockPath}': toolResult blocks belong to user turns.`, blockPath);
      flushParts();
      results.push(decodeToolResult(block.toolResult, `${blockPath}.toolResult`));
      return;
    }
    flushResults();
    parts.push(decodeBlock(block, blockPath, role));
  });
  flushResults();
  flushParts();
  return out;
}

function decodeBlock(block: Json, path: string, role: 'user' | 'assistant'): UserContentPart | AssistantContentPart {
  if (typeof block.text === 'string') return { type: 'text', text: block.text };
  if (block.image !== undefined) return decodeMedia('image', block.image, `${path}.image`);
  if (block.document !== undefined) return decodeMedia('document', block.document, `${path}.document`);
  if (block.video !== undefined) return decodeMedia('video', block.video, `${path}.video`);
  if (block.audio !== undefined) return decodeMedia('audio', block.audio, `${path}.audio`);
  if (block.toolUse !== undefined) {
    if (role !== 'assistant') throw invalidRequest(`'${path}': toolUse blocks belong to assistant turns.`, path);
    const call = readObject(block.toolUse, `${path}.toolUse`);
    return {
      type: 'tool-call',
      id: readString(requireField(call, 'toolUseId', `${path}.toolUse.toolUseId`), `${path}.toolUse.toolUseId`),
      name: readString(requireField(call, 'name', `${path}.toolUse.name`), `${path}.toolUse.name`),
      arguments: JSON.stringify(call.input ?? {}),
    };
  }
  if (block.reasoningContent !== undefined) {
    const reasoning = readObject(block.reasoningContent, `${path}.reasoningContent`);
    if (typeof reasoning.redactedContent === 'string') return { type: 'reasoning', text: '', redactedData: reasoning.redactedContent };
    const text = readObject(requireField(reasoning, 'reasoningText', `${path}.reasoningContent.reasoningText`), `${path}.reasoningContent.reasoningText`);
    const part: AssistantContentPart = { type: 'reasoning', text: readString(requireField(text, 'text', `${path}.reasoningContent.reasoningText.text`), `${path}.reasoningContent.reasoningText.text`) };
    const signature = optString(text.signature, `${path}.reasoningContent.reasoningText.signature`);
    if (signature !== undefined) part.signature = signature;
    return part;
  }
  if (block.citationsContent !== undefined) {
    const citations = readObject(block.citationsContent, `${path}.citationsContent`);
    const content = Array.isArray(citations.content) ? citations.content.filter(isRecord) : [];
    return { type: 'text', text: content.map((item) => (typeof item.text === 'string' ? item.text : '')).join('') };
  }
  if (block.guardContent !== undefined) {
    const guard = readObject(block.guardContent, `${path}.guardContent`);
    const text = isRecord(guard.text) && typeof guard.text.text === 'string' ? guard.text.text : '';
    return { type: 'text', text, providerOptions: { bedrock: { guardContent: guard } } };
  }
  throw invalidRequest(`'${path}' is not a content block this gateway knows (${Object.keys(block).join(', ')}).`, path);
}

/** Converse `system` blocks → system messages (text, cache points, guard content). */
export function decodeConverseSystem(value: unknown): Message[] {
  const parts: TextPart[] = [];
  readArray(value, 'system').forEach((item, index) => {
    const path = `system[${index}]`;
    const block = readObject(item, path);
    if (block.cachePoint !== undefined) applyCachePoint(parts, block, path);
    else if (typeof block.text === 'string') parts.push({ type: 'text', text: block.text });
    else if (block.guardContent !== undefined) {
      const guard = readObject(block.guardContent, `${path}.guardContent`);
      const text = isRecord(guard.text) && typeof guard.text.text === 'string' ? guard.text.text : '';
      parts.push({ type: 'text', text, providerOptions: { bedrock: { guardContent: guard } } });
    } else throw invalidRequest(`'${path}' is not a system block this gateway knows.`, path);
  });
  return parts.length === 0 ? [] : [{ role: 'system', content: parts }];
}
