import type { RerankRequest, RerankResponse } from '../../core/index.js';
import { invalidRequest } from '../../core/index.js';
import { optBoolean, optInteger, readArray, readObject, readString, requireField, unknownFields } from '../../json/request-reader.js';
import { encodeCohereMeta } from './encode-cohere-usage.js';

const KNOWN_FIELDS = new Set(['model', 'query', 'documents', 'top_n', 'max_tokens_per_doc', 'return_documents']);

/** Documents as texts; `{text}` objects (Cohere v1, Jina) are accepted too. */
export function readRerankDocuments(value: unknown): string[] {
  const list = readArray(value, 'documents');
  if (list.length === 0) throw invalidRequest('documents must not be empty', 'documents');
  return list.map((item, index) => {
    if (typeof item === 'string') return item;
    const document = readObject(item, `documents[${index}]`);
    return readString(requireField(document, 'text', `documents[${index}].text`), `documents[${index}].text`);
  });
}

/** A rerank body (Cohere v2, also the Jina/Cohere shape of /v1/rerank) → canonical. */
export function decodeRerankBody(value: unknown, family: string): RerankRequest {
  const body = readObject(value, 'body');
  const request: RerankRequest = {
    model: readString(requireField(body, 'model', 'model'), 'model'),
    query: readString(requireField(body, 'query', 'query'), 'query'),
    documents: readRerankDocuments(requireField(body, 'documents', 'documents')),
  };
  const topN = optInteger(body.top_n, 'top_n', 1);
  if (topN !== undefined) request.topN = topN;
  const maxTokens = optInteger(body.max_tokens_per_doc, 'max_tokens_per_doc', 1);
  if (maxTokens !== undefined) request.maxTokensPerDocument = maxTokens;
  const returnDocuments = optBoolean(body.return_documents, 'return_documents');
  if (returnDocuments !== undefined) request.returnDocuments = returnDocuments;
  const extra = unknownFields(body, KNOWN_FIELDS);
  if (extra !== undefined) request.providerOptions = { [family]: extra };
  return request;
}

/** Results with the document texts when asked for (the gateway holds them, whatever the provider). */
export function encodeRerankResults(response: RerankResponse, request: RerankRequest): Array<Record<string, unknown>> {
  return response.results.map((result) => ({
    index: result.index,
    relevance_score: result.relevanceScore,
    ...(request.returnDocuments === true ? { document: { text: result.document ?? request.documents[result.index] ?? '' } } : {}),
  }));
}

/** Canonical rerank → Cohere v2 rerank response. */
export function encodeCohereRerankResponse(response: RerankResponse, request: RerankRequest, requestId: string): string {
  return JSON.stringify({ id: response.id ?? requestId, results: encodeRerankResults(response, request), meta: encodeCohereMeta(response.usage) });
}
