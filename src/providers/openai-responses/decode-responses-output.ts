import type { AssistantContentPart, ChoiceLogprobs, Citation, TextPart, TokenLogprob } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import { RESPONSES_FAMILY } from './responses-family.js';

type Json = Record<string, unknown>;

/** A built-in tool item (web search, code interpreter, ...) and where it was in `output`. */
export interface BuiltinOutputItem {
  outputIndex: number;
  item: Json;
}

export interface DecodedOutput {
  content: AssistantContentPart[];
  builtinItems: BuiltinOutputItem[];
  calledTools: boolean;
  logprobs?: ChoiceLogprobs;
}

/** output_text annotations → canonical citations (url_citation, file_citation, ...). */
export function convertResponsesAnnotation(annotation: unknown): Citation | undefined {
  if (!isRecord(annotation)) return undefined;
  if (annotation.type === 'url_citation') {
    return {
      type: 'url',
      ...(typeof annotation.url === 'string' ? { url: annotation.url } : {}),
      ...(typeof annotation.title === 'string' ? { title: annotation.title } : {}),
      ...(typeof annotation.start_index === 'number' ? { startIndex: annotation.start_index } : {}),
      ...(typeof annotation.end_index === 'number' ? { endIndex: annotation.end_index } : {}),
      raw: annotation,
    };
  }
  if (annotation.type === 'file_citation') {
    return { type: 'document', ...(typeof annotation.filename === 'string' ? { title: annotation.filename } : {}), raw: annotation };
  }
  return { type: 'other', raw: annotation };
}

function convertTokenLogprob(entry: unknown): TokenLogprob | undefined {
  if (!isRecord(entry) || typeof entry.token !== 'string' || typeof entry.logprob !== 'number') return undefined;
  const out: TokenLogprob = { token: entry.token, logprob: entry.logprob };
  if (Array.isArray(entry.bytes)) out.bytes = entry.bytes as number[];
  if (Array.isArray(entry.top_logprobs)) {
    out.topLogprobs = entry.top_logprobs.filter(isRecord).map((top) => ({
      token: String(top.token),
      logprob: Number(top.logprob),
      ...(Array.isArray(top.bytes) ? { bytes: top.bytes as number[] } : {}),
    }));
  }
  return out;
}

export function convertResponsesLogprobs(logprobs: unknown): TokenLogprob[] | undefined {
  if (!Array.isArray(logprobs) || logprobs.length === 0) return undefined;
  const out: TokenLogprob[] = [];
  for (const entry of logprobs) {
    const converted = convertTokenLogprob(entry);
    if (converted !== undefined) out.push(converted);
  }
  return out.length === 0 ? undefined : out;
}

/** The text of a reasoning item: its summary parts (or raw reasoning_text content), joined. */
export function reasoningItemText(item: Json): string {
  const parts: string[] = [];
  for (const list of [item.summary, item.content]) {
    if (!Array.isArray(list)) continue;
    for (const part of list) if (isRecord(part) && typeof part.text === 'string') parts.push(part.text);
    if (parts.length > 0) break;
  }
  return parts.join('\n\n');
}

function metadata(values: Json): Record<string, Json> {
  return { [RESPONSES_FAMILY]: values };
}

/**
 * Responses `output` items → canonical assistant parts, in order. Message items give text and
 * refusal parts (annotations become citations), reasoning items give reasoning parts (summary
 * text; encrypted_content in redactedData), function and custom tool calls give tool-call parts
 * (the item id kept in providerMetadata). Built-in tool items have no canonical form and are
 * returned apart, with their position, for surfaces of the same dialect.
 */
export function decodeResponsesOutput(output: unknown): DecodedOutput {
  const result: DecodedOutput = { content: [], builtinItems: [], calledTools: false };
  if (!Array.isArray(output)) return result;
  const tokenLogprobs: TokenLogprob[] = [];
  output.forEach((item, outputIndex) => {
    if (!isRecord(item)) return;
    switch (item.type) {
      case 'message': {
        const parts = Array.isArray(item.content) ? item.content : [];
        for (const part of parts) {
          if (!isRecord(part)) continue;
          if (part.type === 'output_text' && typeof part.text === 'string') {
            const text: TextPart = { type: 'text', text: part.text };
            const citations = Array.isArray(part.annotations) ? part.annotations.map(convertResponsesAnnotation).filter((c): c is Citation => c !== undefined) : [];
            if (citations.length > 0) text.citations = citations;
            result.content.push(text);
            const logprobs = convertResponsesLogprobs(part.logprobs);
            if (logprobs !== undefined) tokenLogprobs.push(...logprobs);
          } else if (part.type === 'refusal' && typeof part.refusal === 'string') {
            result.content.push({ type: 'refusal', text: part.refusal });
          }
        }
        break;
      }
      case 'reasoning': {
        const own: Json = {};
        if (typeof item.id === 'string') own.itemId = item.id;
        result.content.push({
          type: 'reasoning',
          text: reasoningItemText(item),
          ...(typeof item.encrypted_content === 'string' ? { redactedData: item.encrypted_content } : {}),
          providerMetadata: metadata(own),
        });
        break;
      }
      case 'function_call':
      case 'custom_tool_call': {
        const custom = item.type === 'custom_tool_call';
        const args = custom ? item.input : item.arguments;
        const own: Json = {};
        if (typeof item.id === 'string') own.itemId = item.id;
        if (custom) own.custom = true;
        result.content.push({
          type: 'tool-call',
          id: typeof item.call_id === 'string' ? item.call_id : typeof item.id === 'string' ? item.id : `call_${outputIndex}`,
          name: typeof item.name === 'string' ? item.name : '',
          arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
          providerMetadata: metadata(own),
        });
        result.calledTools = true;
        break;
      }
      default:
        result.builtinItems.push({ outputIndex, item });
    }
  });
  if (tokenLogprobs.length > 0) result.logprobs = { content: tokenLogprobs };
  return result;
}
