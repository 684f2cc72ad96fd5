import type { AssistantContentPart, Citation } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import { isAnthropicCitation } from '../../providers/anthropic/convert-anthropic-citation.js';
import { opaqueBlockOf } from '../../providers/anthropic/opaque-block.js';

type Json = Record<string, unknown>;

/**
 * A canonical citation → an Anthropic text citation: Anthropic's own as it came; others
 * (OpenAI url annotations, Perplexity sources) as web_search_result_location without an
 * encrypted index, since only Anthropic can make one.
 */
export function encodeAnthropicCitation(citation: Citation): Json {
  if (isAnthropicCitation(citation)) return citation.raw;
  if (citation.type === 'document') {
    return {
      type: 'char_location',
      cited_text: citation.citedText ?? '',
      document_index: citation.documentIndex ?? 0,
      document_title: citation.title ?? null,
      start_char_index: citation.startIndex ?? 0,
      end_char_index: citation.endIndex ?? 0,
    };
  }
  return { type: 'web_search_result_location', cited_text: citation.citedText ?? '', url: citation.url ?? '', title: citation.title ?? null, encrypted_index: '' };
}

/** Tool arguments text → the `input` object Anthropic clients expect. */
export function toolInputObject(argumentsText: string): Json {
  const parsed = tryParseJson(argumentsText);
  return isRecord(parsed) ? parsed : {};
}

/** Canonical assistant parts → Anthropic content blocks (in order). */
export function encodeAnthropicContent(parts: AssistantContentPart[]): Json[] {
  const blocks: Json[] = [];
  for (const part of parts) {
    switch (part.type) {
      case 'text': {
        const opaque = opaqueBlockOf(part);
        if (opaque !== undefined) blocks.push(opaque);
        else if (part.text !== '' || part.citations !== undefined) {
          const block: Json = { type: 'text', text: part.text };
          if (part.citations !== undefined && part.citations.length > 0) block.citations = part.citations.map(encodeAnthropicCitation);
          blocks.push(block);
        }
        break;
      }
      case 'refusal':
        blocks.push({ type: 'text', text: part.text });
        break;
      case 'reasoning':
        blocks.push(
          part.redactedData !== undefined
            ? { type: 'redacted_thinking', data: part.redactedData }
            : { type: 'thinking', thinking: part.text, signature: part.signature ?? '' },
        );
        break;
      case 'tool-call':
        blocks.push({ type: 'tool_use', id: part.id, name: part.name, input: toolInputObject(part.arguments) });
        break;
      default:
        // Generated images and audio have no place in an Anthropic message.
        break;
    }
  }
  return blocks;
}
