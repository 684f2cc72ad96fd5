import type { Citation } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';

/**
 * Canonical citation → Cohere citation ({start, end, text, sources, type}). A citation that came
 * from Cohere is returned as it was; others (OpenAI url annotations, Anthropic document
 * citations) are described with what they carry.
 */
export function encodeCohereCitation(citation: Citation, text: string | undefined, contentIndex?: number): Record<string, unknown> {
  if (isRecord(citation.raw) && Array.isArray(citation.raw.sources)) return citation.raw;
  const start = citation.startIndex ?? 0;
  const end = citation.endIndex ?? start;
  const document: Record<string, unknown> = {};
  if (citation.documentIndex !== undefined) document.id = `doc:${citation.documentIndex}`;
  if (citation.title !== undefined) document.title = citation.title;
  if (citation.url !== undefined) document.url = citation.url;
  if (citation.citedText !== undefined) document.snippet = citation.citedText;
  const source: Record<string, unknown> = { type: 'document', document };
  if (document.id !== undefined) source.id = document.id;
  return {
    start,
    end,
    text: text === undefined ? (citation.citedText ?? '') : text.slice(start, end),
    sources: [source],
    ...(contentIndex === undefined ? {} : { content_index: contentIndex }),
    type: 'TEXT_CONTENT',
  };
}
