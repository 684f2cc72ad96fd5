import type { RerankResult } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';

/** Rerank results (Cohere and the Cohere-shaped APIs of Jina, vLLM, Together) → canonical. */
export function decodeRerankResults(results: unknown): RerankResult[] | undefined {
  if (!Array.isArray(results)) return undefined;
  const out: RerankResult[] = [];
  for (const item of results) {
    if (!isRecord(item) || typeof item.index !== 'number') continue;
    const score = item.relevance_score ?? item.score;
    const result: RerankResult = { index: item.index, relevanceScore: typeof score === 'number' ? score : 0 };
    const document = isRecord(item.document) ? item.document.text : item.document;
    if (typeof document === 'string') result.document = document;
    out.push(result);
  }
  return out;
}
