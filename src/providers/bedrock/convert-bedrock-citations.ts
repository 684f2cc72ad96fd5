import type { Citation } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';

/**
 * One Converse citation (`citationsContent.citations[]`, or a stream `delta.citation`) →
 * canonical. Web locations become URL citations; document locations keep the document index;
 * the vendor object stays in `raw`.
 */
export function convertBedrockCitation(citation: Record<string, unknown>): Citation {
  const location = isRecord(citation.location) ? citation.location : {};
  const cited = Array.isArray(citation.sourceContent)
    ? citation.sourceContent
        .filter(isRecord)
        .map((item) => (typeof item.text === 'string' ? item.text : ''))
        .join('')
    : undefined;
  const title = typeof citation.title === 'string' ? citation.title : undefined;
  const base = { ...(title === undefined ? {} : { title }), ...(cited ? { citedText: cited } : {}), raw: citation };
  if (isRecord(location.web)) {
    return { type: 'url', ...(typeof location.web.url === 'string' ? { url: location.web.url } : {}), ...base };
  }
  for (const kind of ['documentChar', 'documentPage', 'documentChunk']) {
    const place = location[kind];
    if (isRecord(place)) return { type: 'document', ...(typeof place.documentIndex === 'number' ? { documentIndex: place.documentIndex } : {}), ...base };
  }
  return { type: 'other', ...base };
}
