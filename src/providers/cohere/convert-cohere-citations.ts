import type { Citation } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';

/** Index of the first document source ("doc:3" → 3), when the id has Cohere's default shape. */
function documentIndex(id: unknown): number | undefined {
  if (typeof id !== 'string') return undefined;
  const match = /^doc[:_-]?(\d+)$/.exec(id);
  return match === null ? undefined : Number(match[1]);
}

/**
 * One Cohere citation → canonical. Cohere cites spans of the answer (`start`/`end`, `text`) and
 * lists their `sources`: documents given in the request (`type: "document"`) or tool results
 * (`type: "tool"`). The whole Cohere object is kept in `raw` for a Cohere surface.
 */
export function convertCohereCitation(citation: unknown): Citation | undefined {
  if (!isRecord(citation)) return undefined;
  const sources = Array.isArray(citation.sources) ? citation.sources.filter(isRecord) : [];
  const first = sources[0];
  const document = first !== undefined && isRecord(first.document) ? first.document : undefined;
  const out: Citation = { type: first?.type === 'document' || document !== undefined ? 'document' : 'other', raw: citation };
  if (typeof citation.start === 'number') out.startIndex = citation.start;
  if (typeof citation.end === 'number') out.endIndex = citation.end;
  const title = document?.title;
  if (typeof title === 'string') out.title = title;
  const url = document?.url;
  if (typeof url === 'string') out.url = url;
  const cited = document?.snippet ?? document?.text;
  if (typeof cited === 'string') out.citedText = cited;
  const index = documentIndex(first?.id ?? document?.id);
  if (index !== undefined) out.documentIndex = index;
  return out;
}

/** The content block a citation refers to (`content_index`, newer API versions). */
export function citationContentIndex(citation: unknown): number | undefined {
  return isRecord(citation) && typeof citation.content_index === 'number' ? citation.content_index : undefined;
}

/** Cohere citations of thinking text (type THINKING_CONTENT) belong to no answer text. */
export function citesAnswerText(citation: unknown): boolean {
  return !(isRecord(citation) && citation.type === 'THINKING_CONTENT');
}
