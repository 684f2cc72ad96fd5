import type {
  AssistantContentPart,
  FilePart,
  ImagePart,
  AudioPart,
  Message,
  SystemContentPart,
  ToolResultPart,
  UserContentPart,
} from '../../core/index.js';
import { invalidRequest } from '../../core/index.js';
import { optString, readArray, readObject, readString } from '../../json/request-reader.js';
import { mimeTypeFromUrl } from '../../providers/gemini/convert-media-part-to-gemini.js';
import { functionResponseContent } from './function-response-content.js';
import { camelFields, objectField } from './read-gemini-fields.js';

type Json = Record<string, unknown>;

const MEDIA_FIELDS = new Set(['inlineData', 'fileData', 'thoughtSignature']);

/** Fields of a part besides the one that carries its data (e.g. videoMetadata, mediaResolution). */
function partOptions(part: Json, known: string): { providerOptions?: { gemini: Json } } {
  let extra: Json | undefined;
  for (const [key, value] of Object.entries(part)) {
    if (key !== known && !MEDIA_FIELDS.has(key) && key !== 'text' && key !== 'thought') (extra ??= {})[key] = value;
  }
  return extra === undefined ? {} : { providerOptions: { gemini: extra } };
}

function mediaPart(part: Json, path: string): ImagePart | AudioPart | FilePart | undefined {
  const inline = objectField(part.inlineData);
  if (inline !== undefined) {
    const mediaType = readString(inline.mimeType, `${path}.inlineData.mimeType`);
    const data = readString(inline.data, `${path}.inlineData.data`);
    const source = { kind: 'base64' as const, mediaType, data };
    const options = partOptions(part, 'inlineData');
    if (mediaType.startsWith('image/')) return { type: 'image', source, ...options };
    if (mediaType.startsWith('audio/')) return { type: 'audio', source, ...options };
    return { type: 'file', source, mediaType, ...options };
  }
  const file = objectField(part.fileData);
  if (file !== undefined) {
    const url = readString(file.fileUri, `${path}.fileData.fileUri`);
    const declared = optString(file.mimeType, `${path}.fileData.mimeType`);
    const mediaType = declared ?? mimeTypeFromUrl(url);
    const source = { kind: 'url' as const, url };
    const options = partOptions(part, 'fileData');
    if (mediaType?.startsWith('image/')) return { type: 'image', source, ...options };
    if (mediaType?.startsWith('audio/')) return { type: 'audio', source, ...options };
    return { type: 'file', source, ...(mediaType === undefined ? {} : { mediaType }), ...options };
  }
  return undefined;
}

function unsupportedPart(part: Json, path: string): never {
  const kind = Object.keys(part).find((key) => key !== 'thoughtSignature' && key !== 'thought') ?? 'empty';
  throw invalidRequest(
    `'${path}' is a ${kind} part, which the gateway can only forward to a Gemini provider unchanged (and this request is being converted).`,
    path,
  );
}

interface PendingCall {
  id: string;
  name: string;
}

/** Turns GenAI `contents` into canonical messages, tracking calls so unnamed results find their ids. */
class ContentsDecoder {
  readonly messages: Message[] = [];
  private pending: PendingCall[] = [];

  user(parts: Json[], path: string): void {
    let user: UserContentPart[] = [];
    let results: ToolResultPart[] = [];
    const flushUser = (): void => {
      if (user.length > 0) this.messages.push({ role: 'user', content: user });
      user = [];
    };
    const flushResults = (): void => {
      if (results.length > 0) this.messages.push({ role: 'tool', content: results });
      results = [];
    };
    parts.forEach((part, index) => {
      const partPath = `${path}.parts[${index}]`;
      const response = objectField(part.functionResponse);
      if (response !== undefined) {
        flushUser();
        results.push(this.result(response, partPath));
        return;
      }
      flushResults();
      if (typeof part.text === 'string') {
        user.push({ type: 'text', text: part.text, ...partOptions(part, 'text') });
        return;
      }
      const media = mediaPart(part, partPath);
      if (media === undefined) unsupportedPart(part, partPath);
      user.push(media);
    });
    flushResults();
    flushUser();
  }

  model(parts: Json[], path: string, contentIndex: number): void {
    const content: AssistantContentPart[] = [];
    parts.forEach((part, index) => {
      const partPath = `${path}.parts[${index}]`;
      const signature = typeof part.thoughtSignature === 'string' && part.thoughtSignature !== '' ? part.thoughtSignature : undefined;
      if (typeof part.text === 'string') {
        if (part.thought === true) {
          content.push({
            type: 'reasoning',
            text: part.text,
            ...(signature === undefined ? {} : { signature }),
            ...(part.text === '' ? { providerMetadata: { gemini: { thought: true } } } : {}),
          });
          return;
        }
        if (signature !== undefined) content.push({ type: 'reasoning', text: '', signature });
        if (part.text !== '') content.push({ type: 'text', text: part.text, ...partOptions(part, 'text') });
        return;
      }
      const call = objectField(part.functionCall);
      if (call !== undefined) {
        const name = readString(call.name, `${partPath}.functionCall.name`);
        const id = optString(call.id, `${partPath}.functionCall.id`) ?? `genai_call_${contentIndex}_${index}`;
        const args = call.args === undefined || call.args === null ? {} : readObject(call.args, `${partPath}.functionCall.args`);
        this.pending.push({ id, name });
        content.push({
          type: 'tool-call',
          id,
          name,
          arguments: JSON.stringify(args),
          ...(signature === undefined ? {} : { providerMetadata: { gemini: { thoughtSignature: signature } } }),
        });
        return;
      }
      const media = mediaPart(part, partPath);
      if (media === undefined || media.type === 'file') unsupportedPart(part, partPath);
      if (signature !== undefined) content.push({ type: 'reasoning', text: '', signature });
      content.push(media);
    });
    this.messages.push({ role: 'assistant', content });
  }

  /** A functionResponse answers the call with its id, else the oldest unanswered call of that name. */
  private result(response: Json, path: string): ToolResultPart {
    const name = readString(response.name, `${path}.functionResponse.name`);
    const id = optString(response.id, `${path}.functionResponse.id`);
    const match = id === undefined ? this.pending.findIndex((call) => call.name === name) : this.pending.findIndex((call) => call.id === id);
    const toolCallId = id ?? (match >= 0 ? this.pending[match]!.id : `genai_result_${name}`);
    if (match >= 0) this.pending.splice(match, 1);
    const body = response.response === undefined ? {} : readObject(response.response, `${path}.functionResponse.response`);
    const media: Array<ImagePart | FilePart> = [];
    if (response.parts !== undefined) {
      readArray(response.parts, `${path}.functionResponse.parts`).forEach((item, index) => {
        const part = mediaPart(camelFields(readObject(item, `${path}.functionResponse.parts[${index}]`)), `${path}.functionResponse.parts[${index}]`);
        if (part === undefined || part.type === 'audio') unsupportedPart(readObject(item, path), `${path}.functionResponse.parts[${index}]`);
        media.push(part);
      });
    }
    const { text, isError } = functionResponseContent(body);
    return { type: 'tool-result', toolCallId, name, content: media.length === 0 ? text : [{ type: 'text', text }, ...media], ...(isError ? { isError } : {}) };
  }
}

/** `systemInstruction`: a Content, or (as some clients send) a plain string. */
export function decodeSystemInstruction(value: unknown): Message | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return { role: 'system', content: [{ type: 'text', text: value }] };
  const content = camelFields(readObject(value, 'systemInstruction'));
  const parts = readArray(content.parts ?? [], 'systemInstruction.parts');
  const texts: SystemContentPart[] = parts.map((item, index) => {
    const part = camelFields(readObject(item, `systemInstruction.parts[${index}]`));
    return { type: 'text', text: readString(part.text, `systemInstruction.parts[${index}].text`) };
  });
  return texts.length === 0 ? undefined : { role: 'system', content: texts };
}

/**
 * GenAI `contents` → canonical messages. `user` contents become user messages, and their
 * functionResponse parts tool messages (split in order); `model` contents become assistant
 * messages (thought parts → reasoning, function calls → tool calls with the signature in
 * providerMetadata). Function calls without ids get ids from their position, and results
 * without ids are matched to the oldest unanswered call of the same name, as Gemini does.
 */
export function decodeGenAiContents(value: unknown): Message[] {
  const decoder = new ContentsDecoder();
  const list = typeof value === 'string' ? [{ role: 'user', parts: [{ text: value }] }] : readArray(value, 'contents');
  list.forEach((item, index) => {
    const path = `contents[${index}]`;
    const content = camelFields(readObject(item, path));
    const role = optString(content.role, `${path}.role`) ?? 'user';
    const parts = readArray(content.parts ?? [], `${path}.parts`).map((part, partIndex) => camelFields(readObject(part, `${path}.parts[${partIndex}]`)));
    if (role === 'model') decoder.model(parts, path, index);
    else if (role === 'user' || role === 'function' || role === 'tool') decoder.user(parts, path);
    else throw invalidRequest(`Invalid role "${role}" in '${path}.role' (expected "user" or "model").`, `${path}.role`);
  });
  if (decoder.messages.length === 0) throw invalidRequest("'contents' must hold at least one content with parts.", 'contents');
  return decoder.messages;
}
