import type { Citation } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';

/**
 * Gemini citations → canonical: `citationMetadata.citationSources` (recitation sources with
 * character ranges) and `groundingMetadata.groundingChunks` (Google Search / URL context
 * results). The vendor objects are kept in `raw`.
 */
export function convertGeminiCitations(candidate: Record<string, unknown>): Citation[] | undefined {
  const out: Citation[] = [];
  const metadata = isRecord(candidate.citationMetadata) ? candidate.citationMetadata : undefined;
  const sources = metadata?.citationSources ?? metadata?.citations;
  if (Array.isArray(sources)) {
    for (const source of sources) {
      if (!isRecord(source)) continue;
      const citation: Citation = { type: typeof source.uri === 'string' ? 'url' : 'other', raw: source };
      if (typeof source.uri === 'string') citation.url = source.uri;
      if (typeof source.title === 'string') citation.title = source.title;
      if (typeof source.startIndex === 'number') citation.startIndex = source.startIndex;
      if (typeof source.endIndex === 'number') citation.endIndex = source.endIndex;
      out.push(citation);
    }
  }
  const grounding = isRecord(candidate.groundingMetadata) ? candidate.groundingMetadata : undefined;
  if (Array.isArray(grounding?.groundingChunks)) {
    for (const chunk of grounding.groundingChunks) {
      if (!isRecord(chunk)) continue;
      const web = isRecord(chunk.web) ? chunk.web : isRecord(chunk.retrievedContext) ? chunk.retrievedContext : undefined;
      if (web === undefined) continue;
      const citation: Citation = { type: 'url', raw: chunk };
      if (typeof web.uri === 'string') citation.url = web.uri;
      if (typeof web.title === 'string') citation.title = web.title;
      out.push(citation);
    }
  }
  return out.length === 0 ? undefined : out;
}
