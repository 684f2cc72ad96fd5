import type { Citation } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';

/** Citation types Anthropic puts on text blocks (kept verbatim in `raw`). */
export const ANTHROPIC_CITATION_TYPES: ReadonlySet<string> = new Set([
  'char_location',
  'page_location',
  'content_block_location',
  'web_search_result_location',
  'search_result_location',
]);

/**
 * An Anthropic text-block citation → canonical. Web results become url citations; document
 * locations become document citations (character offsets for plain-text documents; page and
 * content-block numbers stay in `raw`). The vendor object is kept in `raw` for a round trip.
 */
export function convertAnthropicCitation(value: unknown): Citation | undefined {
  if (!isRecord(value)) return undefined;
  const type = value.type;
  const citation: Citation = {
    type: type === 'web_search_result_location' ? 'url' : typeof value.document_index === 'number' ? 'document' : 'other',
    raw: value,
  };
  if (typeof value.url === 'string') citation.url = value.url;
  const title = typeof value.title === 'string' ? value.title : typeof value.document_title === 'string' ? value.document_title : undefined;
  if (title !== undefined) citation.title = title;
  if (typeof value.cited_text === 'string') citation.citedText = value.cited_text;
  if (typeof value.document_index === 'number') citation.documentIndex = value.document_index;
  if (type === 'char_location') {
    if (typeof value.start_char_index === 'number') citation.startIndex = value.start_char_index;
    if (typeof value.end_char_index === 'number') citation.endIndex = value.end_char_index;
  }
  return citation;
}

/** True when a canonical citation came from Anthropic and can be sent back as it was. */
export function isAnthropicCitation(citation: Citation): citation is Citation & { raw: Record<string, unknown> } {
  return isRecord(citation.raw) && typeof citation.raw.type === 'string' && ANTHROPIC_CITATION_TYPES.has(citation.raw.type);
}
