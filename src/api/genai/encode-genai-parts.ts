import type { AssistantContentPart, Citation } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import { decodeToolCallId } from '../../providers/gemini/thought-signature-tool-call-id.js';

type Json = Record<string, unknown>;

/** Tool call arguments (JSON text) → the object Gemini carries; anything else under "value". */
export function argumentsObject(text: string): Json {
  if (text.trim() === '') return {};
  const parsed = tryParseJson(text);
  return isRecord(parsed) ? parsed : { value: parsed ?? text };
}

/** A canonical tool call → Gemini functionCall part; the signature comes from metadata or the id. */
export function functionCallPart(id: string, name: string, args: string, metadata: Record<string, Record<string, unknown>> | undefined): Json {
  const decoded = decodeToolCallId(id);
  const signature = (metadata?.gemini?.thoughtSignature as string | undefined) ?? decoded.signature;
  const part: Json = { functionCall: { id: decoded.baseId, name, args: argumentsObject(args) } };
  if (signature !== undefined) part.thoughtSignature = signature;
  return part;
}

/** Canonical citations → Gemini citationMetadata.citationSources. */
export function citationSources(citations: Citation[]): Json[] {
  return citations.map((citation) => {
    const raw = citation.raw;
    if (isRecord(raw) && (raw.uri !== undefined || raw.startIndex !== undefined)) return raw;
    const source: Json = {};
    if (citation.startIndex !== undefined) source.startIndex = citation.startIndex;
    if (citation.endIndex !== undefined) source.endIndex = citation.endIndex;
    if (citation.url !== undefined) source.uri = citation.url;
    if (citation.title !== undefined) source.title = citation.title;
    return source;
  });
}

/**
 * Canonical assistant content → Gemini parts. Reasoning becomes thought parts; an empty
 * reasoning part that only carries a signature gives it to the next part (where Gemini had
 * it); tool calls become functionCall parts with their signature; parts Gemini sent that have
 * no canonical form (providerMetadata.gemini.otherParts) go back to their positions.
 */
export function encodeGenAiParts(content: AssistantContentPart[], otherParts: unknown): Json[] {
  const out: Json[] = [];
  let pending: string | undefined;
  const push = (part: Json, signature?: string): void => {
    if (pending !== undefined) {
      if (signature === undefined) signature = pending;
      else out.push({ text: '', thoughtSignature: pending });
      pending = undefined;
    }
    out.push(signature === undefined ? part : { ...part, thoughtSignature: signature });
  };
  for (const part of content) {
    switch (part.type) {
      case 'text':
      case 'refusal':
        push({ text: part.text });
        break;
      case 'reasoning':
        if (part.redactedData !== undefined) break;
        if (part.text === '' && part.providerMetadata?.gemini?.thought !== true) {
          if (part.signature === undefined) break;
          if (pending !== undefined) out.push({ text: '', thoughtSignature: pending });
          pending = part.signature;
          break;
        }
        push({ text: part.text, thought: true }, part.signature);
        break;
      case 'tool-call':
        push(functionCallPart(part.id, part.name, part.arguments, part.providerMetadata));
        break;
      case 'image':
      case 'audio':
        if (part.source.kind === 'base64') push({ inlineData: { mimeType: part.source.mediaType, data: part.source.data } });
        else if (part.source.kind === 'url') push({ fileData: { fileUri: part.source.url } });
        break;
    }
  }
  if (pending !== undefined) out.push({ text: '', thoughtSignature: pending });
  if (Array.isArray(otherParts)) {
    for (const item of otherParts) {
      if (!isRecord(item)) continue;
      // {position, part} from complete answers; bare parts from streams (appended).
      const placed = typeof item.position === 'number' && isRecord(item.part);
      const position = placed ? Math.min(item.position as number, out.length) : out.length;
      out.splice(position, 0, placed ? (item.part as Json) : item);
    }
  }
  return out;
}
